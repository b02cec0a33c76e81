package dev.janus.conformance;

import static dev.janus.conformance.ShapeTestSupport.assertExact;
import static dev.janus.conformance.ShapeTestSupport.f64;
import static dev.janus.conformance.ShapeTestSupport.numel;
import static dev.janus.conformance.ShapeTestSupport.randomValues;
import static dev.janus.conformance.ShapeTestSupport.ravel;
import static dev.janus.conformance.ShapeTestSupport.tensor;
import static dev.janus.conformance.ShapeTestSupport.unravel;
import static dev.janus.conformance.ShapeTestSupport.withFloatTypes;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.GradCheck;
import dev.janus.Tensor;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Movement ops that keep every value — reshape (with -1), view, transpose, permute, expand, squeeze, unsqueeze,
 * flatten, contiguous, repeat — each against a plain-loop reference in float32 and float64, including scalar and
 * zero-size shapes, plus a float64 gradient check. Movement moves values without arithmetic, so results must be
 * exact. Joining and splitting ops are in {@link ShapeJoinSplitConformanceTest}.
 */
class ShapeOpsConformanceTest {

    private static long[] s(long... d) {
        return d;
    }

    // ------------------------------------------------------------------ references

    static double[] permuteRef(double[] x, long[] shape, int[] perm) {
        long[] out = new long[perm.length];
        int[] p = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            p[i] = perm[i] < 0 ? perm[i] + perm.length : perm[i];
            out[i] = shape[p[i]];
        }
        double[] r = new double[x.length];
        for (int f = 0; f < r.length; f++) {
            int[] idx = unravel(f, out);
            int[] src = new int[shape.length];
            for (int i = 0; i < p.length; i++) {
                src[p[i]] = idx[i];
            }
            r[f] = x[ravel(src, shape)];
        }
        return r;
    }

    /** Numpy broadcasting of {@code shape} to {@code target} (right-aligned, size-1 dims repeat). */
    static double[] expandRef(double[] x, long[] shape, long[] target) {
        double[] r = new double[numel(target)];
        int lead = target.length - shape.length;
        for (int f = 0; f < r.length; f++) {
            int[] idx = unravel(f, target);
            int[] src = new int[shape.length];
            for (int d = 0; d < shape.length; d++) {
                src[d] = shape[d] == 1 ? 0 : idx[d + lead];
            }
            r[f] = x[ravel(src, shape)];
        }
        return r;
    }

    static double[] repeatRef(double[] x, long[] shape, long[] repeats, long[] out) {
        long[] padded = new long[repeats.length];
        Arrays.fill(padded, 1);
        System.arraycopy(shape, 0, padded, repeats.length - shape.length, shape.length);
        for (int d = 0; d < repeats.length; d++) {
            out[d] = padded[d] * repeats[d];
        }
        double[] r = new double[numel(out)];
        for (int f = 0; f < r.length; f++) {
            int[] idx = unravel(f, out);
            for (int d = 0; d < idx.length; d++) {
                idx[d] %= (int) padded[d];
            }
            r[f] = x[ravel(idx, padded)];
        }
        return r;
    }

    // ------------------------------------------------------------------ reshape

    static Stream<Arguments> reshapeCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(2, 3, 4), s(4, -1), s(4, 6)},
                new Object[] {s(2, 3, 4), s(-1), s(24)},
                new Object[] {s(6), s(2, -1, 3), s(2, 1, 3)},
                new Object[] {s(2, 3, 4), s(2, 3, 4), s(2, 3, 4)},
                new Object[] {s(), s(1), s(1)},
                new Object[] {s(), s(-1), s(1)},
                new Object[] {s(1, 1), s(), s()},
                new Object[] {s(0, 3), s(3, -1), s(3, 0)},
                new Object[] {s(0, 3), s(0, 5), s(0, 5)}));
    }

    @ParameterizedTest(name = "{0} -> {1} ({3})")
    @MethodSource("reshapeCases")
    void reshape_validTarget_keepsRowMajorOrder(long[] in, long[] target, long[] expected, DType t) {
        double[] x = randomValues(numel(in), 1);
        assertExact(x, expected, t, tensor(x, in, t).reshape(target));
        assertExact(x, expected, t, tensor(x, in, t).view(target));
    }

    static Stream<Arguments> badReshapes() {
        return Stream.of(
                Arguments.of(s(2, 3), s(4, 2), "[4, 2]"),
                Arguments.of(s(2, 3), s(4, -1), "[4, -1]"),
                Arguments.of(s(2, 3), s(-1, -1), "[-1, -1]"),
                Arguments.of(s(0, 3), s(-1, 0), "[-1, 0]"),
                Arguments.of(s(), s(2), "[2]"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("badReshapes")
    void reshape_badSize_throwsNamingBothShapes(long[] in, long[] target, String targetText) {
        Tensor x = Tensor.zeros(in);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.reshape(target));
        assertTrue(e.getMessage().contains(Arrays.toString(in)), e.getMessage());
        assertTrue(e.getMessage().contains(targetText), e.getMessage());
    }

    // ------------------------------------------------------------------ transpose, permute, expand

    static Stream<Arguments> transposeCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(2, 3), 0, 1},
                new Object[] {s(2, 3, 4), 0, 2},
                new Object[] {s(2, 3, 4), -1, -2},
                new Object[] {s(2, 3, 4), 1, 1},
                new Object[] {s(0, 2, 3), 0, 2},
                new Object[] {s(5), 0, 0}));
    }

    @ParameterizedTest(name = "{0} transpose({1}, {2}) {3}")
    @MethodSource("transposeCases")
    void transpose_twoAxes_swapsThem(long[] shape, int a, int b, DType t) {
        double[] x = randomValues(numel(shape), 2);
        int[] perm = new int[shape.length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        int x0 = a < 0 ? a + shape.length : a;
        int y0 = b < 0 ? b + shape.length : b;
        perm[x0] = y0;
        perm[y0] = x0;
        long[] out = new long[shape.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = shape[perm[i]];
        }
        assertExact(permuteRef(x, shape, perm), out, t, tensor(x, shape, t).transpose(a, b));
    }

    @Test
    void t_matrixAndVector_transposesOrKeeps() {
        double[] x = randomValues(6, 3);
        assertExact(permuteRef(x, s(2, 3), new int[] {1, 0}), s(3, 2), DType.FLOAT64, f64(x, 2, 3).t());
        assertExact(x, s(6), DType.FLOAT64, f64(x, 6).t());
    }

    static Stream<Arguments> permuteCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(2, 3, 4), new int[] {2, 0, 1}},
                new Object[] {s(2, 3, 4), new int[] {1, 2, 0}},
                new Object[] {s(2, 3, 4), new int[] {-1, 0, 1}},
                new Object[] {s(2, 1, 3, 2), new int[] {3, 1, 0, 2}},
                new Object[] {s(0, 2, 3), new int[] {2, 1, 0}},
                new Object[] {s(), new int[] {}}));
    }

    @ParameterizedTest(name = "{0} permute {1} {2}")
    @MethodSource("permuteCases")
    void permute_anyOrder_movesEachElement(long[] shape, int[] perm, DType t) {
        double[] x = randomValues(numel(shape), 4);
        long[] out = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = shape[perm[i] < 0 ? perm[i] + perm.length : perm[i]];
        }
        assertExact(permuteRef(x, shape, perm), out, t, tensor(x, shape, t).permute(perm));
    }

    static Stream<Arguments> expandCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(3, 1), s(2, 3, 4), s(2, 3, 4)},
                new Object[] {s(1), s(5), s(5)},
                new Object[] {s(), s(2, 3), s(2, 3)},
                new Object[] {s(3, 1), s(-1, 4), s(3, 4)},
                new Object[] {s(2, 3), s(4, 2, 3), s(4, 2, 3)},
                new Object[] {s(2, 1), s(2, 0), s(2, 0)},
                new Object[] {s(1, 3), s(1, 3), s(1, 3)}));
    }

    @ParameterizedTest(name = "{0} expand {1} {3}")
    @MethodSource("expandCases")
    void expand_sizeOneDims_broadcast(long[] shape, long[] target, long[] out, DType t) {
        double[] x = randomValues(numel(shape), 5);
        assertExact(expandRef(x, shape, out), out, t, tensor(x, shape, t).expand(target));
    }

    @Test
    void expand_nonOneDimension_throws() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).expand(4, 3));
    }

    // ------------------------------------------------------------------ squeeze, unsqueeze, flatten

    static Stream<Arguments> squeezeCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(1, 3, 1, 2), null, s(3, 2)},
                new Object[] {s(1, 3, 1, 2), 2, s(1, 3, 2)},
                new Object[] {s(1, 3, 1, 2), -2, s(1, 3, 2)},
                new Object[] {s(1, 3, 1, 2), 1, s(1, 3, 1, 2)},
                new Object[] {s(1), 0, s()},
                new Object[] {s(), null, s()},
                new Object[] {s(1, 0, 1), null, s(0)}));
    }

    @ParameterizedTest(name = "{0} squeeze({1}) {3}")
    @MethodSource("squeezeCases")
    void squeeze_sizeOneAxes_areRemoved(long[] shape, Integer axis, long[] out, DType t) {
        double[] x = randomValues(numel(shape), 6);
        Tensor in = tensor(x, shape, t);
        assertExact(x, out, t, axis == null ? in.squeeze() : in.squeeze(axis));
    }

    static Stream<Arguments> unsqueezeCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(2, 3), 0, s(1, 2, 3)},
                new Object[] {s(2, 3), 1, s(2, 1, 3)},
                new Object[] {s(2, 3), 2, s(2, 3, 1)},
                new Object[] {s(2, 3), -1, s(2, 3, 1)},
                new Object[] {s(2, 3), -3, s(1, 2, 3)},
                new Object[] {s(), 0, s(1)},
                new Object[] {s(0), 1, s(0, 1)}));
    }

    @ParameterizedTest(name = "{0} unsqueeze({1}) {3}")
    @MethodSource("unsqueezeCases")
    void unsqueeze_anyPosition_insertsSizeOne(long[] shape, int axis, long[] out, DType t) {
        double[] x = randomValues(numel(shape), 7);
        assertExact(x, out, t, tensor(x, shape, t).unsqueeze(axis));
    }

    static Stream<Arguments> flattenCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(2, 3, 4), null, s(24)},
                new Object[] {s(2, 3, 4), new int[] {1, 2}, s(2, 12)},
                new Object[] {s(2, 3, 4), new int[] {0, 1}, s(6, 4)},
                new Object[] {s(2, 3, 4), new int[] {-2, -1}, s(2, 12)},
                new Object[] {s(2, 3, 4), new int[] {1, 1}, s(2, 3, 4)},
                new Object[] {s(), null, s(1)},
                new Object[] {s(2, 0, 3), null, s(0)}));
    }

    @ParameterizedTest(name = "{0} flatten {1} {3}")
    @MethodSource("flattenCases")
    void flatten_range_mergesDims(long[] shape, int[] range, long[] out, DType t) {
        double[] x = randomValues(numel(shape), 8);
        Tensor in = tensor(x, shape, t);
        assertExact(x, out, t, range == null ? in.flatten() : in.flatten(range[0], range[1]));
    }

    @ParameterizedTest
    @MethodSource("dev.janus.conformance.ShapeTestSupport#floatTypes")
    void contiguous_anyTensor_keepsValues(DType t) {
        double[] x = randomValues(24, 9);
        Tensor p = tensor(x, s(2, 3, 4), t).permute(2, 0, 1);
        assertExact(permuteRef(x, s(2, 3, 4), new int[] {2, 0, 1}), s(4, 2, 3), t, p.contiguous());
    }

    // ------------------------------------------------------------------ repeat

    static Stream<Arguments> repeatCases() {
        return withFloatTypes(Stream.of(
                new Object[] {s(2, 3), s(2, 1)},
                new Object[] {s(2, 3), s(1, 3)},
                new Object[] {s(2, 3), s(2, 2, 2)},
                new Object[] {s(2, 1), s(1, 2)},
                new Object[] {s(), s(3)},
                new Object[] {s(3), s(0)}));
    }

    @ParameterizedTest(name = "{0} repeat {1} {2}")
    @MethodSource("repeatCases")
    void repeat_counts_tileWholeTensor(long[] shape, long[] repeats, DType t) {
        double[] x = randomValues(numel(shape), 10);
        long[] out = new long[repeats.length];
        double[] expected = repeatRef(x, shape, repeats, out);
        assertExact(expected, out, t, tensor(x, shape, t).repeat(repeats));
    }

    // ------------------------------------------------------------------ gradients

    static Stream<Arguments> gradCases() {
        return Stream.of(
                grad("reshape", in -> in[0].reshape(4, -1), s(2, 3, 2)),
                grad("reshapeToScalar", in -> in[0].reshape(), s(1, 1)),
                grad("transpose", in -> in[0].transpose(0, 2), s(2, 3, 2)),
                grad("permute", in -> in[0].permute(1, 2, 0), s(2, 3, 2)),
                grad("expand", in -> in[0].expand(2, 3, 4), s(3, 1)),
                grad("expandScalar", in -> in[0].expand(2, 3), s()),
                grad("squeeze", in -> in[0].squeeze(), s(1, 3, 1, 2)),
                grad("unsqueeze", in -> in[0].unsqueeze(1), s(2, 3)),
                grad("flatten", in -> in[0].flatten(1, 2), s(2, 3, 2)),
                grad("repeat", in -> in[0].repeat(2, 1, 3), s(2, 2)));
    }

    static Arguments grad(String name, Function<Tensor[], Tensor> f, long[]... shapes) {
        return Arguments.of(name, f, shapes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gradCases")
    void gradient_float64_matchesFiniteDifferences(String name, Function<Tensor[], Tensor> f, long[][] shapes) {
        Tensor[] in = new Tensor[shapes.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = f64(randomValues(numel(shapes[i]), 40 + i), shapes[i]);
        }
        GradCheck.check(f, in);
    }
}
