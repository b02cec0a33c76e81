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
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.janus.DType;
import dev.janus.GradCheck;
import dev.janus.Tensor;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ops that rearrange or fill values within a shape: pad (constant, reflect), flip, roll, tril, triu and
 * cumsum, against plain-loop references in float32 and float64 (zero-size and scalar shapes where the op
 * allows them), plus float64 gradient checks.
 */
class ShapeValueOpsConformanceTest {
    /** cumsum adds at most a handful of values: float32 error is a few ulps of the running sum. */
    private static final double CUMSUM_F32_TOL = 1e-6;
    private static final double CUMSUM_F64_TOL = 1e-14;

    private static long[] s(long... d) {
        return d;
    }

    // ------------------------------------------------------------------ pad

    /** Per-axis (before, after) from PyTorch's last-dimension-first padding list. */
    private static long[][] padPairs(int rank, long[] padding) {
        long[][] p = new long[rank][2];
        for (int i = 0; i < padding.length / 2; i++) {
            p[rank - 1 - i][0] = padding[2 * i];
            p[rank - 1 - i][1] = padding[2 * i + 1];
        }
        return p;
    }

    private static long[] paddedShape(long[] shape, long[][] p) {
        long[] out = new long[shape.length];
        for (int d = 0; d < shape.length; d++) {
            out[d] = shape[d] + p[d][0] + p[d][1];
        }
        return out;
    }

    static double[] padRef(double[] x, long[] shape, long[] padding, boolean reflect, double value, long[] out) {
        long[][] p = padPairs(shape.length, padding);
        System.arraycopy(paddedShape(shape, p), 0, out, 0, out.length);
        double[] r = new double[numel(out)];
        for (int f = 0; f < r.length; f++) {
            int[] idx = unravel(f, out);
            boolean inside = true;
            for (int d = 0; d < idx.length; d++) {
                int j = idx[d] - (int) p[d][0];
                int n = (int) shape[d];
                if (reflect) {
                    j = j < 0 ? -j : j >= n ? 2 * (n - 1) - j : j;
                }
                inside &= j >= 0 && j < n;
                idx[d] = j;
            }
            r[f] = inside ? x[ravel(idx, shape)] : value;
        }
        return r;
    }

    static Stream<Arguments> constantPadCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(2, 3), s(1, 2), 7.5},
                new Object[] {s(2, 3), s(1, 0, 0, 2), -1.0},
                new Object[] {s(2, 3), s(2, 2, 1, 1), 0.0},
                new Object[] {s(2, 3, 4), s(0, 1, 2, 0, 1, 1), 0.25},
                new Object[] {s(0, 3), s(1, 1), 2.0},
                new Object[] {s(3), s(0, 0), 5.0},
                new Object[] {s(), s(), 5.0}));
    }

    @ParameterizedTest(name = "{0} pad {1} value {2} {3}")
    @MethodSource("constantPadCases")
    void pad_constant_fillsWithValue(long[] shape, long[] padding, double value, DType t) {
        double[] x = randomValues(numel(shape), 1);
        long[] out = new long[shape.length];
        double[] expected = padRef(x, shape, padding, false, value, out);
        assertExact(expected, out, t, tensor(x, shape, t).pad(padding, "constant", value));
    }

    static Stream<Arguments> reflectPadCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(5), s(2, 1)},
                new Object[] {s(2, 5), s(2, 1)},
                new Object[] {s(3, 4), s(1, 1, 2, 1)},
                new Object[] {s(2, 3, 4), s(3, 0, 0, 2)},
                new Object[] {s(2, 4), s(0, 0)}));
    }

    @ParameterizedTest(name = "{0} reflect {1} {2}")
    @MethodSource("reflectPadCases")
    void pad_reflect_mirrorsWithoutEdge(long[] shape, long[] padding, DType t) {
        double[] x = randomValues(numel(shape), 2);
        long[] out = new long[shape.length];
        double[] expected = padRef(x, shape, padding, true, 0, out);
        assertExact(expected, out, t, tensor(x, shape, t).pad(padding, "reflect", 0));
    }

    @Test
    void pad_reflectAsWideAsInput_throws() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).pad(new long[] {3, 0}, "reflect", 0));
    }

    @Test
    void pad_unknownMode_throws() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).pad(new long[] {1, 1}, "wrap", 0));
    }

    // ------------------------------------------------------------------ flip and roll

    static double[] flipRef(double[] x, long[] shape, int[] dims) {
        double[] r = new double[x.length];
        for (int f = 0; f < r.length; f++) {
            int[] idx = unravel(f, shape);
            for (int d : dims) {
                int a = d < 0 ? d + shape.length : d;
                idx[a] = (int) shape[a] - 1 - idx[a];
            }
            r[f] = x[ravel(idx, shape)];
        }
        return r;
    }

    static Stream<Arguments> flipCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(2, 3, 4), new int[] {0, 2}},
                new Object[] {s(2, 3, 4), new int[] {-1}},
                new Object[] {s(2, 3, 4), new int[] {1}},
                new Object[] {s(2, 3, 4), new int[] {0, 1, 2}},
                new Object[] {s(2, 3, 4), new int[] {1, -3}},
                new Object[] {s(2, 3, 4), new int[] {2, 0}},
                new Object[] {s(5), new int[] {0}},
                new Object[] {s(0, 3), new int[] {0}},
                new Object[] {s(2, 3), new int[] {}},
                new Object[] {s(), new int[] {}}));
    }

    @ParameterizedTest(name = "{0} flip {1} {2}")
    @MethodSource("flipCases")
    void flip_anyDims_reversesEachOfThem(long[] shape, int[] dims, DType t) {
        double[] x = randomValues(numel(shape), 3);
        assertExact(flipRef(x, shape, dims), shape, t, tensor(x, shape, t).flip(dims));
    }

    @Test
    void flip_repeatedOrOutOfRangeDim_throws() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).flip(0, 0));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).flip(2));
    }

    static double[] rollRef(double[] x, long[] shape, long shift, int axis) {
        double[] r = new double[x.length];
        int a = axis < 0 ? axis + shape.length : axis;
        for (int f = 0; f < r.length; f++) {
            int[] idx = unravel(f, shape);
            idx[a] = (int) Math.floorMod(idx[a] - shift, shape[a]);
            r[f] = x[ravel(idx, shape)];
        }
        return r;
    }

    static Stream<Arguments> rollCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(5), 2L, 0},
                new Object[] {s(5), -1L, 0},
                new Object[] {s(5), 7L, 0},
                new Object[] {s(5), 0L, 0},
                new Object[] {s(3, 4), 1L, 1},
                new Object[] {s(3, 4), -2L, 0},
                new Object[] {s(3, 4), 5L, -1},
                new Object[] {s(0, 3), 1L, 0}));
    }

    @ParameterizedTest(name = "{0} roll({1}, {2}) {3}")
    @MethodSource("rollCases")
    void roll_shift_wrapsAround(long[] shape, long shift, int axis, DType t) {
        double[] x = randomValues(numel(shape), 4);
        assertExact(rollRef(x, shape, shift, axis), shape, t, tensor(x, shape, t).roll(shift, axis));
    }

    @ParameterizedTest
    @MethodSource("dev.janus.conformance.ShapeTestSupport#floatTypes")
    void roll_severalAxes_rollsEach(DType t) {
        double[] x = randomValues(12, 5);
        double[] expected = rollRef(rollRef(x, s(3, 4), 1, 0), s(3, 4), -3, 1);
        assertExact(expected, s(3, 4), t, tensor(x, s(3, 4), t).roll(new long[] {1, -3}, new int[] {0, 1}));
    }

    // ------------------------------------------------------------------ tril and triu

    static double[] triangleRef(double[] x, long[] shape, long k, boolean lower) {
        double[] r = new double[x.length];
        int rank = shape.length;
        for (int f = 0; f < r.length; f++) {
            int[] idx = unravel(f, shape);
            long d = idx[rank - 1] - idx[rank - 2];
            r[f] = (lower ? d <= k : d >= k) ? x[f] : 0;
        }
        return r;
    }

    static Stream<Arguments> triangleCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(4, 5), 0L},
                new Object[] {s(4, 5), 1L},
                new Object[] {s(4, 5), -1L},
                new Object[] {s(5, 4), -2L},
                new Object[] {s(2, 3, 3), 0L},
                new Object[] {s(3, 3), 5L},
                new Object[] {s(3, 3), -5L},
                new Object[] {s(0, 3), 0L}));
    }

    @ParameterizedTest(name = "{0} k={1} {2}")
    @MethodSource("triangleCases")
    void tril_diagonalK_keepsLowerTriangle(long[] shape, long k, DType t) {
        double[] x = randomValues(numel(shape), 6);
        assertExact(triangleRef(x, shape, k, true), shape, t, tensor(x, shape, t).tril(k));
    }

    @ParameterizedTest(name = "{0} k={1} {2}")
    @MethodSource("triangleCases")
    void triu_diagonalK_keepsUpperTriangle(long[] shape, long k, DType t) {
        double[] x = randomValues(numel(shape), 7);
        assertExact(triangleRef(x, shape, k, false), shape, t, tensor(x, shape, t).triu(k));
    }

    @Test
    void tril_vector_throws() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).tril(0));
    }

    // ------------------------------------------------------------------ cumsum

    static double[] cumsumRef(double[] x, long[] shape, int axis) {
        int a = axis < 0 ? axis + shape.length : axis;
        double[] r = new double[x.length];
        for (int f = 0; f < r.length; f++) {
            int[] idx = unravel(f, shape);
            int last = idx[a];
            double sum = 0;
            for (int m = 0; m <= last; m++) {
                idx[a] = m;
                sum += x[ravel(idx, shape)];
            }
            r[f] = sum;
        }
        return r;
    }

    static Stream<Arguments> cumsumCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(2, 3, 4), 0},
                new Object[] {s(2, 3, 4), 1},
                new Object[] {s(2, 3, 4), 2},
                new Object[] {s(2, 3, 4), -1},
                new Object[] {s(7), 0},
                new Object[] {s(0, 3), 1},
                new Object[] {s(3, 0), 0}));
    }

    @ParameterizedTest(name = "{0} axis {1} {2}")
    @MethodSource("cumsumCases")
    void cumsum_alongAxis_isRunningSum(long[] shape, int axis, DType t) {
        double[] x = randomValues(numel(shape), 8);
        double tol = t == DType.FLOAT32 ? CUMSUM_F32_TOL : CUMSUM_F64_TOL;
        assertValues(cumsumRef(x, shape, axis), shape, t, tensor(x, shape, t).cumsum(axis), tol, tol);
    }

    @Test
    void cumsum_integers_accumulateInInt64() {
        Tensor r = Tensor.of(new int[] {1, 2, 3, 2_000_000_000}).cumsum(0);
        assertEquals(DType.INT64, r.dtype());
        assertArrayEquals(new long[] {1, 3, 6, 2_000_000_006L}, r.toLongArray());
    }

    // ------------------------------------------------------------------ gradients

    static Stream<Arguments> gradCases() {
        return Stream.of(
                grad("padConstant", in -> in[0].pad(new long[] {1, 2, 0, 1}, "constant", 3.0), s(2, 3)),
                grad("padReflect", in -> in[0].pad(new long[] {2, 1, 1, 1}, "reflect", 0), s(3, 4)),
                grad("flip02", in -> in[0].flip(0, 2), s(2, 3, 2)),
                grad("flipNegative", in -> in[0].flip(-1), s(2, 3)),
                grad("roll", in -> in[0].roll(2, 1), s(2, 5)),
                grad("rollSeveral", in -> in[0].roll(new long[] {-1, 3}, new int[] {0, 1}), s(3, 4)),
                grad("tril", in -> in[0].tril(0), s(3, 4)),
                grad("triu", in -> in[0].triu(1), s(2, 3, 3)),
                grad("cumsum", in -> in[0].cumsum(1), s(2, 4, 2)));
    }

    static Arguments grad(String name, Function<Tensor[], Tensor> f, long[]... shapes) {
        return Arguments.of(name, f, shapes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gradCases")
    void gradient_float64_matchesFiniteDifferences(String name, Function<Tensor[], Tensor> f, long[][] shapes) {
        Tensor[] in = new Tensor[shapes.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = f64(randomValues(numel(shapes[i]), 50 + i), shapes[i]);
        }
        GradCheck.check(f, in);
    }
}
