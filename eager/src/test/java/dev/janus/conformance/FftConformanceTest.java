package dev.janus.conformance;

import static dev.janus.conformance.ShapeTestSupport.assertValues;
import static dev.janus.conformance.ShapeTestSupport.f64;
import static dev.janus.conformance.ShapeTestSupport.numel;
import static dev.janus.conformance.ShapeTestSupport.randomValues;
import static dev.janus.conformance.ShapeTestSupport.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.janus.DType;
import dev.janus.GradCheck;
import dev.janus.Tensor;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * fft, ifft, rfft and irfft along any axis against a direct O(n²) DFT in double, for lengths 1, 2, 5, 8 and 12,
 * in float32 and float64; round trips; the interleaved (re, im) host layout; float64 gradient checks.
 * Complex tensors carry a trailing dimension of size 2, so the "signal shapes" below exclude it.
 */
class FftConformanceTest {
    private static final int[] LENGTHS = {1, 2, 5, 8, 12};
    /** Per unit of signal length: a DFT output sums n terms of order 1. */
    private static final double F32_TOL_PER_N = 2e-6;
    private static final double F64_TOL_PER_N = 1e-14;

    private static long[] s(long... d) {
        return d;
    }

    private static double tol(DType t, int n) {
        return (t == DType.FLOAT32 ? F32_TOL_PER_N : F64_TOL_PER_N) * Math.max(n, 2);
    }

    /** Signal shapes (no complex axis) with a placeholder -1 for the transformed axis, and that axis. */
    private static final Object[][] LAYOUTS = {
        {s(-1), 0},
        {s(3, -1), 1},
        {s(3, -1), -1},
        {s(-1, 3), 0},
        {s(-1, 2, 3), 0},
        {s(2, -1, 3), 1},
        {s(2, 3, -1), -1},
    };

    static Stream<Arguments> cases() {
        return Arrays.stream(LAYOUTS).flatMap(l -> IntStream.of(LENGTHS).boxed().flatMap(n -> {
            long[] shape = ((long[]) l[0]).clone();
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shape[i] == -1 ? n : shape[i];
            }
            return Stream.of(DType.FLOAT32, DType.FLOAT64).map(t -> Arguments.of(shape, l[1], n, t));
        }));
    }

    // ------------------------------------------------------------------ references

    /** (outer, n, inner) split of a signal shape around axis {@code a}. */
    private static int[] split(long[] shape, int a) {
        return new int[] {numel(Arrays.copyOfRange(shape, 0, a)), (int) shape[a],
            numel(Arrays.copyOfRange(shape, a + 1, shape.length))};
    }

    /** Direct complex DFT of interleaved (re, im) data; inverse uses e^{+i} and scales by 1/n. */
    static double[] dftRef(double[] x, long[] shape, int a, boolean inverse) {
        int[] d = split(shape, a);
        int n = d[1];
        double[] r = new double[x.length];
        double sign = inverse ? 1 : -1;
        for (int o = 0; o < d[0]; o++) {
            for (int i = 0; i < d[2]; i++) {
                for (int k = 0; k < n; k++) {
                    double re = 0;
                    double im = 0;
                    for (int t = 0; t < n; t++) {
                        int at = 2 * ((o * n + t) * d[2] + i);
                        double th = sign * 2 * Math.PI * ((long) k * t % n) / n;
                        re += x[at] * Math.cos(th) - x[at + 1] * Math.sin(th);
                        im += x[at] * Math.sin(th) + x[at + 1] * Math.cos(th);
                    }
                    int ak = 2 * ((o * n + k) * d[2] + i);
                    r[ak] = inverse ? re / n : re;
                    r[ak + 1] = inverse ? im / n : im;
                }
            }
        }
        return r;
    }

    /** Direct real DFT: the first n/2+1 bins, interleaved (re, im). */
    static double[] rdftRef(double[] x, long[] shape, int a) {
        int[] d = split(shape, a);
        int n = d[1];
        int m = n / 2 + 1;
        double[] r = new double[2 * d[0] * m * d[2]];
        for (int o = 0; o < d[0]; o++) {
            for (int i = 0; i < d[2]; i++) {
                for (int k = 0; k < m; k++) {
                    double re = 0;
                    double im = 0;
                    for (int t = 0; t < n; t++) {
                        double th = -2 * Math.PI * ((long) k * t % n) / n;
                        double v = x[(o * n + t) * d[2] + i];
                        re += v * Math.cos(th);
                        im += v * Math.sin(th);
                    }
                    int ak = 2 * ((o * m + k) * d[2] + i);
                    r[ak] = re;
                    r[ak + 1] = im;
                }
            }
        }
        return r;
    }

    /**
     * Direct inverse real DFT of m = n/2+1 bins to n samples: the spectrum is taken as Hermitian, so the
     * imaginary parts of the DC bin (and of the Nyquist bin for even n) do not contribute, as in numpy.
     */
    static double[] irdftRef(double[] spec, long[] specShape, int a, int n) {
        int[] d = split(specShape, a);
        int m = d[1];
        double[] r = new double[d[0] * n * d[2]];
        for (int o = 0; o < d[0]; o++) {
            for (int i = 0; i < d[2]; i++) {
                for (int t = 0; t < n; t++) {
                    double acc = 0;
                    for (int k = 0; k < m; k++) {
                        int ak = 2 * ((o * m + k) * d[2] + i);
                        double c = k == 0 || (n % 2 == 0 && k == n / 2) ? 1 : 2;
                        double th = 2 * Math.PI * ((long) k * t % n) / n;
                        acc += c * (spec[ak] * Math.cos(th) - spec[ak + 1] * Math.sin(th));
                    }
                    r[(o * n + t) * d[2] + i] = acc / n;
                }
            }
        }
        return r;
    }

    private static long[] withComplex(long[] shape) {
        long[] c = Arrays.copyOf(shape, shape.length + 1);
        c[shape.length] = 2;
        return c;
    }

    private static int norm(int axis, int rank) {
        return axis < 0 ? axis + rank : axis;
    }

    // ------------------------------------------------------------------ forward

    @ParameterizedTest(name = "{0} axis {1} n={2} {3}")
    @MethodSource("cases")
    void fft_complexSignal_matchesDirectDft(long[] shape, int axis, int n, DType t) {
        double[] x = randomValues(2 * numel(shape), 1);
        long[] cs = withComplex(shape);
        int a = norm(axis, shape.length);
        assertValues(dftRef(x, shape, a, false), cs, t, tensor(x, cs, t).fft(axis), tol(t, n), tol(t, n));
    }

    @ParameterizedTest(name = "{0} axis {1} n={2} {3}")
    @MethodSource("cases")
    void ifft_complexSignal_matchesScaledInverseDft(long[] shape, int axis, int n, DType t) {
        double[] x = randomValues(2 * numel(shape), 2);
        long[] cs = withComplex(shape);
        int a = norm(axis, shape.length);
        assertValues(dftRef(x, shape, a, true), cs, t, tensor(x, cs, t).ifft(axis), tol(t, n), tol(t, n));
    }

    @ParameterizedTest(name = "{0} axis {1} n={2} {3}")
    @MethodSource("cases")
    void rfft_realSignal_givesHalfSpectrum(long[] shape, int axis, int n, DType t) {
        double[] x = randomValues(numel(shape), 3);
        int a = norm(axis, shape.length);
        long[] out = shape.clone();
        out[a] = n / 2 + 1;
        assertValues(rdftRef(x, shape, a), withComplex(out), t, tensor(x, shape, t).rfft(axis), tol(t, n), tol(t, n));
    }

    @ParameterizedTest(name = "{0} axis {1} n={2} {3}")
    @MethodSource("cases")
    void irfft_halfSpectrum_matchesHermitianInverse(long[] shape, int axis, int n, DType t) {
        int a = norm(axis, shape.length);
        long[] specShape = shape.clone();
        specShape[a] = n / 2 + 1;
        double[] spec = randomValues(2 * numel(specShape), 4);
        Tensor r = tensor(spec, withComplex(specShape), t).irfft(axis, n);
        assertValues(irdftRef(spec, specShape, a, n), shape, t, r, tol(t, n), tol(t, n));
    }

    @ParameterizedTest(name = "{0} axis {1} n={2} {3}")
    @MethodSource("cases")
    void roundTrips_fftThenIfftAndRfftThenIrfft_giveInputBack(long[] shape, int axis, int n, DType t) {
        double[] z = randomValues(2 * numel(shape), 5);
        long[] cs = withComplex(shape);
        assertValues(z, cs, t, tensor(z, cs, t).fft(axis).ifft(axis), tol(t, n), tol(t, n));
        double[] x = randomValues(numel(shape), 6);
        assertValues(x, shape, t, tensor(x, shape, t).rfft(axis).irfft(axis, n), tol(t, n), tol(t, n));
        if (n % 2 == 0) {
            assertValues(x, shape, t, tensor(x, shape, t).rfft(axis).irfft(axis), tol(t, n), tol(t, n));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.janus.conformance.ShapeTestSupport#floatTypes")
    void rfft_hostArray_interleavesReAndIm(DType t) {
        double[] x = randomValues(8, 7);
        Tensor spec = tensor(x, s(8), t).rfft(0);
        double[] ref = rdftRef(x, s(8), 0);
        float[] f = spec.toFloatArray();
        assertEquals(10, f.length);
        double[] re = new double[5];
        double[] im = new double[5];
        for (int k = 0; k < 5; k++) {
            assertEquals(ref[2 * k], f[2 * k], 1e-5, "re of bin " + k);
            assertEquals(ref[2 * k + 1], f[2 * k + 1], 1e-5, "im of bin " + k);
            re[k] = ref[2 * k];
            im[k] = ref[2 * k + 1];
        }
        assertValues(re, s(5), t, spec.real(), tol(t, 8), tol(t, 8));
        assertValues(im, s(5), t, spec.imag(), tol(t, 8), tol(t, 8));
    }

    @ParameterizedTest
    @MethodSource("dev.janus.conformance.ShapeTestSupport#floatTypes")
    void fft_realSignalViaToComplex_matchesRfftBins(DType t) {
        double[] x = randomValues(6, 8);
        double[] full = tensor(x, s(6), t).toComplex().fft(0).toDoubleArray();
        double[] half = tensor(x, s(6), t).rfft(0).toDoubleArray();
        ShapeTestSupport.assertClose(half, Arrays.copyOf(full, 8), tol(t, 6), tol(t, 6));
    }

    @ParameterizedTest
    @MethodSource("dev.janus.conformance.ShapeTestSupport#floatTypes")
    void fft_zeroSizeBatch_givesEmptyResults(DType t) {
        assertValues(new double[0], s(0, 5, 2), t, Tensor.zeros(t, 0, 8).rfft(1), 0, 0);
        assertValues(new double[0], s(0, 4, 2), t, Tensor.zeros(t, 0, 4, 2).fft(1), 0, 0);
        assertValues(new double[0], s(0, 8), t, Tensor.zeros(t, 0, 5, 2).irfft(1, 8), 0, 0);
    }

    @Test
    void fft_notComplex_throws() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(4, 3).fft(0));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(4, 2).fft(1));
    }

    @Test
    void irfft_lengthNotMatchingBins_throws() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(5, 2).irfft(0, 6));
    }

    // ------------------------------------------------------------------ gradients

    static Stream<Arguments> gradCases() {
        return Stream.of(
                Arguments.of(s(5), 0),
                Arguments.of(s(8), 0),
                Arguments.of(s(1), 0),
                Arguments.of(s(4, 3), 0),
                Arguments.of(s(2, 6), 1),
                Arguments.of(s(2, 5), -1),
                Arguments.of(s(3, 2, 2), 0));
    }

    @ParameterizedTest(name = "{0} axis {1}")
    @MethodSource("gradCases")
    void fft_gradient_matchesFiniteDifferences(long[] shape, int axis) {
        GradCheck.check(in -> in[0].fft(axis), f64(randomValues(2 * numel(shape), 10), withComplex(shape)));
    }

    @ParameterizedTest(name = "{0} axis {1}")
    @MethodSource("gradCases")
    void ifft_gradient_matchesFiniteDifferences(long[] shape, int axis) {
        GradCheck.check(in -> in[0].ifft(axis), f64(randomValues(2 * numel(shape), 11), withComplex(shape)));
    }

    @ParameterizedTest(name = "{0} axis {1}")
    @MethodSource("gradCases")
    void rfft_gradient_matchesFiniteDifferences(long[] shape, int axis) {
        GradCheck.check(in -> in[0].rfft(axis), f64(randomValues(numel(shape), 12), shape));
    }

    @ParameterizedTest(name = "{0} axis {1}")
    @MethodSource("gradCases")
    void irfft_gradient_matchesFiniteDifferences(long[] shape, int axis) {
        int a = axis < 0 ? axis + shape.length : axis;
        int n = (int) shape[a];
        long[] specShape = shape.clone();
        specShape[a] = n / 2 + 1;
        GradCheck.check(in -> in[0].irfft(axis, n), f64(randomValues(2 * numel(specShape), 13), withComplex(specShape)));
    }
}
