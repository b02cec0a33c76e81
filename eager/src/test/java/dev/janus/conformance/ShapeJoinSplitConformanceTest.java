package dev.janus.conformance;

import static dev.janus.conformance.ShapeTestSupport.assertExact;
import static dev.janus.conformance.ShapeTestSupport.f64;
import static dev.janus.conformance.ShapeTestSupport.numel;
import static dev.janus.conformance.ShapeTestSupport.randomValues;
import static dev.janus.conformance.ShapeTestSupport.ravel;
import static dev.janus.conformance.ShapeTestSupport.tensor;
import static dev.janus.conformance.ShapeTestSupport.unravel;
import static dev.janus.conformance.ShapeTestSupport.withFloatTypes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.janus.DType;
import dev.janus.GradCheck;
import dev.janus.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The joining and splitting ops (cat, stack, split, chunk, narrow, slice with steps and negative bounds), each
 * against a plain-loop reference in float32 and float64, including scalar and zero-size shapes, plus a float64
 * gradient check. They move values without arithmetic, so results must be exact.
 */
class ShapeJoinSplitConformanceTest {

    private static long[] s(long... d) {
        return d;
    }

    // ------------------------------------------------------------------ references

    static double[] catRef(List<double[]> xs, List<long[]> shapes, int axis, long[] out) {
        double[] r = new double[numel(out)];
        for (int f = 0; f < r.length; f++) {
            int[] idx = unravel(f, out);
            int k = 0;
            int pos = idx[axis];
            while (pos >= shapes.get(k)[axis]) {
                pos -= (int) shapes.get(k)[axis];
                k++;
            }
            idx[axis] = pos;
            r[f] = xs.get(k)[ravel(idx, shapes.get(k))];
        }
        return r;
    }

    /** Python's {@code x[start:end:step]} along {@code axis}; returns the output shape in {@code outShape}. */
    static double[] sliceRef(double[] x, long[] shape, int axis, long start, long end, long step, long[] outShape) {
        long n = shape[axis];
        long b = Math.min(Math.max(start < 0 ? start + n : start, 0), n);
        long e = Math.min(Math.max(end < 0 ? end + n : end, 0), n);
        List<Long> picked = new ArrayList<>();
        for (long i = b; i < e; i += step) {
            picked.add(i);
        }
        System.arraycopy(shape, 0, outShape, 0, shape.length);
        outShape[axis] = picked.size();
        double[] r = new double[numel(outShape)];
        for (int f = 0; f < r.length; f++) {
            int[] idx = unravel(f, outShape);
            idx[axis] = (int) (long) picked.get(idx[axis]);
            r[f] = x[ravel(idx, shape)];
        }
        return r;
    }

    // ------------------------------------------------------------------ cat and stack

    static Stream<Arguments> catCases() {
        return withFloatTypes(Stream.of(
                new Object[] {new long[][] {{2, 3}, {4, 3}}, 0},
                new Object[] {new long[][] {{2, 3}, {2, 1}, {2, 0}}, 1},
                new Object[] {new long[][] {{2, 3}, {2, 2}}, -1},
                new Object[] {new long[][] {{2, 2, 3}, {2, 1, 3}, {2, 4, 3}}, 1},
                new Object[] {new long[][] {{0, 3}, {2, 3}}, 0},
                new Object[] {new long[][] {{3}}, 0}));
    }

    @ParameterizedTest(name = "{0} axis {1} {2}")
    @MethodSource("catCases")
    void cat_alongAxis_joinsInOrder(long[][] shapes, int axis, DType t) {
        int a = axis < 0 ? axis + shapes[0].length : axis;
        List<double[]> xs = new ArrayList<>();
        Tensor[] ts = new Tensor[shapes.length];
        long[] out = shapes[0].clone();
        out[a] = 0;
        for (int i = 0; i < shapes.length; i++) {
            xs.add(randomValues(numel(shapes[i]), 11 + i));
            ts[i] = tensor(xs.get(i), shapes[i], t);
            out[a] += shapes[i][a];
        }
        assertExact(catRef(xs, Arrays.asList(shapes), a, out), out, t, Tensor.cat(axis, ts));
        assertExact(catRef(xs, Arrays.asList(shapes), a, out), out, t, Tensor.cat(axis, Arrays.asList(ts)));
    }

    static Stream<Arguments> stackCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(2, 3), 3, 0},
                new Object[] {s(2, 3), 3, 1},
                new Object[] {s(2, 3), 2, 2},
                new Object[] {s(2, 3), 2, -1},
                new Object[] {s(), 3, 0},
                new Object[] {s(0, 2), 2, 1}));
    }

    @ParameterizedTest(name = "{1}x{0} axis {2} {3}")
    @MethodSource("stackCases")
    void stack_alongNewAxis_joinsInOrder(long[] shape, int count, int axis, DType t) {
        int a = axis < 0 ? axis + shape.length + 1 : axis;
        long[] unsq = new long[shape.length + 1];
        for (int i = 0, j = 0; i < unsq.length; i++) {
            unsq[i] = i == a ? 1 : shape[j++];
        }
        List<double[]> xs = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        Tensor[] ts = new Tensor[count];
        for (int i = 0; i < count; i++) {
            xs.add(randomValues(numel(shape), 20 + i));
            shapes.add(unsq);
            ts[i] = tensor(xs.get(i), shape, t);
        }
        long[] out = unsq.clone();
        out[a] = count;
        assertExact(catRef(xs, shapes, a, out), out, t, Tensor.stack(axis, ts));
    }

    @Test
    void stack_unequalShapes_throws() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.stack(0, Tensor.zeros(2, 3), Tensor.zeros(3, 2)));
    }

    // ------------------------------------------------------------------ split, chunk, narrow, slice

    /** Checks that {@code pieces} are the consecutive narrows of sizes {@code sizes} along {@code axis}. */
    private static void assertPieces(double[] x, long[] shape, int axis, long[] sizes, DType t, List<Tensor> pieces) {
        assertEquals(sizes.length, pieces.size(), "number of pieces");
        long start = 0;
        for (int i = 0; i < sizes.length; i++) {
            long[] out = new long[shape.length];
            double[] expected = sliceRef(x, shape, axis, start, start + sizes[i], 1, out);
            assertExact(expected, out, t, pieces.get(i));
            start += sizes[i];
        }
    }

    static Stream<Arguments> splitBySizeCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(5, 2), 2L, 0, s(2, 2, 1)},
                new Object[] {s(3, 7), 3L, 1, s(3, 3, 1)},
                new Object[] {s(3, 7), 3L, -1, s(3, 3, 1)},
                new Object[] {s(4), 4L, 0, s(4)},
                new Object[] {s(4), 6L, 0, s(4)},
                new Object[] {s(3, 0), 2L, 1, s(0)}));
    }

    @ParameterizedTest(name = "{0} split({1}, {2}) {4}")
    @MethodSource("splitBySizeCases")
    void split_bySize_lastPieceSmaller(long[] shape, long size, int axis, long[] sizes, DType t) {
        double[] x = randomValues(numel(shape), 30);
        int a = axis < 0 ? axis + shape.length : axis;
        assertPieces(x, shape, a, sizes, t, tensor(x, shape, t).split(size, axis));
    }

    static Stream<Arguments> splitBySizesCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(5, 2), s(1, 3, 1), 0},
                new Object[] {s(3, 7), s(0, 7), 1},
                new Object[] {s(3, 7), s(2, 2, 3), -1}));
    }

    @ParameterizedTest(name = "{0} split({1}, {2}) {3}")
    @MethodSource("splitBySizesCases")
    void split_bySizeList_givesThosePieces(long[] shape, long[] sizes, int axis, DType t) {
        double[] x = randomValues(numel(shape), 31);
        int a = axis < 0 ? axis + shape.length : axis;
        assertPieces(x, shape, a, sizes, t, tensor(x, shape, t).split(sizes, axis));
    }

    @Test
    void split_sizesNotAddingUp_throws() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(5).split(new long[] {2, 2}, 0));
    }

    static Stream<Arguments> chunkCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(5), 3, 0, s(2, 2, 1)},
                new Object[] {s(6), 4, 0, s(2, 2, 2)},
                new Object[] {s(6, 4), 2, 1, s(2, 2)},
                new Object[] {s(2), 5, 0, s(1, 1)}));
    }

    @ParameterizedTest(name = "{0} chunk({1}, {2}) {4}")
    @MethodSource("chunkCases")
    void chunk_count_likeTorchChunk(long[] shape, int chunks, int axis, long[] sizes, DType t) {
        double[] x = randomValues(numel(shape), 32);
        assertPieces(x, shape, axis, sizes, t, tensor(x, shape, t).chunk(chunks, axis));
    }

    static Stream<Arguments> narrowCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(3, 4), 1, 1L, 2L},
                new Object[] {s(3, 4), 0, -2L, 2L},
                new Object[] {s(3, 4), 0, 3L, 0L},
                new Object[] {s(5), 0, 0L, 5L}));
    }

    @ParameterizedTest(name = "{0} narrow({1}, {2}, {3}) {4}")
    @MethodSource("narrowCases")
    void narrow_startAndLength_selectsRange(long[] shape, int axis, long start, long length, DType t) {
        double[] x = randomValues(numel(shape), 33);
        long b = start < 0 ? start + shape[axis] : start;
        long[] out = new long[shape.length];
        double[] expected = sliceRef(x, shape, axis, b, b + length, 1, out);
        assertExact(expected, out, t, tensor(x, shape, t).narrow(axis, start, length));
    }

    @Test
    void narrow_pastTheEnd_throws() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).narrow(1, 2, 3));
    }

    static Stream<Arguments> sliceCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(10), 0, 1L, 8L, 3L},
                new Object[] {s(10), 0, -7L, -1L, 2L},
                new Object[] {s(10), 0, -20L, 20L, 4L},
                new Object[] {s(10), 0, 8L, 100L, 1L},
                new Object[] {s(3, 7), 1, 0L, 7L, 2L},
                new Object[] {s(3, 7), -1, 5L, 2L, 1L},
                new Object[] {s(3, 7), 0, 1L, 3L, 5L},
                new Object[] {s(2, 3, 8), 2, -6L, 8L, 3L},
                new Object[] {s(0, 3), 1, 0L, 3L, 2L}));
    }

    @ParameterizedTest(name = "{0} slice({1}, {2}, {3}, {4}) {5}")
    @MethodSource("sliceCases")
    void slice_withStep_followsPythonRules(long[] shape, int axis, long start, long end, long step, DType t) {
        double[] x = randomValues(numel(shape), 34);
        int a = axis < 0 ? axis + shape.length : axis;
        long[] out = new long[shape.length];
        double[] expected = sliceRef(x, shape, a, start, end, step, out);
        assertExact(expected, out, t, tensor(x, shape, t).slice(axis, start, end, step));
    }

    @Test
    void slice_nonPositiveStep_throws() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(5).slice(0, 0, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(5).slice(0, 4, 0, -1));
    }

    // ------------------------------------------------------------------ gradients

    static Stream<Arguments> gradCases() {
        return Stream.of(
                grad("cat", in -> Tensor.cat(1, in[0], in[1]), s(2, 3), s(2, 2)),
                grad("catWithEmpty", in -> Tensor.cat(1, in[0], in[1]), s(2, 0), s(2, 2)),
                grad("stackScalars", in -> Tensor.stack(0, in[0], in[1]), s(), s()),
                grad("stack", in -> Tensor.stack(1, in[0], in[1]), s(2, 3), s(2, 3)),
                grad("split", in -> {
                    List<Tensor> p = in[0].split(2, 0);
                    return Tensor.cat(0, p.get(2), p.get(0).mul(3.0));
                }, s(5, 2)),
                grad("chunk", in -> in[0].chunk(2, 1).get(1), s(2, 5)),
                grad("narrow", in -> in[0].narrow(1, 1, 2), s(3, 4)),
                grad("sliceStep", in -> in[0].slice(1, -6, 7, 2), s(2, 7)),
                grad("sliceStep3d", in -> in[0].slice(0, 1, 5, 3).slice(2, 0, 3, 2), s(5, 2, 3)));
    }

    static Arguments grad(String name, Function<Tensor[], Tensor> f, long[]... shapes) {
        return Arguments.of(name, f, shapes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gradCases")
    void gradient_float64_matchesFiniteDifferences(String name, Function<Tensor[], Tensor> f, long[][] shapes) {
        Tensor[] in = new Tensor[shapes.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = f64(randomValues(numel(shapes[i]), 60 + i), shapes[i]);
        }
        GradCheck.check(f, in);
    }
}
