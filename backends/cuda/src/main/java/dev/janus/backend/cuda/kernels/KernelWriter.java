package dev.janus.backend.cuda.kernels;

import dev.janus.DType;
import java.util.List;

/**
 * Writes the CUDA C of one {@link KernelSpec}: a grid-stride loop over the flat output index, each input read
 * by its {@link Access}, then one local variable per step. For {@code relu(x + b)} with x: [64, 512] and
 * b: [512] it writes (indented here):
 *
 * <pre>
 * extern "C" __global__ void janus_ew_1a2b3c4d5e6f(float* __restrict__ out, const float* __restrict__ in0,
 *         const float* __restrict__ in1, long long n, long long d0, long long d1, long long s1_0, long long s1_1) {
 *     for (long long i = ...; i &lt; n; i += ...) {
 *         long long o1 = 0;
 *         { long long r = i, c; c = r % d1; r /= d1; o1 += c * s1_1; c = r; o1 += c * s1_0; }
 *         float v0 = in0[i];
 *         float v1 = in1[o1];
 *         float v2 = (v0 + v1);
 *         float v3 = janus_max(v2, (float) 0);
 *         out[i] = v3;
 *     }
 * }
 * </pre>
 */
final class KernelWriter {
    private final KernelSpec spec;
    private final List<Access> accesses;
    private final int rank;
    private final StringBuilder out = new StringBuilder();

    private KernelWriter(KernelSpec spec, List<Access> accesses) {
        this.spec = spec;
        this.accesses = accesses;
        this.rank = spec.outShape().rank();
    }

    static String write(KernelSpec spec, List<Access> accesses, String name) {
        return new KernelWriter(spec, accesses).kernel(name);
    }

    private String kernel(String name) {
        out.append("extern \"C\" __global__ void ").append(name).append("(").append(signature()).append(") {\n");
        out.append("    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n;"
                + " i += (long long) blockDim.x * gridDim.x) {\n");
        offsets();
        for (int v = 0; v < spec.numInputs(); v++) {
            if (used(v)) {
                line(StepSource.cType(spec.typeOf(v)) + " v" + v + " = in" + v + "[" + index(v) + "];");
            }
        }
        for (int k = 0; k < spec.steps().size(); k++) {
            step(k);
        }
        line("out[i] = v" + (spec.numInputs() + spec.steps().size() - 1) + ";");
        out.append("    }\n}\n");
        return out.toString();
    }

    private String signature() {
        StringBuilder s = new StringBuilder(StepSource.cType(spec.outType())).append("* __restrict__ out");
        for (int v = 0; v < spec.numInputs(); v++) {
            s.append(", const ").append(StepSource.cType(spec.typeOf(v))).append("* __restrict__ in").append(v);
        }
        s.append(", long long n");
        if (accesses.contains(Access.STRIDED)) {
            for (int d = 0; d < rank; d++) {
                s.append(", long long d").append(d);
            }
            for (int v = 0; v < spec.numInputs(); v++) {
                for (int d = 0; accesses.get(v) == Access.STRIDED && d < rank; d++) {
                    s.append(", long long s").append(v).append('_').append(d);
                }
            }
        }
        return s.toString();
    }

    /** The strided inputs' offsets, from i's coordinates, innermost axis first; the outermost needs no modulo. */
    private void offsets() {
        if (!accesses.contains(Access.STRIDED)) {
            return;
        }
        StringBuilder b = new StringBuilder();
        for (int v = 0; v < spec.numInputs(); v++) {
            if (accesses.get(v) == Access.STRIDED) {
                line("long long o" + v + " = 0;");
            }
        }
        b.append("{ long long r = i, c;");
        for (int d = rank - 1; d >= 0; d--) {
            b.append(d == 0 ? " c = r;" : " c = r % d" + d + "; r /= d" + d + ";");
            for (int v = 0; v < spec.numInputs(); v++) {
                if (accesses.get(v) == Access.STRIDED) {
                    b.append(" o").append(v).append(" += c * s").append(v).append('_').append(d).append(';');
                }
            }
        }
        line(b.append(" }").toString());
    }

    private String index(int v) {
        return switch (accesses.get(v)) {
            case FULL -> "i";
            case SCALAR -> "0";
            case STRIDED -> "o" + v;
        };
    }

    private boolean used(int v) {
        return spec.steps().stream().anyMatch(s -> java.util.Arrays.stream(s.args()).anyMatch(a -> a == v));
    }

    private void step(int k) {
        KernelSpec.TypedStep s = spec.steps().get(k);
        String[] args = new String[s.arity()];
        for (int i = 0; i < args.length; i++) {
            args[i] = "v" + s.arg(i);
        }
        // WHERE's first argument is the bool condition; the values' dtype is its second
        DType argType = spec.typeOf(s.arg(s.arity() == 3 ? 1 : 0));
        String expr = StepSource.expr(s.op(), argType, s.type(), args);
        line(StepSource.cType(s.type()) + " v" + (spec.numInputs() + k) + " = " + expr + ";");
    }

    private void line(String text) {
        out.append("        ").append(text).append('\n');
    }
}
