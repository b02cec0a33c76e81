package dev.janus.conformance;

import static dev.janus.conformance.ElementwiseReference.representable;
import static dev.janus.conformance.ElementwiseReference.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.GradCheck;
import dev.janus.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reductions (sum, mean, max, min, argmax, argmin, prod, var, std, logSumExp, all, any) and cumsum over one
 * axis, several axes, all axes and negative axes, with and without kept dimensions, against plain Java
 * loops; their gradients against central finite differences.
 */
class ReductionConformanceTest {
    private static final long[] SHAPE = {2, 3, 4};

    // ------------------------------------------------------------------ reference

    /** Groups the elements of {@code x} (of {@code shape}) by their position outside the reduced axes. */
    static List<double[]> groups(double[] x, long[] shape, int[] axes) {
        boolean[] mask = mask(shape.length, axes);
        long[] kept = keptShape(shape, mask, true);
        int outN = (int) ElementwiseReference.numel(kept);
        List<List<Double>> g = new ArrayList<>();
        for (int i = 0; i < outN; i++) {
            g.add(new ArrayList<>());
        }
        for (int e = 0; e < x.length; e++) {
            long rest = e;
            long out = 0;
            long stride = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                long coord = rest % shape[d];
                rest /= shape[d];
                if (!mask[d]) {
                    out += coord * stride;
                    stride *= shape[d];
                }
            }
            g.get((int) out).add(x[e]);
        }
        List<double[]> r = new ArrayList<>();
        for (List<Double> l : g) {
            r.add(l.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return r;
    }

    static boolean[] mask(int rank, int[] axes) {
        boolean[] m = new boolean[rank];
        if (axes.length == 0) {
            Arrays.fill(m, true);
        }
        for (int a : axes) {
            m[a < 0 ? a + rank : a] = true;
        }
        return m;
    }

    static long[] keptShape(long[] shape, boolean[] mask, boolean keepDim) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < shape.length; i++) {
            if (!mask[i]) {
                out.add(shape[i]);
            } else if (keepDim) {
                out.add(1L);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    static double variance(double[] v, int correction) {
        double m = sum(v) / v.length;
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return s / (v.length - correction);
    }

    // ------------------------------------------------------------------ the table

    /** A reduction: how to call it, its reference on one group, and its output dtype for an input dtype. */
    interface Call {
        Tensor apply(Tensor x, int[] axes, boolean keepDim);
    }

    record Reduction(String name, Call call, ToDoubleFunction<double[]> ref, boolean boolOut, boolean grad) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Reduction> reductions() {
        return List.of(
                new Reduction("sum", Tensor::sum, ReductionConformanceTest::sum, false, true),
                new Reduction("mean", Tensor::mean, v -> sum(v) / v.length, false, true),
                new Reduction("max", Tensor::max, v -> Arrays.stream(v).max().getAsDouble(), false, true),
                new Reduction("min", Tensor::min, v -> Arrays.stream(v).min().getAsDouble(), false, true),
                new Reduction("prod", Tensor::prod, v -> Arrays.stream(v).reduce(1, (a, b) -> a * b), false, true),
                new Reduction("var", (x, a, k) -> x.var(a, k, 1), v -> variance(v, 1), false, true),
                new Reduction("var(correction=0)", (x, a, k) -> x.var(a, k, 0), v -> variance(v, 0), false, true),
                new Reduction("std", (x, a, k) -> x.std(a, k, 1), v -> Math.sqrt(variance(v, 1)), false, true),
                new Reduction("logSumExp", Tensor::logSumExp, v -> Math.log(Arrays.stream(v).map(Math::exp).sum()), false, true),
                new Reduction("all", Tensor::all, v -> Arrays.stream(v).allMatch(x -> x != 0) ? 1 : 0, true, false),
                new Reduction("any", Tensor::any, v -> Arrays.stream(v).anyMatch(x -> x != 0) ? 1 : 0, true, false));
    }

    static final int[][] AXES = {{}, {0}, {1}, {2}, {-1}, {0, 2}, {-3, -1}, {1, 2}, {2, 0}, {0, 1, 2}};

    static Stream<Arguments> reductionCases() {
        List<Arguments> a = new ArrayList<>();
        for (Reduction r : reductions()) {
            for (int[] axes : AXES) {
                for (boolean keep : new boolean[] {false, true}) {
                    a.add(Arguments.of(r, axes, keep));
                }
            }
        }
        return a.stream();
    }

    private static double[] values(Reduction r, SplittableRandom rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (r.name()) {
                case "prod" -> 0.5 + rnd.nextDouble();
                case "all", "any" -> rnd.nextInt(4) == 0 ? 0 : rnd.nextDouble() + 0.5;
                default -> rnd.nextGaussian();
            };
        }
        return v;
    }

    @ParameterizedTest(name = "{0} axes={1} keepDim={2}")
    @MethodSource("reductionCases")
    void reduce_float32AndFloat64_matchesReference(Reduction r, int[] axes, boolean keepDim) {
        SplittableRandom rnd = new SplittableRandom(Arrays.hashCode(axes) * 31L + r.name().hashCode());
        double[] v = values(r, rnd, 24);
        if (r.name().equals("all")) {
            // make some groups all-nonzero whichever axes are reduced
            for (int i = 0; i < 12; i++) {
                v[i] = 1 + i;
            }
        }
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double[] held = representable(v, dtype);
            Tensor out = r.call().apply(tensor(v, dtype, SHAPE), axes, keepDim);
            String what = r + " " + dtype.shortName() + " axes=" + Arrays.toString(axes) + " keepDim=" + keepDim;
            long[] expectedShape = keptShape(SHAPE, mask(3, axes), keepDim);
            assertArrayEquals(expectedShape, out.shape().dims(), what + ": shape");
            DType outType = r.boolOut() ? DType.BOOL : dtype;
            assertEquals(outType, out.dtype(), what + ": dtype");
            List<double[]> g = groups(held, SHAPE, axes);
            double[] expected = new double[g.size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = representable(r.ref().applyAsDouble(g.get(i)), outType);
            }
            Tolerances.assertClose(what, outType, expected, out.toDoubleArray());
        }
    }

    static Stream<Arguments> gradCases() {
        List<Arguments> a = new ArrayList<>();
        for (Reduction r : reductions()) {
            if (!r.grad()) {
                continue;
            }
            for (int[] axes : new int[][] {{}, {1}, {-1}, {0, 2}}) {
                for (boolean keep : new boolean[] {false, true}) {
                    a.add(Arguments.of(r, axes, keep));
                }
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} axes={1} keepDim={2}")
    @MethodSource("gradCases")
    void reduce_gradient_matchesFiniteDifferences(Reduction r, int[] axes, boolean keepDim) {
        SplittableRandom rnd = new SplittableRandom(Arrays.hashCode(axes) + (keepDim ? 7 : 0));
        double[] v = values(r, rnd, 24);
        GradCheck.check(in -> r.call().apply(in[0], axes, keepDim), tensor(v, DType.FLOAT64, SHAPE));
    }

    static Stream<Arguments> secondOrderCases() {
        List<Arguments> a = new ArrayList<>();
        for (Reduction r : reductions()) {
            if (r.grad()) {
                a.add(Arguments.of(r, new int[] {1}, false));
                a.add(Arguments.of(r, new int[] {}, true));
            }
        }
        return a.stream();
    }

    /** The reductions' gradient rules differentiated again (createGraph) against finite differences. */
    @ParameterizedTest(name = "{0} axes={1} keepDim={2}")
    @MethodSource("secondOrderCases")
    void reduce_secondOrderGradient_matchesFiniteDifferences(Reduction r, int[] axes, boolean keepDim) {
        double[] v = values(r, new SplittableRandom(5), 12);
        GradCheck.check(ElementwiseReference.gradientOf(in -> r.call().apply(in[0], axes, keepDim).mul(
                r.call().apply(in[0], axes, keepDim))), tensor(v, DType.FLOAT64, 2, 3, 2));
    }

    // ------------------------------------------------------------------ argmax / argmin

    static Stream<Arguments> argCases() {
        List<Arguments> a = new ArrayList<>();
        for (boolean max : new boolean[] {true, false}) {
            for (int axis : new int[] {0, 1, 2, -1, -2}) {
                for (boolean keep : new boolean[] {false, true}) {
                    a.add(Arguments.of(max, axis, keep));
                }
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "argmax={0} axis={1} keepDim={2}")
    @MethodSource("argCases")
    void argReduce_axis_returnsFirstExtremumIndex(boolean max, int axis, boolean keepDim) {
        // small integers: plenty of ties, which must resolve to the first index
        SplittableRandom rnd = new SplittableRandom(axis * 10L + (keepDim ? 1 : 0));
        double[] v = rnd.ints(24, 0, 3).asDoubleStream().toArray();
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32}) {
            Tensor x = tensor(v, dtype, SHAPE);
            Tensor out = max ? x.argmax(axis, keepDim) : x.argmin(axis, keepDim);
            int a = axis < 0 ? axis + 3 : axis;
            assertEquals(DType.INT64, out.dtype());
            assertArrayEquals(keptShape(SHAPE, mask(3, new int[] {a}), keepDim), out.shape().dims());
            long[] expected = argReference(v, a, max);
            assertArrayEquals(expected, out.toLongArray(), (max ? "argmax" : "argmin") + " " + dtype + " axis " + axis);
        }
    }

    private static long[] argReference(double[] v, int axis, boolean max) {
        long[] s = SHAPE;
        int outer = (int) (axis == 0 ? 1 : ElementwiseReference.numel(Arrays.copyOf(s, axis)));
        int r = (int) s[axis];
        int inner = (int) ElementwiseReference.numel(Arrays.copyOfRange(s, axis + 1, s.length));
        long[] out = new long[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                int best = 0;
                for (int k = 1; k < r; k++) {
                    double c = v[(o * r + k) * inner + j];
                    double b = v[(o * r + best) * inner + j];
                    if (max ? c > b : c < b) {
                        best = k;
                    }
                }
                out[o * inner + j] = best;
            }
        }
        return out;
    }

    @Test
    void argmax_noAxis_indexesFlattenedTensor() {
        Tensor x = Tensor.of(new float[] {1, 9, 3, 9, -2, 0}, 2, 3);
        assertEquals(1, x.argmax().itemLong());
        assertEquals(4, x.argmin().itemLong());
        assertEquals(0, x.argmax().rank());
    }

    // ------------------------------------------------------------------ integer and bool inputs

    @Test
    void sum_int32_accumulatesInInt64() {
        Tensor x = Tensor.of(new int[] {2_000_000_000, 2_000_000_000, -5, 7}, 2, 2);
        Tensor all = x.sum();
        assertEquals(DType.INT64, all.dtype());
        assertEquals(4_000_000_002L, all.itemLong());
        Tensor rows = x.sum(0);
        assertEquals(DType.INT64, rows.dtype());
        assertArrayEquals(new long[] {1_999_999_995L, 2_000_000_007L}, rows.toLongArray());
        Tensor kept = x.sum(-1, true);
        assertArrayEquals(new long[] {2, 1}, kept.shape().dims());
        assertArrayEquals(new long[] {4_000_000_000L, 2}, kept.toLongArray());
    }

    @Test
    void sum_bool_countsTrueValuesAsInt64() {
        Tensor b = Tensor.of(new boolean[] {true, false, true, true}, 2, 2);
        assertEquals(DType.INT64, b.sum().dtype());
        assertEquals(3, b.sum().itemLong());
        assertArrayEquals(new long[] {1, 2}, b.sum(1).toLongArray());
    }

    @Test
    void prodMaxMin_integerInputs_matchReference() {
        Tensor x = Tensor.of(new int[] {100_000, 100_000, -3, 4, 7, -8}, 2, 3);
        Tensor p = x.prod(new int[] {0}, false);
        assertEquals(DType.INT64, p.dtype());
        assertArrayEquals(new long[] {400_000L, 700_000L, 24L}, p.toLongArray());
        assertEquals(-56_000_000_000_000L, Tensor.of(new long[] {100_000, -56_000_000, 10}).prod().itemLong());
        Tensor mx = x.max(1, false);
        assertEquals(DType.INT32, mx.dtype());
        assertArrayEquals(new int[] {100_000, 7}, mx.toIntArray());
        assertArrayEquals(new int[] {-3, -8}, x.min(1, false).toIntArray());
        Tensor mean = x.mean(0, false);
        assertEquals(DType.FLOAT32, mean.dtype());
        assertArrayEquals(new float[] {50_002f, 50_003.5f, -5.5f}, mean.toFloatArray());
    }

    @Test
    void cumsum_int32_accumulatesInInt64() {
        Tensor x = Tensor.of(new int[] {2_000_000_000, 2_000_000_000, 1});
        Tensor c = x.cumsum(0);
        assertEquals(DType.INT64, c.dtype());
        assertArrayEquals(new long[] {2_000_000_000L, 4_000_000_000L, 4_000_000_001L}, c.toLongArray());
        Tensor b = Tensor.of(new boolean[] {true, false, true}).cumsum(0);
        assertEquals(DType.INT64, b.dtype());
        assertArrayEquals(new long[] {1, 1, 2}, b.toLongArray());
    }

    // ------------------------------------------------------------------ logSumExp stability

    @Test
    void logSumExp_valuesNear1000_doesNotOverflow() {
        double high = 1000 + Math.log(2 + Math.exp(-1));   // log(e^1000 + e^1000 + e^999)
        double low = -1000 + Math.log(2 + Math.exp(-1));   // log(e^-1000 + e^-1000 + e^-1001)
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = tensor(new double[] {1000, 1000, 999, -1000, -1000, -1001}, dtype, 2, 3);
            Tensor r = x.logSumExp(1, false);
            assertArrayEquals(new long[] {2}, r.shape().dims());
            Tolerances.assertClose("logSumExp " + dtype, dtype, new double[] {high, low}, r.toDoubleArray());
            Tensor kept = x.logSumExp(new int[] {0, 1}, true);
            assertArrayEquals(new long[] {1, 1}, kept.shape().dims());
            Tolerances.assertClose("logSumExp all " + dtype, dtype, high, kept.item());
        }
    }

    @Test
    void logSumExp_gradientAtLargeValues_isSoftmax() {
        Tensor x = Tensor.of(new double[] {1000, 1000, 999}).requiresGrad(true);
        x.logSumExp(0, false).backward();
        double z = 2 + Math.exp(-1);
        assertArrayEquals(new double[] {1 / z, 1 / z, Math.exp(-1) / z}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void logSumExp_negativeInfinityRow_givesNegativeInfinity() {
        double ninf = Double.NEGATIVE_INFINITY;
        Tensor r = Tensor.of(new double[] {ninf, ninf, 0, 0}, 2, 2).logSumExp(1, false);
        assertArrayEquals(new double[] {ninf, Math.log(2)}, r.toDoubleArray(), 1e-15);
    }

    // ------------------------------------------------------------------ all / any, empty and scalar inputs

    @Test
    void allAny_boolAndEmptyInputs_matchDefinitions() {
        Tensor b = Tensor.of(new boolean[] {true, true, false, true}, 2, 2);
        assertArrayEquals(new boolean[] {false, true}, b.all(new int[] {0}, false).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true}, b.any(new int[] {-1}, false).toBooleanArray());
        assertEquals(DType.BOOL, b.all().dtype());
        assertEquals(0, b.all().item());
        assertEquals(1, b.any().item());
        Tensor empty = Tensor.zeros(0, 3);
        assertEquals(1, empty.all().item(), "all() of nothing is true");
        assertEquals(0, empty.any().item(), "any() of nothing is false");
        Tensor nan = Tensor.of(new double[] {Double.NaN, 0});
        assertArrayEquals(new boolean[] {true}, nan.any(new int[] {0}, true).toBooleanArray(), "any treats NaN as nonzero");
        assertArrayEquals(new long[] {1}, nan.any(new int[] {0}, true).shape().dims());
        assertEquals(0, nan.all().item());
    }

    @Test
    void sumProd_emptyAxis_giveIdentity() {
        Tensor empty = Tensor.zeros(0, 3);
        Tensor s = empty.sum(0);
        assertArrayEquals(new long[] {3}, s.shape().dims());
        assertArrayEquals(new float[] {0, 0, 0}, s.toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, empty.prod(new int[] {0}, false).toFloatArray());
        Tensor rows = empty.sum(1);
        assertArrayEquals(new long[] {0}, rows.shape().dims());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> empty.max(0, false));
        assertTrue(e.getMessage().contains("'max'"), e.getMessage());
    }

    @Test
    void reduce_scalarInput_returnsTheValue() {
        Tensor x = Tensor.of(new double[] {2.5}, dev.janus.Shape.scalar());
        assertEquals(2.5, x.sum().item());
        assertEquals(2.5, x.max().item());
        assertEquals(2.5, x.mean().item());
        assertEquals(0, x.sum().rank());
        assertEquals(2.5, x.logSumExp(new int[0], false).item(), 1e-15);
    }

    @Test
    void reduce_noArgumentOverloads_reduceEverything() {
        double[] v = {1, -2, 4, 0.5, 3, -1};
        Tensor x = Tensor.of(v.clone(), 2, 3);
        assertEquals(5.5, x.sum().item(), 1e-15);
        assertEquals(5.5 / 6, x.mean().item(), 1e-15);
        assertEquals(4, x.max().item());
        assertEquals(-2, x.min().item());
        assertEquals(12, x.prod().item(), 1e-15);
        assertEquals(variance(v, 1), x.var().item(), 1e-14);
        assertEquals(Math.sqrt(variance(v, 1)), x.std().item(), 1e-14);
        assertEquals(0, x.var().rank());
    }

    /** Big enough that the CPU kernels split the reduction across threads. */
    @Test
    void reduce_largeInput_matchesReference() {
        SplittableRandom rnd = new SplittableRandom(77);
        long[] shape = {300, 400};
        double[] v = rnd.doubles(120_000, -1, 1).toArray();
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double[] held = representable(v, dtype);
            Tensor x = tensor(v, dtype, shape);
            for (int[] axes : new int[][] {{0}, {1}, {}}) {
                List<double[]> g = groups(held, shape, axes);
                double[] sums = new double[g.size()];
                double[] maxes = new double[g.size()];
                for (int i = 0; i < sums.length; i++) {
                    sums[i] = representable(sum(g.get(i)), dtype);
                    maxes[i] = Arrays.stream(g.get(i)).max().getAsDouble();
                }
                String what = dtype + " axes " + Arrays.toString(axes);
                Tolerances.assertClose("sum " + what, new Tolerances.Tol(Tolerances.of(dtype).rtol(), 1e-9 * 400), sums,
                        x.sum(axes, false).toDoubleArray(), null);
                Tolerances.assertClose("max " + what, dtype, maxes, x.max(axes, false).toDoubleArray());
            }
            long[] arg = x.argmax(1, false).toLongArray();
            for (int r = 0; r < 300; r++) {
                int best = 0;
                for (int c = 1; c < 400; c++) {
                    best = held[r * 400 + c] > held[r * 400 + best] ? c : best;
                }
                assertEquals(best, arg[r], "argmax row " + r);
            }
        }
    }

    @Test
    void reduce_repeatedAxis_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3).sum(new int[] {1, -1}, false));
        assertTrue(e.getMessage().contains("'sum'"), e.getMessage());
    }

    @Test
    void reduce_axisOutOfRange_throwsNamingAxisAndShape() {
        Tensor x = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.sum(2));
        assertTrue(e.getMessage().contains("2") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void max_nanInput_propagatesNan() {
        Tensor x = Tensor.of(new double[] {1, Double.NaN, 3, 4}, 2, 2);
        double[] r = x.max(1, false).toDoubleArray();
        assertTrue(Double.isNaN(r[0]));
        assertEquals(4, r[1]);
    }

    @Test
    void max_tiedValues_splitsGradientEvenly() {
        Tensor x = Tensor.of(new double[] {1, 3, 3, 2}).requiresGrad(true);
        x.max().backward();
        assertArrayEquals(new double[] {0, 0.5, 0.5, 0}, x.grad().toDoubleArray(), 0);
    }

    // ------------------------------------------------------------------ cumsum

    @ParameterizedTest(name = "axis={0}")
    @MethodSource("cumsumAxes")
    void cumsum_eachAxis_matchesReference(int axis) {
        SplittableRandom rnd = new SplittableRandom(axis + 50);
        double[] v = rnd.doubles(24, -2, 2).toArray();
        int a = axis < 0 ? axis + 3 : axis;
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32}) {
            double[] held = representable(v, dtype);
            Tensor c = tensor(v, dtype, SHAPE).cumsum(axis);
            assertArrayEquals(SHAPE, c.shape().dims());
            DType outType = dtype.isFloating() ? dtype : DType.INT64;
            assertEquals(outType, c.dtype());
            double[] expected = new double[24];
            int stride = (int) ElementwiseReference.numel(Arrays.copyOfRange(SHAPE, a + 1, 3));
            for (int e = 0; e < 24; e++) {
                int k = (int) (e / stride % SHAPE[a]);
                double s = 0;
                for (int j = 0; j <= k; j++) {
                    s += held[e - (k - j) * stride];
                }
                expected[e] = representable(s, outType);
            }
            Tolerances.assertClose("cumsum " + dtype + " axis " + axis, outType, expected, c.toDoubleArray());
        }
    }

    static Stream<Integer> cumsumAxes() {
        return Stream.of(0, 1, 2, -1, -3);
    }

    @ParameterizedTest(name = "axis={0}")
    @MethodSource("cumsumAxes")
    void cumsum_gradient_matchesFiniteDifferences(int axis) {
        double[] v = new SplittableRandom(axis).doubles(24, -2, 2).toArray();
        GradCheck.check(in -> in[0].cumsum(axis), tensor(v, DType.FLOAT64, SHAPE));
    }
}
