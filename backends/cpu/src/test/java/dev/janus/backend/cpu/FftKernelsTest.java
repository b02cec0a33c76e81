package dev.janus.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link FftKernels} against a direct O(n²) DFT in double, on strided axes {@code (outer, n, inner)}. */
class FftKernelsTest {
    private static final int[] LENGTHS = {1, 2, 3, 4, 5, 7, 8, 12, 16, 17, 31, 64, 100, 128, 1000};

    /**
     * Double results: max error at most this times {@code 1 + log2(n)} times the largest expected magnitude
     * (an FFT's rounding error grows like ε log n; observed errors are about 1e-16..3e-15 of that scale).
     */
    private static final double DOUBLE_TOL = 1e-14;
    /** Float results: max error at most this times the largest expected magnitude. */
    private static final double FLOAT_TOL = 1e-4;

    private static double doubleTol(int n) {
        return DOUBLE_TOL * (1 + Math.log(n) / Math.log(2));
    }

    static Stream<Arguments> shapes() {
        List<Arguments> shapes = new ArrayList<>();
        for (int n : LENGTHS) {
            for (int outer : new int[] {1, 2}) {
                for (int inner : new int[] {1, 3}) {
                    shapes.add(Arguments.of(n, outer, inner));
                }
            }
        }
        return shapes.stream();
    }

    // ---------------------------------------------------------------------------------------------------
    // Complex transforms

    @ParameterizedTest(name = "n={0} outer={1} inner={2}")
    @MethodSource("shapes")
    void fft_anyLength_matchesDirectDft(int n, int outer, int inner) {
        double[] x = random(2 * outer * n * inner, n);
        for (boolean inverse : new boolean[] {false, true}) {
            double[] y = new double[x.length];
            FftKernels.fft(x, outer, n, inner, y, inverse);
            assertClose(referenceFft(x, outer, n, inner, inverse), y, doubleTol(n), "inverse=" + inverse);
        }
    }

    @ParameterizedTest(name = "n={0} outer={1} inner={2}")
    @MethodSource("shapes")
    void fft_floatArrays_matchDirectDftWithinFloatTolerance(int n, int outer, int inner) {
        float[] x = toFloat(random(2 * outer * n * inner, n));
        for (boolean inverse : new boolean[] {false, true}) {
            float[] y = new float[x.length];
            FftKernels.fft(x, outer, n, inner, y, inverse);
            assertClose(referenceFft(toDouble(x), outer, n, inner, inverse), toDouble(y), FLOAT_TOL, "float");
        }
    }

    @ParameterizedTest(name = "n={0} outer={1} inner={2}")
    @MethodSource("shapes")
    void fftThenInverse_anyLength_isIdentity(int n, int outer, int inner) {
        double[] x = random(2 * outer * n * inner, n + 1);
        double[] y = new double[x.length];
        double[] back = new double[x.length];
        FftKernels.fft(x, outer, n, inner, y, false);
        FftKernels.fft(y, outer, n, inner, back, true);
        assertClose(x, back, doubleTol(n), "ifft(fft(x))");
    }

    @Test
    void fft_sameArrayForSrcAndDst_transformsInPlace() {
        double[] x = random(2 * 2 * 12 * 3, 7);
        double[] expected = referenceFft(x, 2, 12, 3, false);
        FftKernels.fft(x, 2, 12, 3, x, false);
        assertClose(expected, x, doubleTol(12), "in place");
    }

    @Test
    void fft_manyLongLines_splitsAcrossThreadsAndMatchesDirectDft() {
        int outer = 3, n = 1000, inner = 16;   // 48 lines of Bluestein work: above Parallel's threshold
        double[] x = random(2 * outer * n * inner, 11);
        double[] y = new double[x.length];
        FftKernels.fft(x, outer, n, inner, y, false);
        assertClose(referenceFft(x, outer, n, inner, false), y, doubleTol(n), "parallel");
    }

    @Test
    void fft_documentedExample_givesDocumentedValues() {
        double[] y = new double[8];
        FftKernels.fft(new double[] {1, 0, 2, 0, 3, 0, 4, 0}, 1, 4, 1, y, false);
        assertArrayEquals(new double[] {10, 0, -2, 2, -2, 0, -2, -2}, y, 1e-12);
    }

    @Test
    void fft_arrayShorterThanAxis_throwsNamingTheArray() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> FftKernels.fft(new double[8], 1, 4, 1, new double[6], false));
        assertTrue(e.getMessage().startsWith("dst"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> FftKernels.fft(new double[0], 1, 0, 1, new double[0], false));
    }

    // ---------------------------------------------------------------------------------------------------
    // Real transforms

    @ParameterizedTest(name = "n={0} outer={1} inner={2}")
    @MethodSource("shapes")
    void rfft_anyLength_matchesNonNegativeBinsOfDirectDft(int n, int outer, int inner) {
        double[] x = random(outer * n * inner, n + 2);
        double[] y = new double[2 * outer * (n / 2 + 1) * inner];
        FftKernels.rfft(x, outer, n, inner, y);
        assertClose(referenceRfft(x, outer, n, inner), y, doubleTol(n), "rfft");

        float[] yf = new float[y.length];
        FftKernels.rfft(toFloat(x), outer, n, inner, yf);
        assertClose(referenceRfft(toDouble(toFloat(x)), outer, n, inner), toDouble(yf), FLOAT_TOL, "float");
    }

    @ParameterizedTest(name = "n={0} outer={1} inner={2}")
    @MethodSource("shapes")
    void irfft_anyLength_matchesDirectInverseIgnoringImaginaryDcAndNyquist(int n, int outer, int inner) {
        double[] spectrum = random(2 * outer * (n / 2 + 1) * inner, n + 3);   // Im of DC/Nyquist non-zero
        double[] x = new double[outer * n * inner];
        FftKernels.irfft(spectrum, outer, n, inner, x);
        assertClose(referenceIrfft(spectrum, outer, n, inner), x, doubleTol(n), "irfft");

        float[] xf = new float[x.length];
        FftKernels.irfft(toFloat(spectrum), outer, n, inner, xf);
        assertClose(referenceIrfft(toDouble(toFloat(spectrum)), outer, n, inner), toDouble(xf), FLOAT_TOL,
                "float");
    }

    @ParameterizedTest(name = "n={0} outer={1} inner={2}")
    @MethodSource("shapes")
    void irfftOfRfft_evenAndOddLengths_isIdentity(int n, int outer, int inner) {
        double[] x = random(outer * n * inner, n + 4);
        double[] y = new double[2 * outer * (n / 2 + 1) * inner];
        double[] back = new double[x.length];
        FftKernels.rfft(x, outer, n, inner, y);
        FftKernels.irfft(y, outer, n, inner, back);
        assertClose(x, back, doubleTol(n), "irfft(rfft(x))");
    }

    @Test
    void rfftAndIrfft_documentedExamples_giveDocumentedValues() {
        double[] y = new double[6];
        FftKernels.rfft(new double[] {1, 2, 3, 4}, 1, 4, 1, y);
        assertArrayEquals(new double[] {10, 0, -2, 2, -2, 0}, y, 1e-12);
        double[] x = new double[4];
        FftKernels.irfft(y, 1, 4, 1, x);
        assertArrayEquals(new double[] {1, 2, 3, 4}, x, 1e-12);
    }

    // ---------------------------------------------------------------------------------------------------
    // Reference: direct DFT in double, one strided line at a time

    /** X_k = Σ_j x_j exp(∓2πi jk/n), times 1/n for the inverse; the angle uses jk mod n for accuracy. */
    private static double[] dft(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        double sign = inverse ? 1 : -1;
        double[] cos = new double[n], sin = new double[n];
        for (int m = 0; m < n; m++) {
            cos[m] = Math.cos(2 * Math.PI * m / n);
            sin[m] = sign * Math.sin(2 * Math.PI * m / n);
        }
        double[] out = new double[2 * n];
        for (int k = 0; k < n; k++) {
            double sr = 0, si = 0;
            for (int j = 0; j < n; j++) {
                int m = (int) (((long) j * k) % n);
                double c = cos[m], s = sin[m];
                sr += re[j] * c - im[j] * s;
                si += re[j] * s + im[j] * c;
            }
            out[2 * k] = inverse ? sr / n : sr;
            out[2 * k + 1] = inverse ? si / n : si;
        }
        return out;
    }

    private static double[] referenceFft(double[] x, int outer, int n, int inner, boolean inverse) {
        double[] y = new double[x.length];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                double[] re = new double[n], im = new double[n];
                for (int i = 0; i < n; i++) {
                    re[i] = x[2 * ((o * n + i) * inner + j)];
                    im[i] = x[2 * ((o * n + i) * inner + j) + 1];
                }
                double[] line = dft(re, im, inverse);
                for (int i = 0; i < n; i++) {
                    y[2 * ((o * n + i) * inner + j)] = line[2 * i];
                    y[2 * ((o * n + i) * inner + j) + 1] = line[2 * i + 1];
                }
            }
        }
        return y;
    }

    private static double[] referenceRfft(double[] x, int outer, int n, int inner) {
        int bins = n / 2 + 1;
        double[] y = new double[2 * outer * bins * inner];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                double[] re = new double[n];
                for (int i = 0; i < n; i++) {
                    re[i] = x[(o * n + i) * inner + j];
                }
                double[] line = dft(re, new double[n], false);
                for (int k = 0; k < bins; k++) {
                    y[2 * ((o * bins + k) * inner + j)] = line[2 * k];
                    y[2 * ((o * bins + k) * inner + j) + 1] = line[2 * k + 1];
                }
            }
        }
        return y;
    }

    /** numpy.fft.irfft semantics: the Hermitian extension of the bins, real DC and Nyquist, real part out. */
    private static double[] referenceIrfft(double[] spectrum, int outer, int n, int inner) {
        int bins = n / 2 + 1;
        double[] x = new double[outer * n * inner];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                double[] re = new double[n], im = new double[n];
                for (int k = 0; k < bins; k++) {
                    double r = spectrum[2 * ((o * bins + k) * inner + j)];
                    double i = spectrum[2 * ((o * bins + k) * inner + j) + 1];
                    boolean selfConjugate = k == 0 || 2 * k == n;
                    re[k] = r;
                    im[k] = selfConjugate ? 0 : i;
                    re[(n - k) % n] = r;
                    im[(n - k) % n] = selfConjugate ? 0 : -i;
                }
                double[] line = dft(re, im, true);
                for (int i = 0; i < n; i++) {
                    x[(o * n + i) * inner + j] = line[2 * i];
                }
            }
        }
        return x;
    }

    // ---------------------------------------------------------------------------------------------------
    // Helpers

    /** Asserts {@code max|expected - actual| <= tol * max(max|expected|, 1e-300)}. */
    private static void assertClose(double[] expected, double[] actual, double tol, String what) {
        double scale = 1e-300, err = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            err = Math.max(err, Math.abs(expected[i] - actual[i]));
        }
        double relative = err / scale;
        assertTrue(relative <= tol, what + ": relative error " + relative + " > " + tol);
    }

    private static double[] random(int length, long seed) {
        Random random = new Random(seed);
        double[] a = new double[length];
        for (int i = 0; i < length; i++) {
            a[i] = 2 * random.nextDouble() - 1;
        }
        return a;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
