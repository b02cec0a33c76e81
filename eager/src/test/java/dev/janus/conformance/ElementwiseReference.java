package dev.janus.conformance;

import dev.janus.DType;
import dev.janus.Janus;
import dev.janus.Shape;
import dev.janus.Tensor;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The plain-Java side of the conformance tests: tensors built from {@code double[]} in any dtype, numpy
 * broadcasting done by hand, and special functions written independently of every backend.
 */
final class ElementwiseReference {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private ElementwiseReference() {}

    // ------------------------------------------------------------------ tensors from doubles

    /** A tensor of {@code dtype} and {@code shape} holding {@code v} (converted like a Java cast; bool: nonzero). */
    static Tensor tensor(double[] v, DType dtype, long... shape) {
        return switch (dtype) {
            case FLOAT64 -> Tensor.of(v.clone(), Shape.of(shape));
            case FLOAT32 -> Tensor.of(toFloats(v), Shape.of(shape));
            case INT32 -> Tensor.of(Arrays.stream(v).mapToInt(x -> (int) x).toArray()).reshape(shape);
            case INT64 -> Tensor.of(Arrays.stream(v).mapToLong(x -> (long) x).toArray()).reshape(shape);
            case BOOL -> {
                boolean[] b = new boolean[v.length];
                for (int i = 0; i < b.length; i++) {
                    b[i] = v[i] != 0;
                }
                yield Tensor.of(b).reshape(shape);
            }
        };
    }

    static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** {@code v} as the values a tensor of {@code dtype} holds (float32 rounding, integer truncation, bool 0/1). */
    static double[] representable(double[] v, DType dtype) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = representable(v[i], dtype);
        }
        return r;
    }

    static double representable(double v, DType dtype) {
        return switch (dtype) {
            case FLOAT64 -> v;
            case FLOAT32 -> (float) v;
            case INT32 -> (int) (long) v;
            case INT64 -> (long) v;
            case BOOL -> v != 0 ? 1 : 0;
        };
    }

    // ------------------------------------------------------------------ broadcasting by hand

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** The numpy broadcast of {@code shapes}. */
    static long[] broadcast(long[]... shapes) {
        int rank = 0;
        for (long[] s : shapes) {
            rank = Math.max(rank, s.length);
        }
        long[] out = new long[rank];
        Arrays.fill(out, 1);
        for (long[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int j = rank - s.length + i;
                if (s[i] != 1) {
                    if (out[j] != 1 && out[j] != s[i]) {
                        throw new IllegalArgumentException("test shapes do not broadcast");
                    }
                    out[j] = s[i];
                }
            }
        }
        return out;
    }

    /** For each element of {@code out} (row-major), the flat index of the element of {@code in} it reads. */
    static int[] sourceIndex(long[] in, long[] out) {
        int n = (int) numel(out);
        int[] src = new int[n];
        int lead = out.length - in.length;
        for (int e = 0; e < n; e++) {
            long rest = e;
            long idx = 0;
            long stride = 1;
            for (int d = out.length - 1; d >= 0; d--) {
                long coord = rest % out[d];
                rest /= out[d];
                if (d >= lead) {
                    long size = in[d - lead];
                    idx += (size == 1 ? 0 : coord) * stride;
                    stride *= size;
                }
            }
            src[e] = (int) idx;
        }
        return src;
    }

    // ------------------------------------------------------------------ higher-order gradients

    /**
     * The gradient of {@code sum(f(inputs))} with respect to every input, flattened and joined, as a function
     * that {@link dev.janus.GradCheck} can check in turn: that compares the second derivatives the gradient
     * rules produce (with {@code createGraph}) against finite differences of the first derivatives. Inputs that
     * do not require grad (GradCheck's numerical pass) become fresh leaves; {@code + 0·x} keeps a gradient
     * that does not depend on its input (a linear op) connected, with second derivative 0.
     */
    static Function<Tensor[], Tensor> gradientOf(Function<Tensor[], Tensor> f) {
        return in -> {
            try (var scope = Janus.enableGrad()) {
                Tensor[] leaves = new Tensor[in.length];
                for (int i = 0; i < in.length; i++) {
                    leaves[i] = in[i].requiresGrad() ? in[i] : Tensor.of(in[i].toDoubleArray(), in[i].shape()).requiresGrad(true);
                }
                Tensor[] g = Janus.grad(f.apply(leaves).sum(), leaves, true);
                Tensor[] parts = new Tensor[g.length];
                for (int i = 0; i < g.length; i++) {
                    parts[i] = g[i].add(leaves[i].mul(0.0)).reshape(-1);
                }
                return parts.length == 1 ? parts[0] : Tensor.cat(0, parts);
            }
        };
    }

    // ------------------------------------------------------------------ special functions

    /**
     * erf to about 1e-15, written without any backend code: for |x| < 6 the series
     * {@code erf(x) = 2/√π · e^{-x²} · Σ 2^n x^{2n+1} / (1·3·…·(2n+1))}, whose terms are all positive (so it has
     * none of the cancellation of the Taylor series); beyond 6, erf is ±1 to double precision.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a >= 6) {
            return Math.copySign(1, x);
        }
        double term = a;
        double sum = a;
        for (int n = 1; term > 1e-18 * sum; n++) {
            term *= 2 * a * a / (2 * n + 1);
            sum += term;
        }
        return Math.copySign(TWO_OVER_SQRT_PI * Math.exp(-a * a) * sum, x);
    }

    static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** log(1 + e^x) without overflow. */
    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    /** Round half to even, by hand. */
    static double roundHalfEven(double x) {
        if (!Double.isFinite(x)) {
            return x;
        }
        double f = Math.floor(x);
        double d = x - f;
        if (d > 0.5) {
            return f + 1;
        }
        if (d < 0.5) {
            return f;
        }
        return f % 2 == 0 ? f : f + 1;
    }

    /** NaN-propagating maximum / minimum. */
    static double maximum(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : a >= b ? a : b;
    }

    static double minimum(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : a <= b ? a : b;
    }

    static double truth(boolean b) {
        return b ? 1 : 0;
    }
}
