package dev.janus.backend.cuda.kernels;

import dev.janus.DType;
import dev.janus.ops.Op;

/**
 * Writes the CUDA C of a reduction: one thread per output element (grid-stride), accumulating over the reduced
 * elements in row-major order, as the CPU backend does: floating data in double (float32 sums keep their
 * accuracy), integers and bools in {@code long long} (wrapping), max/min with Java's NaN-wins rules, and
 * argmax/argmin comparing as doubles, keeping the first extreme and stopping at the first NaN.
 *
 * <p>NOTE: one thread per output is simple and coalesced when the reduced axes are outer ones; a reduction over
 * the last axis of a few rows leaves most of the GPU idle. A block-per-row kernel would be the next step.
 */
final class ReduceWriter {
    private ReduceWriter() {}

    static String write(ReduceSpec s, String name) {
        int kept = s.keptAxes().size();
        int reduced = s.reducedAxes().size();
        boolean wide = s.inType().isFloating() || s.isArg();
        String acc = wide ? "double" : "long long";
        StringBuilder b = new StringBuilder("extern \"C\" __global__ void ").append(name).append("(")
                .append(StepSource.cType(s.outType())).append("* __restrict__ out, const ").append(StepSource.cType(s.inType()))
                .append("* __restrict__ in, long long n, long long r");
        params(b, "k", kept);
        params(b, "q", reduced);
        b.append(") {\n    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n;"
                + " i += (long long) blockDim.x * gridDim.x) {\n");
        b.append("        long long base = 0;\n");
        offset(b, "i", "base", "k", kept);
        b.append("        ").append(acc).append(" acc = ").append(init(s.op(), wide)).append(";\n");
        if (s.isArg()) {
            b.append("        long long best = 0;\n");
        }
        b.append("        for (long long t = 0; t < r; t++) {\n");
        b.append("            long long off = base;\n");
        offset(b, "t", "off", "q", reduced);
        b.append("            ").append(acc).append(" v = (").append(acc).append(") in[off];\n");
        b.append(combine(s.op(), wide));
        b.append("        }\n");
        String result = s.isArg() ? "best" : CastSource.cast(wide ? DType.FLOAT64 : DType.INT64, s.outType(), "acc");
        b.append("        out[i] = ").append(result).append(";\n    }\n}\n");
        return b.toString();
    }

    private static void params(StringBuilder b, String prefix, int count) {
        for (int j = 0; j < count; j++) {
            b.append(", long long ").append(prefix).append(j);
        }
        for (int j = 0; j < count; j++) {
            b.append(", long long ").append(prefix).append('s').append(j);
        }
    }

    /** {@code target += coordinates of index (over dims prefix0..) times their strides}, innermost axis first. */
    private static void offset(StringBuilder b, String index, String target, String prefix, int count) {
        if (count == 0) {
            return;
        }
        b.append("        { long long rem = ").append(index).append(", c;");
        for (int j = count - 1; j >= 0; j--) {
            b.append(j == 0 ? " c = rem;" : " c = rem % " + prefix + j + "; rem /= " + prefix + j + ";");
            b.append(' ').append(target).append(" += c * ").append(prefix).append('s').append(j).append(';');
        }
        b.append(" }\n");
    }

    private static String init(Op op, boolean wide) {
        return switch (op) {
            case SUM -> "0";
            case PROD -> "1";
            // -inf and +inf without a header: 1/0 is not a constant NVRTC folds portably, so spell the bits
            case MAX -> wide ? "-__longlong_as_double(0x7ff0000000000000LL)" : "(-9223372036854775807LL - 1)";
            case MIN -> wide ? "__longlong_as_double(0x7ff0000000000000LL)" : "9223372036854775807LL";
            case ARGMAX, ARGMIN -> "0";
            default -> throw new UnsupportedKernelException("op '" + op.opName() + "' is not a reduction");
        };
    }

    private static String combine(Op op, boolean wide) {
        String line = "            acc = ";
        return switch (op) {
            case SUM -> line + (wide ? "acc + v" : "(long long) ((unsigned long long) acc + (unsigned long long) v)") + ";\n";
            case PROD -> line + (wide ? "acc * v" : "(long long) ((unsigned long long) acc * (unsigned long long) v)") + ";\n";
            case MAX -> line + "janus_max(acc, v);\n";
            case MIN -> line + "janus_min(acc, v);\n";
            case ARGMAX, ARGMIN -> "            if (t == 0) { acc = v; continue; }\n"
                    + "            if (acc != acc) break;\n"
                    + "            if (v != v || v " + (op == Op.ARGMAX ? ">" : "<") + " acc) { best = t; acc = v; }\n";
            default -> throw new UnsupportedKernelException("op '" + op.opName() + "' is not a reduction");
        };
    }
}
