package dev.janus.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import java.util.Map;
import java.util.Random;

/**
 * Shared by the layer tests: inputs, value assertions, plain float64 loop references for the convolution and
 * pooling layers, and a parameter-gradient check for modules (float32 parameters, float64 input and loss).
 */
final class NnTestSupport {
    private NnTestSupport() {}

    /** Standard-normal values rounded to float32, so they are exact in both float types. */
    static double[] randomValues(int n, long seed) {
        Random r = new Random(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = (float) r.nextGaussian();
        }
        return d;
    }

    static Tensor f64(double[] v, long... shape) {
        return Tensor.of(v, shape);
    }

    static Tensor f32(double[] v, long... shape) {
        return Tensor.of(v, shape).cast(DType.FLOAT32);
    }

    static void assertValues(double[] expected, Tensor actual, double tol) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length, "element count");
        for (int i = 0; i < a.length; i++) {
            assertEquals(expected[i], a[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }

    static void assertShape(Tensor t, long... dims) {
        assertEquals(java.util.Arrays.toString(dims), java.util.Arrays.toString(t.shape().dims()));
    }

    /**
     * Direct convolution of x[n, c, h, w] with wt[o, c/groups, kh, kw]: padding {@code before}/{@code after}
     * per axis, zero or (with {@code reflect}) mirrored.
     */
    static double[] conv2dRef(double[] x, int[] xs, double[] wt, int[] ws, double[] bias, int[] stride, int[] before,
            int[] after, int[] dil, int groups, boolean reflect) {
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3], o = ws[0], kh = ws[2], kw = ws[3];
        int oh = (h + before[0] + after[0] - dil[0] * (kh - 1) - 1) / stride[0] + 1;
        int ow = (w + before[1] + after[1] - dil[1] * (kw - 1) - 1) / stride[1] + 1;
        int cg = c / groups, og = o / groups;
        double[] out = new double[n * o * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = bias == null ? 0 : bias[oc];
                        for (int ci = 0; ci < cg; ci++) {
                            for (int a = 0; a < kh; a++) {
                                for (int e = 0; e < kw; e++) {
                                    int y = at(i * stride[0] - before[0] + a * dil[0], h, reflect);
                                    int z = at(j * stride[1] - before[1] + e * dil[1], w, reflect);
                                    if (y >= 0 && z >= 0) {
                                        int ch = (oc / og) * cg + ci;
                                        s += x[((b * c + ch) * h + y) * w + z] * wt[((oc * cg + ci) * kh + a) * kw + e];
                                    }
                                }
                            }
                        }
                        out[((b * o + oc) * oh + i) * ow + j] = s;
                    }
                }
            }
        }
        return out;
    }

    /** The input row/column a padded coordinate reads, or -1 for a zero. */
    private static int at(int i, int size, boolean reflect) {
        if (i >= 0 && i < size) {
            return i;
        }
        if (!reflect) {
            return -1;
        }
        return i < 0 ? -i : 2 * (size - 1) - i;
    }

    /** Transposed convolution as a scatter: each input pixel adds {@code x · w} to the outputs it reaches. */
    static double[] convTranspose2dRef(double[] x, int[] xs, double[] wt, int[] ws, double[] bias, int stride, int pad,
            int outPad, int dil, int groups) {
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3], og = ws[1], kh = ws[2], kw = ws[3];
        int o = og * groups, cg = c / groups;
        int oh = (h - 1) * stride - 2 * pad + dil * (kh - 1) + outPad + 1;
        int ow = (w - 1) * stride - 2 * pad + dil * (kw - 1) + outPad + 1;
        double[] out = new double[n * o * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int ci = 0; ci < c; ci++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        for (int oc = 0; oc < og; oc++) {
                            for (int a = 0; a < kh; a++) {
                                for (int e = 0; e < kw; e++) {
                                    int y = i * stride - pad + a * dil;
                                    int z = j * stride - pad + e * dil;
                                    if (y >= 0 && y < oh && z >= 0 && z < ow) {
                                        int ch = (ci / cg) * og + oc;
                                        out[((b * o + ch) * oh + y) * ow + z] += x[((b * c + ci) * h + i) * w + j]
                                                * wt[((ci * og + oc) * kh + a) * kw + e];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if (bias != null) {
            for (int f = 0; f < out.length; f++) {
                out[f] += bias[(f / (oh * ow)) % o];
            }
        }
        return out;
    }

    /** Max or average pooling of x[n·c planes, h, w]; {@code countPad} counts padded cells in the average. */
    static double[] pool2dRef(double[] x, int planes, int h, int w, int k, int stride, int pad, boolean max,
            boolean countPad) {
        int oh = (h + 2 * pad - k) / stride + 1;
        int ow = (w + 2 * pad - k) / stride + 1;
        double[] out = new double[planes * oh * ow];
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int count = 0;
                    for (int a = 0; a < k; a++) {
                        for (int e = 0; e < k; e++) {
                            int y = i * stride - pad + a;
                            int z = j * stride - pad + e;
                            if (y >= 0 && y < h && z >= 0 && z < w) {
                                double v = x[(p * h + y) * w + z];
                                acc = max ? Math.max(acc, v) : acc + v;
                                count++;
                            }
                        }
                    }
                    out[(p * oh + i) * ow + j] = max ? acc : acc / (countPad ? k * k : count);
                }
            }
        }
        return out;
    }

    /**
     * Compares each parameter's {@code .grad()} after {@code backward} of {@code Σ R·m(x)} against central
     * differences of the same float64 loss, moving one float32 parameter element at a time by a representable
     * step (up to {@code perParameter} elements per parameter, spread over the tensor).
     */
    static void checkParameterGradients(Module m, Tensor x, int perParameter) {
        Tensor r = Tensor.randn(new Generator(99), DType.FLOAT64, m.forward(x).shape().dims());
        m.zeroGrad();
        m.forward(x).cast(DType.FLOAT64).mul(r).sum().backward();
        for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) {
            Tensor p = e.getValue();
            double[] analytic = p.grad().toDoubleArray();
            float[] values = p.toFloatArray();
            int stepElements = Math.max(1, values.length / perParameter);
            for (int i = 0; i < values.length; i += stepElements) {
                float orig = values[i];
                float plus = orig + 0.01f;
                float minus = orig - 0.01f;
                double fPlus = lossWith(m, x, r, p, values, i, plus);
                double fMinus = lossWith(m, x, r, p, values, i, minus);
                values[i] = orig;
                set(p, values);
                double numeric = (fPlus - fMinus) / ((double) plus - minus);
                assertEquals(numeric, analytic[i], 1e-5 + 1e-5 * Math.abs(numeric), e.getKey() + " element " + i);
            }
        }
    }

    private static double lossWith(Module m, Tensor x, Tensor r, Tensor p, float[] values, int i, float v) {
        values[i] = v;
        set(p, values);
        try (var g = Janus.noGrad()) {
            return m.forward(x).cast(DType.FLOAT64).mul(r).sum().item();
        }
    }

    private static void set(Tensor p, float[] values) {
        try (var g = Janus.noGrad()) {
            p.assign(Tensor.of(values, p.shape()));
        }
    }
}
