package dev.janus.conformance;

import static dev.janus.conformance.ShapeTestSupport.assertValues;
import static dev.janus.conformance.ShapeTestSupport.distinctValues;
import static dev.janus.conformance.ShapeTestSupport.f64;
import static dev.janus.conformance.ShapeTestSupport.numel;
import static dev.janus.conformance.ShapeTestSupport.randomValues;
import static dev.janus.conformance.ShapeTestSupport.tensor;
import static dev.janus.conformance.ShapeTestSupport.withFloatTypes;

import dev.janus.DType;
import dev.janus.GradCheck;
import dev.janus.Tensor;
import dev.janus.nn.F;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolutions (conv1d, conv2d, convTranspose2d) and pooling (max, average, adaptive average) against naive
 * double loops — a 7-loop convolution, a scatter for the transposed convolution, window scans for pooling —
 * in float32 and float64 with stride, padding, dilation and groups, plus float64 gradient checks.
 */
class NnConformanceTest {
    /** float32 sums of at most ~60 products of standard-normal values. */
    private static final double F32_TOL = 2e-5;
    private static final double F64_TOL = 1e-12;

    private static long[] s(long... d) {
        return d;
    }

    private static int[] p(int a, int b) {
        return new int[] {a, b};
    }

    private static double tol(DType t) {
        return t == DType.FLOAT32 ? F32_TOL : F64_TOL;
    }

    private static int windowOut(long in, long k, int s, int pad, int d) {
        return (int) Math.floorDiv(in + 2L * pad - (long) d * (k - 1) - 1, s) + 1;
    }

    // ------------------------------------------------------------------ references

    /** Naive grouped convolution: out[n,o,i,j] = Σ_c Σ_kh Σ_kw x[n, g·Cg + c, ...] · w[o, c, kh, kw] (+ bias[o]). */
    static double[] conv2dRef(double[] x, long[] xs, double[] w, long[] ws, double[] bias, int[] st, int[] pd, int[] dl,
            int groups, long[] out) {
        int n = (int) xs[0], c = (int) xs[1], h = (int) xs[2], wd = (int) xs[3];
        int o = (int) ws[0], cg = (int) ws[1], kh = (int) ws[2], kw = (int) ws[3];
        int oh = windowOut(h, kh, st[0], pd[0], dl[0]);
        int ow = windowOut(wd, kw, st[1], pd[1], dl[1]);
        out[0] = n;
        out[1] = o;
        out[2] = oh;
        out[3] = ow;
        int og = o / groups;
        double[] r = new double[n * o * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                int g = oc / og;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double acc = bias == null ? 0 : bias[oc];
                        for (int ci = 0; ci < cg; ci++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int ih = i * st[0] - pd[0] + u * dl[0];
                                    int iw = j * st[1] - pd[1] + v * dl[1];
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < wd) {
                                        acc += x[((b * c + g * cg + ci) * h + ih) * wd + iw]
                                                * w[((oc * cg + ci) * kh + u) * kw + v];
                                    }
                                }
                            }
                        }
                        r[((b * o + oc) * oh + i) * ow + j] = acc;
                    }
                }
            }
        }
        return r;
    }

    /** Naive transposed convolution: every input element scatters x·w[c, oc, kh, kw] into the output. */
    static double[] convTranspose2dRef(double[] x, long[] xs, double[] w, long[] ws, int[] st, int[] pd, int[] op,
            int[] dl, int groups, long[] out) {
        int n = (int) xs[0], c = (int) xs[1], h = (int) xs[2], wd = (int) xs[3];
        int og = (int) ws[1], kh = (int) ws[2], kw = (int) ws[3];
        int cg = c / groups;
        int oh = (h - 1) * st[0] - 2 * pd[0] + dl[0] * (kh - 1) + op[0] + 1;
        int ow = (wd - 1) * st[1] - 2 * pd[1] + dl[1] * (kw - 1) + op[1] + 1;
        int o = og * groups;
        out[0] = n;
        out[1] = o;
        out[2] = oh;
        out[3] = ow;
        double[] r = new double[n * o * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int ci = 0; ci < c; ci++) {
                int g = ci / cg;
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < wd; j++) {
                        double xv = x[((b * c + ci) * h + i) * wd + j];
                        for (int oc = 0; oc < og; oc++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int y = i * st[0] - pd[0] + u * dl[0];
                                    int z = j * st[1] - pd[1] + v * dl[1];
                                    if (y >= 0 && y < oh && z >= 0 && z < ow) {
                                        r[((b * o + g * og + oc) * oh + y) * ow + z] += xv * w[((ci * og + oc) * kh + u) * kw + v];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return r;
    }

    /** Max (or zero-padded average) over each window; padding counts as -inf for max, 0 for average. */
    static double[] poolRef(double[] x, long[] xs, int[] k, int[] st, int[] pd, int[] dl, boolean max, long[] out) {
        int nc = (int) (xs[0] * xs[1]), h = (int) xs[2], wd = (int) xs[3];
        int oh = windowOut(h, k[0], st[0], pd[0], dl[0]);
        int ow = windowOut(wd, k[1], st[1], pd[1], dl[1]);
        out[0] = xs[0];
        out[1] = xs[1];
        out[2] = oh;
        out[3] = ow;
        double[] r = new double[nc * oh * ow];
        for (int q = 0; q < nc; q++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    for (int u = 0; u < k[0]; u++) {
                        for (int v = 0; v < k[1]; v++) {
                            int ih = i * st[0] - pd[0] + u * dl[0];
                            int iw = j * st[1] - pd[1] + v * dl[1];
                            if (ih >= 0 && ih < h && iw >= 0 && iw < wd) {
                                double xv = x[(q * h + ih) * wd + iw];
                                acc = max ? Math.max(acc, xv) : acc + xv;
                            }
                        }
                    }
                    r[(q * oh + i) * ow + j] = max ? acc : acc / (k[0] * k[1]);
                }
            }
        }
        return r;
    }

    /** PyTorch's adaptive bins: bin i covers [floor(i·H/out), ceil((i+1)·H/out)). */
    static double[] adaptiveAvgRef(double[] x, long[] xs, int outH, int outW) {
        int nc = (int) (xs[0] * xs[1]), h = (int) xs[2], wd = (int) xs[3];
        double[] r = new double[nc * outH * outW];
        for (int q = 0; q < nc; q++) {
            for (int i = 0; i < outH; i++) {
                int h0 = (int) Math.floor((double) i * h / outH);
                int h1 = (int) Math.ceil((double) (i + 1) * h / outH);
                for (int j = 0; j < outW; j++) {
                    int w0 = (int) Math.floor((double) j * wd / outW);
                    int w1 = (int) Math.ceil((double) (j + 1) * wd / outW);
                    double sum = 0;
                    for (int u = h0; u < h1; u++) {
                        for (int v = w0; v < w1; v++) {
                            sum += x[(q * h + u) * wd + v];
                        }
                    }
                    r[(q * outH + i) * outW + j] = sum / ((h1 - h0) * (w1 - w0));
                }
            }
        }
        return r;
    }

    // ------------------------------------------------------------------ conv2d and conv1d

    static Stream<Arguments> conv2dCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(1, 1, 5, 5), s(1, 1, 3, 3), p(1, 1), p(0, 0), p(1, 1), 1, false},
                new Object[] {s(2, 3, 6, 7), s(4, 3, 3, 2), p(2, 1), p(1, 0), p(1, 2), 1, true},
                new Object[] {s(2, 4, 7, 6), s(6, 2, 3, 3), p(2, 2), p(1, 1), p(1, 1), 2, true},
                new Object[] {s(1, 3, 5, 5), s(3, 1, 2, 2), p(1, 1), p(0, 0), p(1, 1), 3, false},
                new Object[] {s(1, 2, 8, 8), s(2, 2, 3, 3), p(1, 1), p(2, 2), p(2, 2), 1, true},
                new Object[] {s(2, 2, 7, 7), s(3, 2, 1, 1), p(3, 3), p(0, 0), p(1, 1), 1, false},
                new Object[] {s(1, 6, 9, 8), s(4, 3, 3, 3), p(2, 3), p(2, 1), p(2, 1), 2, true},
                new Object[] {s(0, 2, 5, 5), s(3, 2, 3, 3), p(1, 1), p(0, 0), p(1, 1), 1, false},
                new Object[] {s(2, 3, 5, 6), s(4, 3, 1, 1), p(1, 1), p(0, 0), p(1, 1), 1, true},
                new Object[] {s(1, 2, 4, 5), s(2, 2, 1, 1), p(1, 1), p(1, 1), p(1, 1), 1, true},
                new Object[] {s(2, 4, 9, 40), s(4, 4, 3, 5), p(1, 1), p(0, 2), p(1, 3), 1, false},
                // large enough to run in parallel and through the BLAS
                new Object[] {s(4, 8, 20, 20), s(16, 8, 3, 3), p(1, 1), p(1, 1), p(1, 1), 1, true},
                new Object[] {s(3, 8, 17, 19), s(8, 2, 3, 3), p(2, 2), p(2, 2), p(2, 2), 4, true}));
    }

    @ParameterizedTest(name = "x{0} w{1} s{2} p{3} d{4} g{5} bias={6} {7}")
    @MethodSource("conv2dCases")
    void conv2d_stridePaddingDilationGroups_matchesNaiveLoops(long[] xs, long[] ws, int[] st, int[] pd, int[] dl,
            int groups, boolean withBias, DType t) {
        double[] x = randomValues(numel(xs), 1);
        double[] w = randomValues(numel(ws), 2);
        double[] b = withBias ? randomValues((int) ws[0], 3) : null;
        long[] out = new long[4];
        double[] expected = conv2dRef(x, xs, w, ws, b, st, pd, dl, groups, out);
        Tensor bias = b == null ? null : tensor(b, s(ws[0]), t);
        Tensor r = F.conv2d(tensor(x, xs, t), tensor(w, ws, t), bias, st, pd, dl, groups);
        assertValues(expected, out, t, r, tol(t), tol(t));
    }

    @ParameterizedTest
    @MethodSource("dev.janus.conformance.ShapeTestSupport#floatTypes")
    void conv2d_shorthand_isStrideAndPaddingOnBothAxes(DType t) {
        double[] x = randomValues(2 * 2 * 6 * 6, 4);
        double[] w = randomValues(3 * 2 * 3 * 3, 5);
        double[] b = randomValues(3, 6);
        long[] out = new long[4];
        double[] expected = conv2dRef(x, s(2, 2, 6, 6), w, s(3, 2, 3, 3), b, p(2, 2), p(1, 1), p(1, 1), 1, out);
        Tensor r = F.conv2d(tensor(x, s(2, 2, 6, 6), t), tensor(w, s(3, 2, 3, 3), t), tensor(b, s(3), t), 2, 1);
        assertValues(expected, out, t, r, tol(t), tol(t));
    }

    static Stream<Arguments> conv1dCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(2, 4, 9), s(6, 2, 3), 2, 1, 2, 2, true},
                new Object[] {s(1, 3, 10), s(2, 3, 4), 1, 0, 1, 1, false},
                new Object[] {s(2, 2, 5), s(4, 1, 3), 3, 2, 1, 2, true}));
    }

    @ParameterizedTest(name = "x{0} w{1} s{2} p{3} d{4} g{5} bias={6} {7}")
    @MethodSource("conv1dCases")
    void conv1d_stridePaddingDilationGroups_matchesNaiveLoops(long[] xs, long[] ws, int st, int pd, int dl, int groups,
            boolean withBias, DType t) {
        double[] x = randomValues(numel(xs), 7);
        double[] w = randomValues(numel(ws), 8);
        double[] b = withBias ? randomValues((int) ws[0], 9) : null;
        long[] out4 = new long[4];
        double[] expected = conv2dRef(x, s(xs[0], xs[1], 1, xs[2]), w, s(ws[0], ws[1], 1, ws[2]), b, p(1, st), p(0, pd),
                p(1, dl), groups, out4);
        Tensor bias = b == null ? null : tensor(b, s(ws[0]), t);
        Tensor r = F.conv1d(tensor(x, xs, t), tensor(w, ws, t), bias, st, pd, dl, groups);
        assertValues(expected, s(out4[0], out4[1], out4[3]), t, r, tol(t), tol(t));
    }

    // ------------------------------------------------------------------ convTranspose2d

    static Stream<Arguments> convTransposeCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(1, 1, 3, 3), s(1, 1, 3, 3), p(1, 1), p(0, 0), p(0, 0), p(1, 1), 1},
                new Object[] {s(2, 2, 3, 4), s(2, 3, 3, 3), p(2, 2), p(1, 1), p(1, 1), p(1, 1), 1},
                new Object[] {s(1, 4, 3, 3), s(4, 2, 3, 2), p(2, 3), p(1, 0), p(1, 2), p(1, 1), 2},
                new Object[] {s(1, 2, 4, 3), s(2, 2, 2, 3), p(1, 2), p(0, 1), p(0, 1), p(2, 1), 1},
                new Object[] {s(2, 3, 2, 2), s(3, 1, 3, 3), p(3, 3), p(1, 1), p(2, 0), p(1, 1), 3},
                // outputPadding may reach the stride when the dilation is larger (PyTorch's rule)
                new Object[] {s(1, 2, 3, 4), s(2, 3, 3, 2), p(1, 2), p(1, 1), p(1, 1), p(2, 1), 1},
                new Object[] {s(3, 8, 9, 10), s(8, 4, 3, 3), p(2, 2), p(1, 1), p(1, 1), p(1, 1), 2}));
    }

    @ParameterizedTest(name = "x{0} w{1} s{2} p{3} op{4} d{5} g{6} {7}")
    @MethodSource("convTransposeCases")
    void convTranspose2d_strideOutputPaddingGroups_matchesScatter(long[] xs, long[] ws, int[] st, int[] pd, int[] op,
            int[] dl, int groups, DType t) {
        double[] x = randomValues(numel(xs), 10);
        double[] w = randomValues(numel(ws), 11);
        long[] out = new long[4];
        double[] expected = convTranspose2dRef(x, xs, w, ws, st, pd, op, dl, groups, out);
        Tensor r = F.convTranspose2d(tensor(x, xs, t), tensor(w, ws, t), null, st, pd, op, dl, groups);
        assertValues(expected, out, t, r, tol(t), tol(t));
    }

    @ParameterizedTest
    @MethodSource("dev.janus.conformance.ShapeTestSupport#floatTypes")
    void convTranspose2d_withBias_addsPerChannel(DType t) {
        double[] x = randomValues(2 * 2 * 3 * 3, 12);
        double[] w = randomValues(2 * 3 * 2 * 2, 13);
        double[] b = randomValues(3, 14);
        long[] out = new long[4];
        double[] expected = convTranspose2dRef(x, s(2, 2, 3, 3), w, s(2, 3, 2, 2), p(2, 2), p(0, 0), p(0, 0), p(1, 1), 1, out);
        int plane = (int) (out[2] * out[3]);
        for (int i = 0; i < expected.length; i++) {
            expected[i] += b[(i / plane) % 3];
        }
        Tensor r = F.convTranspose2d(tensor(x, s(2, 2, 3, 3), t), tensor(w, s(2, 3, 2, 2), t), tensor(b, s(3), t), 2, 0);
        assertValues(expected, out, t, r, tol(t), tol(t));
    }

    // ------------------------------------------------------------------ pooling

    static Stream<Arguments> maxPoolCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(1, 1, 4, 4), p(2, 2), p(2, 2), p(0, 0), p(1, 1)},
                new Object[] {s(2, 3, 7, 6), p(3, 3), p(2, 2), p(1, 1), p(1, 1)},
                new Object[] {s(1, 2, 8, 7), p(3, 2), p(1, 2), p(1, 0), p(2, 1)},
                new Object[] {s(1, 1, 5, 5), p(2, 2), p(1, 1), p(1, 1), p(1, 1)},
                new Object[] {s(1, 1, 6, 6), p(3, 3), p(3, 3), p(0, 0), p(1, 1)},
                new Object[] {s(0, 2, 4, 4), p(2, 2), p(2, 2), p(0, 0), p(1, 1)},
                new Object[] {s(4, 8, 20, 20), p(3, 3), p(2, 2), p(1, 1), p(1, 1)}));
    }

    @ParameterizedTest(name = "x{0} k{1} s{2} p{3} d{4} {5}")
    @MethodSource("maxPoolCases")
    void maxPool2d_stridePaddingDilation_matchesWindowMax(long[] xs, int[] k, int[] st, int[] pd, int[] dl, DType t) {
        double[] x = randomValues(numel(xs), 15);
        long[] out = new long[4];
        double[] expected = poolRef(x, xs, k, st, pd, dl, true, out);
        assertValues(expected, out, t, F.maxPool2d(tensor(x, xs, t), k, st, pd, dl), 0, 0);
    }

    @ParameterizedTest
    @MethodSource("dev.janus.conformance.ShapeTestSupport#floatTypes")
    void maxPool2d_negativeInputsWithPadding_neverPicksPadding(DType t) {
        double[] x = randomValues(16, 16);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (-10 - Math.abs(x[i]));
        }
        long[] out = new long[4];
        double[] expected = poolRef(x, s(1, 1, 4, 4), p(3, 3), p(2, 2), p(1, 1), p(1, 1), true, out);
        assertValues(expected, out, t, F.maxPool2d(tensor(x, s(1, 1, 4, 4), t), p(3, 3), p(2, 2), p(1, 1), p(1, 1)), 0, 0);
    }

    @ParameterizedTest
    @MethodSource("dev.janus.conformance.ShapeTestSupport#floatTypes")
    void maxPool2d_nanInWindow_propagatesNaN(DType t) {
        double[] x = {1, Double.NaN, 3, 4, 5, 6, 7, 8, 9};
        double[] r = F.maxPool2d(tensor(x, s(1, 1, 3, 3), t), p(2, 2), p(1, 1), p(0, 0), p(1, 1)).toDoubleArray();
        ShapeTestSupport.assertClose(new double[] {Double.NaN, Double.NaN, 8, 9}, r, 0, 0);
    }

    static Stream<Arguments> avgPoolCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(1, 1, 4, 4), p(2, 2), p(2, 2), p(0, 0)},
                new Object[] {s(2, 3, 7, 6), p(3, 3), p(2, 2), p(1, 1)},
                new Object[] {s(1, 2, 5, 8), p(2, 3), p(1, 2), p(1, 1)},
                new Object[] {s(0, 2, 4, 4), p(2, 2), p(2, 2), p(0, 0)}));
    }

    @ParameterizedTest(name = "x{0} k{1} s{2} p{3} {4}")
    @MethodSource("avgPoolCases")
    void avgPool2d_zeroPaddingCounted_matchesWindowMean(long[] xs, int[] k, int[] st, int[] pd, DType t) {
        double[] x = randomValues(numel(xs), 17);
        long[] out = new long[4];
        double[] expected = poolRef(x, xs, k, st, pd, p(1, 1), false, out);
        assertValues(expected, out, t, F.avgPool2d(tensor(x, xs, t), k, st, pd), tol(t), tol(t));
    }

    static Stream<Arguments> adaptiveCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(2, 3, 6, 8), 3, 4},
                new Object[] {s(1, 2, 5, 7), 3, 4},
                new Object[] {s(1, 1, 10, 9), 4, 3},
                new Object[] {s(1, 1, 5, 7), 1, 1},
                new Object[] {s(1, 2, 3, 3), 5, 4},
                new Object[] {s(2, 1, 7, 5), 7, 5}));
    }

    @ParameterizedTest(name = "x{0} -> {1}x{2} {3}")
    @MethodSource("adaptiveCases")
    void adaptiveAvgPool2d_anySize_usesTorchBins(long[] xs, int outH, int outW, DType t) {
        double[] x = randomValues(numel(xs), 18);
        assertValues(adaptiveAvgRef(x, xs, outH, outW), s(xs[0], xs[1], outH, outW), t,
                F.adaptiveAvgPool2d(tensor(x, xs, t), outH, outW), tol(t), tol(t));
    }

    // ------------------------------------------------------------------ gradients

    @Test
    void conv2d_gradientWithStridePaddingDilation_matchesFiniteDifferences() {
        // height 6 with stride 2 leaves one input row unused: the input gradient needs outputPadding 1
        GradCheck.check(in -> F.conv2d(in[0], in[1], in[2], p(2, 1), p(1, 2), p(1, 2), 1),
                f64(randomValues(2 * 2 * 6 * 6, 20), 2, 2, 6, 6), f64(randomValues(3 * 2 * 3 * 2, 21), 3, 2, 3, 2),
                f64(randomValues(3, 22), 3));
    }

    @Test
    void conv2d_gradientWithGroups_matchesFiniteDifferences() {
        GradCheck.check(in -> F.conv2d(in[0], in[1], null, p(2, 2), p(1, 1), p(1, 1), 2),
                f64(randomValues(4 * 6 * 6, 23), 1, 4, 6, 6), f64(randomValues(4 * 2 * 3 * 3, 24), 4, 2, 3, 3));
    }

    @Test
    void conv2d_gradientLargeEnoughForParallelKernels_matchesFiniteDifferences() {
        GradCheck.check(in -> F.conv2d(in[0], in[1], null, 1, 1), f64(randomValues(2 * 8 * 12 * 12, 38), 2, 8, 12, 12),
                f64(randomValues(8 * 8 * 3 * 3, 39), 8, 8, 3, 3));
    }

    @Test
    void conv1d_gradient_matchesFiniteDifferences() {
        GradCheck.check(in -> F.conv1d(in[0], in[1], in[2], 2, 1, 2, 2),
                f64(randomValues(2 * 4 * 9, 25), 2, 4, 9), f64(randomValues(4 * 2 * 3, 26), 4, 2, 3),
                f64(randomValues(4, 27), 4));
    }

    @Test
    void convTranspose2d_gradientWithStrideOutputPaddingGroups_matchesFiniteDifferences() {
        GradCheck.check(in -> F.convTranspose2d(in[0], in[1], in[2], p(2, 2), p(1, 0), p(1, 1), p(1, 1), 2),
                f64(randomValues(4 * 3 * 3, 28), 1, 4, 3, 3), f64(randomValues(4 * 2 * 2 * 3, 29), 4, 2, 2, 3),
                f64(randomValues(4, 30), 4));
    }

    @Test
    void convTranspose2d_gradientOutputPaddingReachingStride_matchesFiniteDifferences() {
        GradCheck.check(in -> F.convTranspose2d(in[0], in[1], null, p(1, 2), p(1, 1), p(1, 1), p(2, 1), 1),
                f64(randomValues(2 * 3 * 4, 36), 1, 2, 3, 4), f64(randomValues(2 * 3 * 3 * 2, 37), 2, 3, 3, 2));
    }

    @Test
    void maxPool2d_gradientWithoutTies_matchesFiniteDifferences() {
        GradCheck.check(in -> F.maxPool2d(in[0], p(3, 2), p(2, 1), p(1, 1), p(1, 2)),
                f64(distinctValues(2 * 2 * 5 * 6, 31), 2, 2, 5, 6));
    }

    @Test
    void maxPool2d_overlappingWindows_gradientMatchesFiniteDifferences() {
        GradCheck.check(in -> F.maxPool2d(in[0], p(3, 3), p(1, 1), p(1, 1), p(1, 1)), f64(distinctValues(25, 32), 1, 1, 5, 5));
    }

    @Test
    void avgPool2d_gradient_matchesFiniteDifferences() {
        GradCheck.check(in -> F.avgPool2d(in[0], p(3, 2), p(2, 2), p(1, 1)), f64(randomValues(2 * 5 * 6, 33), 1, 2, 5, 6));
    }

    @Test
    void adaptiveAvgPool2d_gradientNonDivisible_matchesFiniteDifferences() {
        GradCheck.check(in -> F.adaptiveAvgPool2d(in[0], 3, 2), f64(randomValues(2 * 5 * 7, 34), 1, 2, 5, 7));
    }

    @Test
    void adaptiveAvgPool2d_gradientDivisible_matchesFiniteDifferences() {
        GradCheck.check(in -> F.adaptiveAvgPool2d(in[0], 2, 3), f64(randomValues(2 * 4 * 6, 35), 1, 2, 4, 6));
    }
}
