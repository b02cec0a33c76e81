package dev.janus.conformance;

import static dev.janus.conformance.ShapeTestSupport.assertExact;
import static dev.janus.conformance.ShapeTestSupport.assertValues;
import static dev.janus.conformance.ShapeTestSupport.f64;
import static dev.janus.conformance.ShapeTestSupport.numel;
import static dev.janus.conformance.ShapeTestSupport.randomValues;
import static dev.janus.conformance.ShapeTestSupport.ravel;
import static dev.janus.conformance.ShapeTestSupport.tensor;
import static dev.janus.conformance.ShapeTestSupport.unravel;
import static dev.janus.conformance.ShapeTestSupport.withFloatTypes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.GradCheck;
import dev.janus.Tensor;
import dev.janus.nn.F;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The composite nn functions — softmax, logSoftmax, dropout, embedding, batchNorm and layerNorm — against
 * plain double references in float32 and float64, with their numerical-stability and statistics contracts,
 * plus float64 gradient checks.
 */
class NnFunctionalConformanceTest {
    /** Probabilities and normalized values: a few float32 ulps of values of order 1. */
    private static final double F32_TOL = 2e-6;
    private static final double F64_TOL = 1e-13;
    /** Normalization divides by a standard deviation: allow a few more ulps. */
    private static final double NORM_F32_TOL = 1e-5;
    /** logSoftmax of inputs near ±1000: error of an ulp of the input (6e-5 in float32, 1e-13 in float64). */
    private static final double LOG_F32_PER_UNIT = 2e-7;
    private static final double LOG_F64_PER_UNIT = 1e-15;

    private static final double EPS = 1e-5;

    private static long[] s(long... d) {
        return d;
    }

    private static double tol(DType t) {
        return t == DType.FLOAT32 ? F32_TOL : F64_TOL;
    }

    // ------------------------------------------------------------------ softmax, logSoftmax

    /** Softmax (or log-softmax) along {@code axis} via max-subtraction in double. */
    static double[] softmaxRef(double[] x, long[] shape, int axis, boolean log) {
        int a = axis < 0 ? axis + shape.length : axis;
        double[] r = new double[x.length];
        for (int f = 0; f < x.length; f++) {
            int[] idx = unravel(f, shape);
            double m = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < shape[a]; k++) {
                idx[a] = k;
                m = Math.max(m, x[ravel(idx, shape)]);
            }
            double sum = 0;
            for (int k = 0; k < shape[a]; k++) {
                idx[a] = k;
                sum += Math.exp(x[ravel(idx, shape)] - m);
            }
            r[f] = log ? x[f] - m - Math.log(sum) : Math.exp(x[f] - m) / sum;
        }
        return r;
    }

    static Stream<Arguments> softmaxCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(3, 5), -1, 0.0},
                new Object[] {s(3, 5), 0, 0.0},
                new Object[] {s(2, 3, 4), 1, 0.0},
                new Object[] {s(4, 6), 1, 1000.0},
                new Object[] {s(4, 6), 1, -1000.0},
                new Object[] {s(5), 0, 1000.0},
                new Object[] {s(1, 1), 1, 0.0},
                new Object[] {s(0, 5), 1, 0.0}));
    }

    private static double[] shifted(long[] shape, double offset, long seed) {
        double[] x = randomValues(numel(shape), seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] * 3 + offset);
        }
        return x;
    }

    @ParameterizedTest(name = "{0} axis {1} offset {2} {3}")
    @MethodSource("softmaxCases")
    void softmax_anyOffset_isFiniteAndRowsSumToOne(long[] shape, int axis, double offset, DType t) {
        double[] x = shifted(shape, offset, 1);
        Tensor y = tensor(x, shape, t).softmax(axis);
        assertValues(softmaxRef(x, shape, axis, false), shape, t, y, tol(t), tol(t));
        assertTrue(y.isFinite().all().item() != 0, "softmax of finite inputs must be finite");
        long[] reduced = shape.clone();
        reduced[axis < 0 ? axis + shape.length : axis] = 1;
        double[] ones = new double[numel(reduced)];
        Arrays.fill(ones, 1.0);
        assertValues(ones, reduced, t, y.sum(axis, true), 4 * tol(t), 0);
        assertEquals(y.toDoubleArray().length, Arrays.stream(y.toDoubleArray()).filter(v -> v >= 0 && v <= 1).count());
    }

    @ParameterizedTest(name = "{0} axis {1} offset {2} {3}")
    @MethodSource("softmaxCases")
    void logSoftmax_anyOffset_isFiniteAndMatchesReference(long[] shape, int axis, double offset, DType t) {
        double[] x = shifted(shape, offset, 2);
        Tensor y = tensor(x, shape, t).logSoftmax(axis);
        double scale = 1 + Math.abs(offset) + 10;
        double atol = scale * (t == DType.FLOAT32 ? LOG_F32_PER_UNIT : LOG_F64_PER_UNIT);
        assertValues(softmaxRef(x, shape, axis, true), shape, t, y, atol, tol(t));
        assertTrue(y.isFinite().all().item() != 0, "logSoftmax of finite inputs must be finite");
    }

    @ParameterizedTest
    @MethodSource("dev.janus.conformance.ShapeTestSupport#floatTypes")
    void softmax_extremeSpread_saturatesWithoutNaN(DType t) {
        double[] x = {1000, -1000, 0, -1e30, 1e30, 5};
        assertValues(new double[] {1, 0, 0, 0, 1, 0}, s(2, 3), t, tensor(x, s(2, 3), t).softmax(1), 0, 0);
        assertValues(new double[] {0, -2000, -1000, -1e30 - 1e30, 0, 5 - 1e30}, s(2, 3), t,
                tensor(x, s(2, 3), t).logSoftmax(1), 0, 1e-6);
    }

    @ParameterizedTest
    @MethodSource("dev.janus.conformance.ShapeTestSupport#floatTypes")
    void softmax_negativeInfinityEntry_getsZeroProbability(DType t) {
        double[] x = {Double.NEGATIVE_INFINITY, 0, 1};
        double e = Math.E;
        assertValues(new double[] {0, 1 / (1 + e), e / (1 + e)}, s(3), t, tensor(x, s(3), t).softmax(0), tol(t), tol(t));
        assertValues(new double[] {Double.NEGATIVE_INFINITY, -Math.log(1 + e), 1 - Math.log(1 + e)}, s(3), t,
                tensor(x, s(3), t).logSoftmax(0), tol(t), tol(t));
    }

    // ------------------------------------------------------------------ dropout

    @ParameterizedTest
    @MethodSource("dev.janus.conformance.ShapeTestSupport#floatTypes")
    void dropout_sameSeed_sameMask(DType t) {
        Tensor x = tensor(randomValues(1000, 3), s(10, 100), t);
        double[] a = F.dropout(x, 0.4, true, new Generator(99)).toDoubleArray();
        double[] b = F.dropout(x, 0.4, true, new Generator(99)).toDoubleArray();
        double[] c = F.dropout(x, 0.4, true, new Generator(100)).toDoubleArray();
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c), "a different seed should give a different mask");
    }

    @ParameterizedTest
    @MethodSource("dev.janus.conformance.ShapeTestSupport#floatTypes")
    void dropout_notTraining_isIdentity(DType t) {
        double[] v = randomValues(50, 4);
        Tensor x = tensor(v, s(5, 10), t);
        assertExact(v, s(5, 10), t, F.dropout(x, 0.5, false, new Generator(1)));
        assertExact(v, s(5, 10), t, F.dropout(x, 0.0, true, new Generator(1)));
    }

    @ParameterizedTest
    @MethodSource("dev.janus.conformance.ShapeTestSupport#floatTypes")
    void dropout_training_keepsAboutOneMinusPScaled(DType t) {
        int n = 100_000;
        double pDrop = 0.3;
        double[] v = randomValues(n, 5);
        for (int i = 0; i < n; i++) {
            v[i] = v[i] == 0 ? 1 : v[i];
        }
        double[] y = F.dropout(tensor(v, s(n), t), pDrop, true, new Generator(7)).toDoubleArray();
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (y[i] != 0) {
                kept++;
                double expected = v[i] / (1 - pDrop);
                assertEquals(expected, y[i], 4 * tol(t) * Math.abs(expected), "kept value " + i);
            }
        }
        // binomial standard deviation of the kept fraction: sqrt(0.21 / 1e5) ≈ 0.0015; allow ~7 of them
        assertEquals(1 - pDrop, kept / (double) n, 0.01);
    }

    @Test
    void dropout_pOne_zeroesAndBadP_throws() {
        assertExact(new double[6], s(2, 3), DType.FLOAT32, F.dropout(Tensor.ones(2, 3), 1.0, true, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> F.dropout(Tensor.ones(2), 1.5, true, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> F.dropout(Tensor.ones(2), -0.1, true, new Generator(1)));
    }

    @Test
    void dropout_notTraining_returnsInput() {
        Tensor x = Tensor.ones(3);
        assertSame(x, F.dropout(x, 0.5, false));
    }

    // ------------------------------------------------------------------ embedding

    static Stream<Arguments> embeddingCases() {
        return withFloatTypes(Stream.of(
                new Object[] {new long[] {4, 0, 4, 2, 1, 3}, s(2, 3), DType.INT64},
                new Object[] {new long[] {2, 2}, s(2), DType.INT32},
                new Object[] {new long[] {}, s(0), DType.INT64},
                new Object[] {new long[] {3}, s(1, 1, 1), DType.INT64}));
    }

    @ParameterizedTest(name = "{0} as {1} ({2}) {3}")
    @MethodSource("embeddingCases")
    void embedding_indices_pickWeightRows(long[] ids, long[] idShape, DType idType, DType t) {
        double[] w = randomValues(5 * 3, 6);
        long[] out = Arrays.copyOf(idShape, idShape.length + 1);
        out[idShape.length] = 3;
        double[] expected = new double[ids.length * 3];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(w, (int) ids[i] * 3, expected, i * 3, 3);
        }
        Tensor idx = Tensor.of(ids, idShape);
        idx = idType == DType.INT32 ? idx.cast(DType.INT32) : idx;
        assertExact(expected, out, t, F.embedding(idx, tensor(w, s(5, 3), t)));
    }

    @Test
    void embedding_scalarIndex_givesOneRow() {
        double[] w = randomValues(5 * 3, 7);
        Tensor r = F.embedding(Tensor.scalar(2, DType.INT64), f64(w, 5, 3));
        assertExact(Arrays.copyOfRange(w, 6, 9), s(3), DType.FLOAT64, r);
    }

    @Test
    void embedding_floatIndices_throw() {
        assertThrows(IllegalArgumentException.class, () -> F.embedding(Tensor.zeros(2), Tensor.zeros(4, 3)));
    }

    // ------------------------------------------------------------------ batchNorm

    /** Per-channel batch mean and biased variance of x[N, C, ...]. */
    static double[][] channelStats(double[] x, long[] shape) {
        int c = (int) shape[1];
        int inner = numel(Arrays.copyOfRange(shape, 2, shape.length));
        int n = (int) shape[0];
        double[] mean = new double[c];
        double[] var = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < inner; i++) {
                    sum += x[(b * c + ch) * inner + i];
                }
            }
            mean[ch] = sum / (n * inner);
            double sq = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < inner; i++) {
                    double d = x[(b * c + ch) * inner + i] - mean[ch];
                    sq += d * d;
                }
            }
            var[ch] = sq / (n * inner);
        }
        return new double[][] {mean, var};
    }

    static double[] normalizeRef(double[] x, long[] shape, double[] mean, double[] var, double[] w, double[] b) {
        int c = (int) shape[1];
        int inner = numel(Arrays.copyOfRange(shape, 2, shape.length));
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = (i / inner) % c;
            double y = (x[i] - mean[ch]) / Math.sqrt(var[ch] + EPS);
            r[i] = y * (w == null ? 1 : w[ch]) + (b == null ? 0 : b[ch]);
        }
        return r;
    }

    static Stream<Arguments> batchNormShapes() {
        return withFloatTypes(Stream.of(new Object[] {s(4, 3, 2, 2)}, new Object[] {s(5, 3)}, new Object[] {s(2, 3, 5)}));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("batchNormShapes")
    void batchNorm_training_usesBatchStatsAndUpdatesRunningStats(long[] shape, DType t) {
        double[] x = randomValues(numel(shape), 8);
        double[] w = randomValues(3, 9);
        double[] b = randomValues(3, 10);
        double[] rm0 = {0.5, -0.25, 1.0};
        double[] rv0 = {1.0, 2.0, 0.5};
        double momentum = 0.1;
        double[][] st = channelStats(x, shape);
        Tensor rm = tensor(rm0, s(3), t);
        Tensor rv = tensor(rv0, s(3), t);
        Tensor y = F.batchNorm(tensor(x, shape, t), rm, rv, tensor(w, s(3), t), tensor(b, s(3), t), true, momentum, EPS);
        double nt = t == DType.FLOAT32 ? NORM_F32_TOL : F64_TOL;
        assertValues(normalizeRef(x, shape, st[0], st[1], w, b), shape, t, y, nt, nt);
        long count = numel(shape) / 3;
        double[] rmExpected = new double[3];
        double[] rvExpected = new double[3];
        for (int c = 0; c < 3; c++) {
            rmExpected[c] = (1 - momentum) * rm0[c] + momentum * st[0][c];
            rvExpected[c] = (1 - momentum) * rv0[c] + momentum * st[1][c] * count / (count - 1);
        }
        assertValues(rmExpected, s(3), t, rm, nt, nt);
        assertValues(rvExpected, s(3), t, rv, nt, nt);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("batchNormShapes")
    void batchNorm_evaluation_usesRunningStatsAndLeavesThem(long[] shape, DType t) {
        double[] x = randomValues(numel(shape), 11);
        double[] rm0 = {0.5, -0.25, 1.0};
        double[] rv0 = {1.0, 2.0, 0.5};
        Tensor rm = tensor(rm0, s(3), t);
        Tensor rv = tensor(rv0, s(3), t);
        Tensor y = F.batchNorm(tensor(x, shape, t), rm, rv, null, null, false, 0.1, EPS);
        double nt = t == DType.FLOAT32 ? NORM_F32_TOL : F64_TOL;
        assertValues(normalizeRef(x, shape, rm0, rv0, null, null), shape, t, y, nt, nt);
        assertExact(rm0, s(3), t, rm);
        assertExact(rv0, s(3), t, rv);
    }

    @Test
    void batchNorm_evaluationWithoutRunningStats_throws() {
        assertThrows(IllegalArgumentException.class,
                () -> F.batchNorm(Tensor.zeros(2, 3), null, null, null, null, false, 0.1, EPS));
    }

    // ------------------------------------------------------------------ layerNorm

    static double[] layerNormRef(double[] x, int group, double[] w, double[] b) {
        double[] r = new double[x.length];
        for (int g0 = 0; g0 < x.length; g0 += group) {
            double mean = 0;
            for (int i = 0; i < group; i++) {
                mean += x[g0 + i];
            }
            mean /= group;
            double var = 0;
            for (int i = 0; i < group; i++) {
                var += (x[g0 + i] - mean) * (x[g0 + i] - mean);
            }
            var /= group;
            for (int i = 0; i < group; i++) {
                double y = (x[g0 + i] - mean) / Math.sqrt(var + EPS);
                r[g0 + i] = y * (w == null ? 1 : w[i]) + (b == null ? 0 : b[i]);
            }
        }
        return r;
    }

    static Stream<Arguments> layerNormCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(2, 3, 4), 1, true},
                new Object[] {s(2, 3, 4), 2, true},
                new Object[] {s(2, 3, 4), 3, false},
                new Object[] {s(5, 8), 1, false}));
    }

    @ParameterizedTest(name = "{0} over {1} affine={2} {3}")
    @MethodSource("layerNormCases")
    void layerNorm_trailingAxes_normalizesEachGroup(long[] shape, int rank, boolean affine, DType t) {
        double[] x = randomValues(numel(shape), 12);
        long[] normShape = Arrays.copyOfRange(shape, shape.length - rank, shape.length);
        int group = numel(normShape);
        double[] w = affine ? randomValues(group, 13) : null;
        double[] b = affine ? randomValues(group, 14) : null;
        Tensor y = F.layerNorm(tensor(x, shape, t), rank, affine ? tensor(w, normShape, t) : null,
                affine ? tensor(b, normShape, t) : null, EPS);
        double nt = t == DType.FLOAT32 ? NORM_F32_TOL : F64_TOL;
        assertValues(layerNormRef(x, group, w, b), shape, t, y, nt, nt);
    }

    // ------------------------------------------------------------------ gradients

    @Test
    void softmax_gradient_matchesFiniteDifferences() {
        GradCheck.check(in -> in[0].softmax(1), f64(randomValues(12, 20), 3, 4));
        GradCheck.check(in -> F.softmax(in[0], 0), f64(randomValues(24, 21), 3, 2, 4));
    }

    @Test
    void logSoftmax_gradient_matchesFiniteDifferences() {
        GradCheck.check(in -> in[0].logSoftmax(0), f64(randomValues(12, 22), 3, 4));
        GradCheck.check(in -> F.logSoftmax(in[0], -1), f64(randomValues(24, 23), 3, 2, 4));
    }

    @Test
    void embedding_gradientWrtWeight_matchesFiniteDifferences() {
        Tensor ids = Tensor.of(new long[] {1, 3, 1, 0, 1, 4}, 2, 3);
        GradCheck.check(in -> F.embedding(ids, in[0]), f64(randomValues(15, 24), 5, 3));
    }

    @Test
    void batchNorm_trainingGradient_matchesFiniteDifferences() {
        GradCheck.check(in -> F.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, EPS),
                f64(randomValues(24, 25), 3, 2, 2, 2), f64(randomValues(2, 26), 2), f64(randomValues(2, 27), 2));
        GradCheck.check(in -> F.batchNorm(in[0], null, null, null, null, true, 0.1, EPS), f64(randomValues(12, 28), 4, 3));
    }

    @Test
    void layerNorm_gradient_matchesFiniteDifferences() {
        GradCheck.check(in -> F.layerNorm(in[0], 2, in[1], in[2], EPS),
                f64(randomValues(24, 29), 2, 3, 4), f64(randomValues(12, 30), 3, 4), f64(randomValues(12, 31), 3, 4));
        GradCheck.check(in -> F.layerNorm(in[0], 1, null, null, EPS), f64(randomValues(15, 32), 3, 5));
    }
}
