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

import dev.janus.DType;
import dev.janus.GradCheck;
import dev.janus.Tensor;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * indexSelect, gather and scatterAdd against plain-loop references in float32 and float64 (int64 and int32
 * indices, duplicates, zero-size index tensors), plus float64 gradient checks.
 */
class IndexOpsConformanceTest {
    /** scatterAdd sums a few values per position: float32 error is a few ulps. */
    private static final double SCATTER_F32_TOL = 1e-6;
    private static final double SCATTER_F64_TOL = 1e-14;

    private static long[] s(long... d) {
        return d;
    }

    /** Random in-range indices for an index tensor of {@code shape} into an axis of size {@code n}. */
    private static long[] randomIndex(long[] shape, long n, long seed) {
        Random r = new Random(seed);
        long[] idx = new long[numel(shape)];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = r.nextInt((int) n);
        }
        return idx;
    }

    private static Tensor indexTensor(long[] values, long[] shape, DType type) {
        Tensor t = Tensor.of(values.clone(), shape);
        return type == DType.INT32 ? t.cast(DType.INT32) : t;
    }

    // ------------------------------------------------------------------ indexSelect

    static double[] indexSelectRef(double[] x, long[] shape, int axis, long[] index, long[] out) {
        System.arraycopy(shape, 0, out, 0, shape.length);
        out[axis] = index.length;
        double[] r = new double[numel(out)];
        for (int f = 0; f < r.length; f++) {
            int[] idx = unravel(f, out);
            idx[axis] = (int) index[idx[axis]];
            r[f] = x[ravel(idx, shape)];
        }
        return r;
    }

    static Stream<Arguments> indexSelectCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(4, 3), 0, s(3, 0, 3), DType.INT64},
                new Object[] {s(4, 3), 1, s(2, 0), DType.INT64},
                new Object[] {s(4, 3), -1, s(1), DType.INT32},
                new Object[] {s(2, 3, 4), 1, s(2, 2, 0, 1), DType.INT64},
                new Object[] {s(4, 3), 0, s(), DType.INT64},
                new Object[] {s(5), 0, s(4, 0), DType.INT32}));
    }

    @ParameterizedTest(name = "{0} axis {1} index {2} ({3}) {4}")
    @MethodSource("indexSelectCases")
    void indexSelect_indices_pickSlicesInOrder(long[] shape, int axis, long[] index, DType indexType, DType t) {
        double[] x = randomValues(numel(shape), 1);
        int a = axis < 0 ? axis + shape.length : axis;
        long[] out = new long[shape.length];
        double[] expected = indexSelectRef(x, shape, a, index, out);
        Tensor idx = indexTensor(index, s(index.length), indexType);
        assertExact(expected, out, t, tensor(x, shape, t).indexSelect(axis, idx));
    }

    // ------------------------------------------------------------------ gather

    static double[] gatherRef(double[] x, long[] shape, int axis, long[] index, long[] indexShape) {
        double[] r = new double[index.length];
        for (int f = 0; f < r.length; f++) {
            int[] idx = unravel(f, indexShape);
            idx[axis] = (int) index[f];
            r[f] = x[ravel(idx, shape)];
        }
        return r;
    }

    static Stream<Arguments> gatherCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(3, 4), 1, s(3, 2), DType.INT64},
                new Object[] {s(3, 4), 0, s(2, 4), DType.INT64},
                new Object[] {s(3, 4), 1, s(2, 6), DType.INT32},
                new Object[] {s(2, 3, 4), 2, s(2, 3, 2), DType.INT64},
                new Object[] {s(2, 3, 4), 1, s(2, 1, 4), DType.INT64},
                new Object[] {s(2, 3, 4), -3, s(3, 2, 1), DType.INT64},
                new Object[] {s(3, 4), 0, s(0, 4), DType.INT64}));
    }

    @ParameterizedTest(name = "{0} axis {1} index {2} ({3}) {4}")
    @MethodSource("gatherCases")
    void gather_indexTensor_picksAlongAxis(long[] shape, int axis, long[] indexShape, DType indexType, DType t) {
        double[] x = randomValues(numel(shape), 2);
        int a = axis < 0 ? axis + shape.length : axis;
        long[] index = randomIndex(indexShape, shape[a], 3);
        double[] expected = gatherRef(x, shape, a, index, indexShape);
        Tensor idx = indexTensor(index, indexShape, indexType);
        assertExact(expected, indexShape, t, tensor(x, shape, t).gather(axis, idx));
    }

    // ------------------------------------------------------------------ scatterAdd

    static double[] scatterAddRef(double[] self, long[] shape, int axis, long[] index, long[] indexShape, double[] src) {
        double[] r = self.clone();
        for (int f = 0; f < index.length; f++) {
            int[] idx = unravel(f, indexShape);
            idx[axis] = (int) index[f];
            r[ravel(idx, shape)] += src[f];
        }
        return r;
    }

    static Stream<Arguments> scatterAddCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(3, 4), 0, s(5, 4), DType.INT64},
                new Object[] {s(3, 4), 1, s(3, 6), DType.INT64},
                new Object[] {s(3, 4), 1, s(2, 2), DType.INT32},
                new Object[] {s(2, 3, 4), 1, s(2, 5, 3), DType.INT64},
                new Object[] {s(2, 3, 4), -1, s(1, 3, 7), DType.INT64},
                new Object[] {s(3, 4), 0, s(0, 4), DType.INT64}));
    }

    @ParameterizedTest(name = "{0} axis {1} index {2} ({3}) {4}")
    @MethodSource("scatterAddCases")
    void scatterAdd_duplicateIndices_accumulate(long[] shape, int axis, long[] indexShape, DType indexType, DType t) {
        double[] self = randomValues(numel(shape), 4);
        double[] src = randomValues(numel(indexShape), 5);
        int a = axis < 0 ? axis + shape.length : axis;
        long[] index = randomIndex(indexShape, shape[a], 6);
        double[] expected = scatterAddRef(self, shape, a, index, indexShape, src);
        Tensor idx = indexTensor(index, indexShape, indexType);
        Tensor r = tensor(self, shape, t).scatterAdd(axis, idx, tensor(src, indexShape, t));
        double tol = t == DType.FLOAT32 ? SCATTER_F32_TOL : SCATTER_F64_TOL;
        assertValues(expected, shape, t, r, tol, tol);
    }

    @Test
    void scatterAdd_input_isNotModified() {
        double[] self = randomValues(6, 7);
        Tensor x = f64(self, 2, 3);
        x.scatterAdd(1, Tensor.of(new long[] {0, 0, 1, 2}, 2, 2), f64(new double[] {1, 2, 3, 4}, 2, 2));
        assertExact(self, s(2, 3), DType.FLOAT64, x);
    }

    // ------------------------------------------------------------------ gradients

    @Test
    void indexSelect_gradientWithDuplicates_matchesFiniteDifferences() {
        Tensor idx = Tensor.of(new long[] {2, 0, 2, 2});
        GradCheck.check(in -> in[0].indexSelect(1, idx), f64(randomValues(12, 8), 3, 4));
    }

    @Test
    void gather_gradientWithDuplicates_matchesFiniteDifferences() {
        Tensor idx = Tensor.of(new long[] {0, 0, 2, 1, 1, 1, 3, 3, 0}, 3, 3);
        GradCheck.check(in -> in[0].gather(1, idx), f64(randomValues(12, 9), 3, 4));
    }

    @Test
    void gather_gradientIndexSmallerThanInput_matchesFiniteDifferences() {
        Tensor idx = Tensor.of(new long[] {2, 0, 1, 2}, 2, 2);
        GradCheck.check(in -> in[0].gather(0, idx), f64(randomValues(12, 12), 3, 4));
    }

    @Test
    void scatterAdd_gradientWrtSelfAndSrc_matchesFiniteDifferences() {
        Tensor idx = Tensor.of(new long[] {0, 2, 2, 1, 0, 0}, 2, 3);
        GradCheck.check(in -> in[0].scatterAdd(0, idx, in[1]), f64(randomValues(9, 10), 3, 3),
                f64(randomValues(6, 11), 2, 3));
    }
}
