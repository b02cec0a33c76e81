package dev.janus.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolution forward against a naive 7-loop reference; its two gradients as adjoints of the forward
 * ({@code <conv(x,w), g> = <x, backInput(g,w)> = <w, backWeight(x,g)>}); max pooling against a naive loop and
 * central differences. The float kernels are checked against the double ones.
 */
class ConvKernelsTest {
    private static final double F32_TOL = 1e-5;

    /** One convolution: input {@code [n,c,h,w]}, {@code o} filters of {@code kh×kw}, window and groups. */
    record Case(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw,
            int groups) {
        int oh() {
            return ConvKernels.outSize(h, kh, sh, ph, dh);
        }

        int ow() {
            return ConvKernels.outSize(w, kw, sw, pw, dw);
        }

        int xSize() {
            return n * c * h * w;
        }

        int wSize() {
            return o * (c / groups) * kh * kw;
        }

        int ySize() {
            return n * o * oh() * ow();
        }
    }

    @AfterEach
    void restoreNative() {
        Gemm.forceJava(false);
    }

    static Stream<Case> cases() {
        Random rnd = new Random(2024);
        List<Case> cases = new ArrayList<>(List.of(
                new Case(3, 1, 28, 28, 6, 5, 5, 1, 1, 0, 0, 1, 1, 1), // LeNet conv1
                new Case(2, 6, 12, 12, 16, 5, 5, 1, 1, 0, 0, 1, 1, 1), // LeNet conv2
                new Case(2, 16, 14, 14, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1), // one image's GEMM above 64³: BLAS threads it
                new Case(2, 16, 9, 10, 4, 3, 2, 1, 1, 2, 1, 2, 1, 2), // input gradient via the flipped kernel
                new Case(3, 8, 9, 7, 4, 1, 1, 1, 1, 0, 0, 1, 1, 2), // 1×1, grouped: GEMM straight on the input
                new Case(2, 4, 10, 11, 4, 3, 3, 1, 1, 2, 1, 2, 1, 4), // depthwise, padded, dilated
                new Case(5, 2, 6, 6, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1))); // strided, more images than threads
        while (cases.size() < 40) {
            Case c = randomCase(rnd);
            if (c.oh() >= 1 && c.ow() >= 1) {
                cases.add(c);
            }
        }
        return cases.stream();
    }

    private static Case randomCase(Random rnd) {
        int groups = 1 + rnd.nextInt(3);
        int kh = 1 + rnd.nextInt(4);
        int kw = 1 + rnd.nextInt(4);
        int dh = 1 + rnd.nextInt(2);
        int dw = 1 + rnd.nextInt(2);
        int ph = rnd.nextInt(3);
        int pw = rnd.nextInt(3);
        int h = Math.max(1, dh * (kh - 1) + 1 - 2 * ph + rnd.nextInt(7));
        int w = Math.max(1, dw * (kw - 1) + 1 - 2 * pw + rnd.nextInt(7));
        return new Case(1 + rnd.nextInt(3), groups * (1 + rnd.nextInt(3)), h, w, groups * (1 + rnd.nextInt(3)),
                kh, kw, 1 + rnd.nextInt(3), 1 + rnd.nextInt(3), ph, pw, dh, dw, groups);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void conv2d_double_matchesNaiveLoops(Case k) {
        Random rnd = new Random(k.hashCode());
        double[] x = random(rnd, k.xSize());
        double[] w = random(rnd, k.wSize());
        double[] y = new double[k.ySize()];
        ConvKernels.conv2d(x, k.n, k.c, k.h, k.w, w, k.o, k.kh, k.kw, k.sh, k.sw, k.ph, k.pw, k.dh, k.dw, k.groups, y);
        double[] ref = naiveConv(k, x, w);
        for (int i = 0; i < y.length; i++) {
            assertEquals(ref[i], y[i], 1e-12 * (1 + Math.abs(ref[i])), k + " at " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void conv2d_float_matchesDoubleOnBothGemmPaths(Case k) {
        Random rnd = new Random(k.hashCode());
        double[] x = random(rnd, k.xSize());
        double[] w = random(rnd, k.wSize());
        double[] ref = naiveConv(k, x, w);
        for (boolean java : new boolean[] {false, true}) {
            Gemm.forceJava(java);
            float[] y = new float[k.ySize()];
            ConvKernels.conv2d(toF(x), k.n, k.c, k.h, k.w, toF(w), k.o, k.kh, k.kw, k.sh, k.sw, k.ph, k.pw, k.dh,
                    k.dw, k.groups, y);
            assertClose(ref, y, k.c / k.groups * k.kh * k.kw, k + " forceJava=" + java);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void conv2dBackward_double_areAdjointsOfForward(Case k) {
        Random rnd = new Random(k.hashCode() + 1);
        double[] x = random(rnd, k.xSize());
        double[] w = random(rnd, k.wSize());
        double[] g = random(rnd, k.ySize());
        double[] y = new double[k.ySize()];
        double[] gx = random(rnd, k.xSize()); // garbage: the kernels must overwrite, not add
        double[] gw = random(rnd, k.wSize());
        ConvKernels.conv2d(x, k.n, k.c, k.h, k.w, w, k.o, k.kh, k.kw, k.sh, k.sw, k.ph, k.pw, k.dh, k.dw, k.groups, y);
        ConvKernels.conv2dBackwardInput(g, k.n, k.o, k.oh(), k.ow(), w, k.c, k.h, k.w, k.kh, k.kw, k.sh, k.sw, k.ph,
                k.pw, k.dh, k.dw, k.groups, gx);
        ConvKernels.conv2dBackwardWeight(x, k.n, k.c, k.h, k.w, g, k.o, k.oh(), k.ow(), k.kh, k.kw, k.sh, k.sw,
                k.ph, k.pw, k.dh, k.dw, k.groups, gw);
        double forward = dot(y, g);
        double scale = absDot(naiveConvAbs(k, x, w), g) + 1e-300;
        assertEquals(forward, dot(x, gx), 1e-9 * scale, k + ": <conv(x,w),g> vs <x,backInput(g,w)>");
        assertEquals(forward, dot(w, gw), 1e-9 * scale, k + ": <conv(x,w),g> vs <w,backWeight(x,g)>");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void conv2dBackward_float_matchesDoubleOnBothGemmPaths(Case k) {
        Random rnd = new Random(k.hashCode() + 2);
        double[] x = random(rnd, k.xSize());
        double[] w = random(rnd, k.wSize());
        double[] g = random(rnd, k.ySize());
        double[] gx = new double[k.xSize()];
        double[] gw = new double[k.wSize()];
        ConvKernels.conv2dBackwardInput(g, k.n, k.o, k.oh(), k.ow(), w, k.c, k.h, k.w, k.kh, k.kw, k.sh, k.sw, k.ph,
                k.pw, k.dh, k.dw, k.groups, gx);
        ConvKernels.conv2dBackwardWeight(x, k.n, k.c, k.h, k.w, g, k.o, k.oh(), k.ow(), k.kh, k.kw, k.sh, k.sw,
                k.ph, k.pw, k.dh, k.dw, k.groups, gw);
        for (boolean java : new boolean[] {false, true}) {
            Gemm.forceJava(java);
            float[] fx = toF(random(rnd, k.xSize())); // garbage: the kernels must overwrite, not add
            float[] fw = toF(random(rnd, k.wSize()));
            ConvKernels.conv2dBackwardInput(toF(g), k.n, k.o, k.oh(), k.ow(), toF(w), k.c, k.h, k.w, k.kh, k.kw,
                    k.sh, k.sw, k.ph, k.pw, k.dh, k.dw, k.groups, fx);
            ConvKernels.conv2dBackwardWeight(toF(x), k.n, k.c, k.h, k.w, toF(g), k.o, k.oh(), k.ow(), k.kh, k.kw,
                    k.sh, k.sw, k.ph, k.pw, k.dh, k.dw, k.groups, fw);
            assertClose(gx, fx, k.o / k.groups * k.kh * k.kw, k + " backInput forceJava=" + java);
            assertClose(gw, fw, k.n * k.oh() * k.ow(), k + " backWeight forceJava=" + java);
        }
    }

    @Test
    void conv2dBackwardInput_outputPaddedTranspose_isAdjoint() {
        // a transposed conv 3→5 channels, 4×4 → 8×8: stride 2, kernel 3, padding 1, output padding 1 (7 + 1)
        Case minimal = new Case(2, 5, 7, 7, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1);
        Case padded = new Case(2, 5, 8, 8, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1);
        assertEquals(4, minimal.oh());
        assertEquals(4, padded.oh());
        Random rnd = new Random(5);
        double[] x = random(rnd, padded.xSize());
        double[] w = random(rnd, padded.wSize());
        double[] g = random(rnd, padded.ySize());
        double[] y = new double[padded.ySize()];
        double[] gx = new double[padded.xSize()];
        ConvKernels.conv2d(x, 2, 5, 8, 8, w, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, y);
        ConvKernels.conv2dBackwardInput(g, 2, 3, 4, 4, w, 5, 8, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1, gx);
        assertEquals(dot(y, g), dot(x, gx), 1e-9 * absDot(naiveConvAbs(padded, x, w), g));
    }

    @Test
    void conv2d_zeroSizedDimensions_giveZerosOrNothing() {
        for (boolean java : new boolean[] {false, true}) {
            Gemm.forceJava(java);
            // no input channels: the sum is empty, every output is 0 (also on the wide and flipped paths)
            float[] y = {7, 7, 7, 7, 7, 7, 7, 7};
            ConvKernels.conv2d(new float[0], 2, 0, 3, 3, new float[0], 1, 2, 2, 1, 1, 0, 0, 1, 1, 1, y);
            float[] gw = {7, 7, 7, 7};
            ConvKernels.conv2dBackwardWeight(new float[0], 0, 1, 3, 3, new float[0], 1, 2, 2, 2, 2, 1, 1, 0, 0, 1,
                    1, 1, gw);
            float[] gx = {7, 7, 7, 7, 7, 7, 7, 7, 7};
            ConvKernels.conv2dBackwardInput(new float[0], 1, 0, 2, 2, new float[0], 1, 3, 3, 2, 2, 1, 1, 0, 0, 1,
                    1, 1, gx);
            float[] gx16 = new float[16 * 9];
            Arrays.fill(gx16, 7);
            ConvKernels.conv2dBackwardInput(new float[0], 1, 0, 2, 2, new float[0], 16, 3, 3, 2, 2, 1, 1, 0, 0, 1,
                    1, 1, gx16);
            assertArrayEquals(new float[8], y, "forceJava=" + java);
            assertArrayEquals(new float[4], gw, "forceJava=" + java);
            assertArrayEquals(new float[9], gx, "forceJava=" + java);
            assertArrayEquals(new float[16 * 9], gx16, "forceJava=" + java);
        }
    }

    @Test
    void maxPool2d_matchesNaiveAndArgmax() {
        Random rnd = new Random(9);
        int[][] windows = {{2, 2, 2, 2, 0, 0, 1, 1}, {3, 3, 2, 2, 1, 1, 1, 1}, {3, 2, 1, 2, 1, 0, 2, 1},
            {2, 3, 3, 1, 1, 1, 1, 2}};
        for (int[] p : windows) {
            int n = 2;
            int c = 3;
            int h = 7;
            int w = 8;
            double[] x = random(rnd, n * c * h * w);
            for (int i = 0; i < x.length; i++) {
                x[i] -= 5; // all negative, so a padded -∞ must never win
            }
            int oh = ConvKernels.outSize(h, p[0], p[2], p[4], p[6]);
            int ow = ConvKernels.outSize(w, p[1], p[3], p[5], p[7]);
            double[] out = new double[n * c * oh * ow];
            int[] arg = new int[out.length];
            ConvKernels.maxPool2d(x, n, c, h, w, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], out, arg);
            float[] fout = new float[out.length];
            ConvKernels.maxPool2d(toF(x), n, c, h, w, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], fout, null);
            for (int plane = 0; plane < n * c; plane++) {
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        int o = (plane * oh + r) * ow + q;
                        double best = Double.NEGATIVE_INFINITY;
                        for (int ki = 0; ki < p[0]; ki++) {
                            for (int kj = 0; kj < p[1]; kj++) {
                                int ih = r * p[2] - p[4] + ki * p[6];
                                int iw = q * p[3] - p[5] + kj * p[7];
                                if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                                    best = Math.max(best, x[(plane * h + ih) * w + iw]);
                                }
                            }
                        }
                        assertEquals(best, out[o], 0.0);
                        assertEquals(best, x[plane * h * w + arg[o]], 0.0);
                        assertEquals((float) best, fout[o], 0.0f);
                    }
                }
            }
        }
    }

    @Test
    void maxPool2dBackward_matchesCentralDifferences() {
        Random rnd = new Random(10);
        int n = 2;
        int c = 2;
        int h = 9;
        int w = 7;
        int[] p = {3, 3, 2, 2, 1, 1, 1, 1}; // overlapping windows: one input can receive several gradients
        int oh = ConvKernels.outSize(h, p[0], p[2], p[4], p[6]);
        int ow = ConvKernels.outSize(w, p[1], p[3], p[5], p[7]);
        double[] x = random(rnd, n * c * h * w);
        double[] dir = random(rnd, x.length);
        double[] g = random(rnd, n * c * oh * ow);
        int[] arg = new int[g.length];
        double[] out = new double[g.length];
        ConvKernels.maxPool2d(x, n, c, h, w, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], out, arg);
        double[] gx = new double[x.length];
        ConvKernels.maxPool2dBackward(g, arg, n, c, h, w, oh, ow, gx);
        double eps = 1e-7;
        double[] plus = new double[g.length];
        double[] minus = new double[g.length];
        ConvKernels.maxPool2d(axpy(x, eps, dir), n, c, h, w, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], plus,
                null);
        ConvKernels.maxPool2d(axpy(x, -eps, dir), n, c, h, w, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], minus,
                null);
        double numeric = (dot(plus, g) - dot(minus, g)) / (2 * eps);
        assertEquals(numeric, dot(gx, dir), 1e-6);
        float[] fgx = new float[x.length];
        ConvKernels.maxPool2dBackward(toF(g), arg, n, c, h, w, oh, ow, fgx);
        assertClose(gx, fgx, 4, "float maxPool2dBackward");
    }

    @Test
    void maxPool2d_nanPropagates() {
        float[] x = {1, Float.NaN, 3, 4};
        float[] out = new float[1];
        int[] arg = new int[1];
        ConvKernels.maxPool2d(x, 1, 1, 2, 2, 2, 2, 2, 2, 0, 0, 1, 1, out, arg);
        assertTrue(Float.isNaN(out[0]));
        assertArrayEquals(new int[] {1}, arg);
    }

    @Test
    void maxPool2d_ties_pickFirstInWindow() {
        double[] x = new double[16]; // all zero: every window is one big tie; padding makes the output 3×3
        double[] out = new double[9];
        int[] arg = new int[9];
        ConvKernels.maxPool2d(x, 1, 1, 4, 4, 2, 2, 2, 2, 1, 1, 1, 1, out, arg);
        assertArrayEquals(new int[] {0, 1, 3, 4, 5, 7, 12, 13, 15}, arg);
    }

    // ---- reference and helpers ----

    /**
     * The 7-loop definition:
     * {@code y[n,o,r,q] = Σ_{ci,ki,kj} w[o,ci,ki,kj]·x[n, g·C/G+ci, r·sh-ph+ki·dh, q·sw-pw+kj·dw]}.
     */
    private static double[] naiveConv(Case k, double[] x, double[] w) {
        return naive(k, x, w, false);
    }

    /** The same sum over absolute values: the scale of the rounding error. */
    private static double[] naiveConvAbs(Case k, double[] x, double[] w) {
        return naive(k, x, w, true);
    }

    private static double[] naive(Case k, double[] x, double[] w, boolean abs) {
        int cg = k.c / k.groups;
        int og = k.o / k.groups;
        double[] y = new double[k.ySize()];
        for (int n = 0; n < k.n; n++) {
            for (int o = 0; o < k.o; o++) {
                for (int r = 0; r < k.oh(); r++) {
                    for (int q = 0; q < k.ow(); q++) {
                        double sum = 0;
                        for (int ci = 0; ci < cg; ci++) {
                            for (int ki = 0; ki < k.kh; ki++) {
                                for (int kj = 0; kj < k.kw; kj++) {
                                    int ih = r * k.sh - k.ph + ki * k.dh;
                                    int iw = q * k.sw - k.pw + kj * k.dw;
                                    if (ih < 0 || ih >= k.h || iw < 0 || iw >= k.w) {
                                        continue;
                                    }
                                    int c = o / og * cg + ci;
                                    double t = w[((o * cg + ci) * k.kh + ki) * k.kw + kj]
                                            * x[((n * k.c + c) * k.h + ih) * k.w + iw];
                                    sum += abs ? Math.abs(t) : t;
                                }
                            }
                        }
                        y[((n * k.o + o) * k.oh() + r) * k.ow() + q] = sum;
                    }
                }
            }
        }
        return y;
    }

    /** Float results within {@code terms}-proportional rounding of the double reference (inputs are in [-1, 1]). */
    private static void assertClose(double[] ref, float[] got, int terms, String what) {
        assertEquals(ref.length, got.length, what);
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], got[i], F32_TOL * (terms + 1), what + " at " + i);
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double absDot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] * b[i]);
        }
        return s;
    }

    private static double[] axpy(double[] x, double a, double[] y) {
        double[] r = x.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] += a * y[i];
        }
        return r;
    }

    private static double[] random(Random rnd, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = rnd.nextDouble() * 2 - 1;
        }
        return v;
    }

    private static float[] toF(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
