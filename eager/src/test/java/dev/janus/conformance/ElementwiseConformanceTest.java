package dev.janus.conformance;

import static dev.janus.conformance.ElementwiseReference.broadcast;
import static dev.janus.conformance.ElementwiseReference.numel;
import static dev.janus.conformance.ElementwiseReference.representable;
import static dev.janus.conformance.ElementwiseReference.sourceIndex;
import static dev.janus.conformance.ElementwiseReference.tensor;
import static dev.janus.conformance.ElementwiseReference.truth;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.janus.DType;
import dev.janus.GradCheck;
import dev.janus.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoublePredicate;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per elementwise op of {@link Tensor}: forward against a double-precision Java reference on random
 * float32 and float64 inputs, broadcast shapes, scalar {@code ()} and zero-size shapes, and extreme-range
 * inputs; the gradient of every differentiable op against central finite differences ({@link GradCheck}).
 * Tolerances come from {@link Tolerances}.
 */
class ElementwiseConformanceTest {

    // ------------------------------------------------------------------ the table

    /** The reference of an op on its (already dtype-rounded) arguments; conditions arrive as 1 or 0. */
    @FunctionalInterface
    interface Ref {
        double apply(double[] x);
    }

    /** Draws argument {@code arg} of an op from its domain. */
    @FunctionalInterface
    interface Domain {
        double sample(SplittableRandom r, int arg);
    }

    /** The output dtype: the (floating) input dtype, or a fixed one. */
    enum Out { SAME, BOOL, F32, F64, I32, I64 }

    /**
     * One op. {@code cond}: argument 0 is a bool condition (where). {@code grad}: check the gradient over
     * {@code gradDomain}. {@code extremeOk}: which of the extreme values this op is meaningful on.
     */
    record Row(String name, int arity, boolean cond, Function<Tensor[], Tensor> op, Ref ref, Domain fwd,
            Domain gradDomain, Out out, boolean grad, DoublePredicate extremeOk) {
        Row withGradDomain(Domain d) {
            return new Row(name, arity, cond, op, ref, fwd, d, out, grad, extremeOk);
        }

        Row noGrad() {
            return new Row(name, arity, cond, op, ref, fwd, gradDomain, out, false, extremeOk);
        }

        Row output(Out o) {
            return new Row(name, arity, cond, op, ref, fwd, gradDomain, o, grad, extremeOk);
        }

        Row extremes(DoublePredicate ok) {
            return new Row(name, arity, cond, op, ref, fwd, gradDomain, out, grad, ok);
        }

        DType outType(DType in) {
            return switch (out) {
                case SAME -> in;
                case BOOL -> DType.BOOL;
                case F32 -> DType.FLOAT32;
                case F64 -> DType.FLOAT64;
                case I32 -> DType.INT32;
                case I64 -> DType.INT64;
            };
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Domain uniform(double lo, double hi) {
        return (r, arg) -> lo + (hi - lo) * r.nextDouble();
    }

    static final Domain ANY = uniform(-3, 3);
    static final Domain POS = uniform(0.1, 3);
    /** ±[0.2, 3): away from 0, for kinks at 0 and denominators. */
    static final Domain NONZERO = (r, arg) -> (r.nextBoolean() ? 1 : -1) * (0.2 + 2.8 * r.nextDouble());
    /** Plenty of exact zeros among ordinary values. */
    static final Domain WITH_ZEROS = (r, arg) -> r.nextInt(3) == 0 ? 0 : -3 + 6 * r.nextDouble();
    /** Small integers, so that comparisons and max/min meet ties. */
    static final Domain SMALL_INTS = (r, arg) -> r.nextInt(5) - 2;
    /** Multiples of 0.5 in [-4, 4], with exact halves for rounding. */
    static final Domain HALVES = (r, arg) -> r.nextInt(3) == 0 ? -3 + 6 * r.nextDouble() : (r.nextInt(17) - 8) * 0.5;
    /** Fractional parts in (0.1, 0.4) ∪ (0.6, 0.9): away from integers and halves (floor/ceil/round kinks). */
    static final Domain OFF_GRID = (r, arg) -> r.nextInt(7) - 3 + (r.nextBoolean() ? 0.1 : 0.6) + 0.3 * r.nextDouble();
    static final Domain WITH_SPECIALS = (r, arg) -> switch (r.nextInt(6)) {
        case 0 -> Double.NaN;
        case 1 -> Double.POSITIVE_INFINITY;
        case 2 -> Double.NEGATIVE_INFINITY;
        default -> -3 + 6 * r.nextDouble();
    };

    static final double[] EXTREMES = {0.0, -0.0, 1e-30, -1e-30, 1e30, -1e30, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.NaN};

    static Row unary(String name, Function<Tensor, Tensor> op, DoubleUnaryOperator ref, Domain d) {
        return new Row(name, 1, false, in -> op.apply(in[0]), x -> ref.applyAsDouble(x[0]), d, d, Out.SAME, true,
                v -> true);
    }

    static Row binary(String name, java.util.function.BinaryOperator<Tensor> op, DoubleBinaryOperator ref, Domain d) {
        return new Row(name, 2, false, in -> op.apply(in[0], in[1]), x -> ref.applyAsDouble(x[0], x[1]), d, d,
                Out.SAME, true, v -> true);
    }

    static Row compare(String name, java.util.function.BinaryOperator<Tensor> op, DoubleBinaryOperator ref) {
        return binary(name, op, ref, SMALL_INTS).output(Out.BOOL).noGrad();
    }

    static Row cast(DType to, Out out, DoubleUnaryOperator ref) {
        return unary("cast_" + to.shortName(), x -> x.cast(to), ref, WITH_ZEROS).output(out).noGrad();
    }

    static Stream<Row> rows() {
        DoublePredicate finiteSmall = v -> Double.isFinite(v) && Math.abs(v) < 1e9;
        return Stream.of(
                binary("add", Tensor::add, Double::sum, ANY),
                binary("sub", Tensor::sub, (a, b) -> a - b, ANY),
                binary("mul", Tensor::mul, (a, b) -> a * b, ANY),
                binary("div", Tensor::div, (a, b) -> a / b, (r, arg) -> arg == 0 ? ANY.sample(r, arg) : NONZERO.sample(r, arg)),
                unary("neg", Tensor::neg, x -> -x, WITH_ZEROS),
                unary("abs", Tensor::abs, Math::abs, WITH_ZEROS).withGradDomain(NONZERO),
                unary("sign", Tensor::sign, x -> x > 0 ? 1 : x < 0 ? -1 : 0, WITH_ZEROS).withGradDomain(NONZERO)
                        .extremes(v -> !Double.isNaN(v)),
                unary("exp", Tensor::exp, Math::exp, ANY),
                unary("log", Tensor::log, Math::log, POS),
                unary("log1p", Tensor::log1p, Math::log1p, uniform(-0.9, 3)),
                unary("expm1", Tensor::expm1, Math::expm1, ANY),
                unary("sqrt", Tensor::sqrt, Math::sqrt, POS),
                unary("rsqrt", Tensor::rsqrt, x -> 1 / Math.sqrt(x), POS),
                binary("pow", Tensor::pow, Math::pow, (r, arg) -> arg == 0 ? POS.sample(r, 0) : -2 + 4 * r.nextDouble()),
                unary("sin", Tensor::sin, Math::sin, ANY),
                unary("cos", Tensor::cos, Math::cos, ANY),
                unary("tan", Tensor::tan, Math::tan, uniform(-1.2, 1.2)),
                unary("tanh", Tensor::tanh, Math::tanh, ANY),
                unary("sigmoid", Tensor::sigmoid, ElementwiseReference::sigmoid, uniform(-8, 8)),
                unary("relu", Tensor::relu, x -> x > 0 ? x : Double.isNaN(x) ? x : 0, WITH_ZEROS).withGradDomain(NONZERO),
                // gelu(-inf) is NaN in every framework (-inf · 0); only finite extremes are meaningful
                unary("gelu", Tensor::gelu, ElementwiseReference::gelu, uniform(-5, 5)).extremes(v -> !Double.isInfinite(v)),
                unary("softplus", Tensor::softplus, ElementwiseReference::softplus, uniform(-8, 8)),
                unary("erf", Tensor::erf, ElementwiseReference::erf, uniform(-4, 4)),
                unary("floor", Tensor::floor, Math::floor, HALVES).withGradDomain(OFF_GRID),
                unary("ceil", Tensor::ceil, Math::ceil, HALVES).withGradDomain(OFF_GRID),
                unary("round", Tensor::round, ElementwiseReference::roundHalfEven, HALVES).withGradDomain(OFF_GRID),
                unary("clamp", x -> x.clamp(-0.5, 0.7),
                        x -> Double.isNaN(x) ? x : Math.min(Math.max(x, -0.5), 0.7), ANY),
                binary("maximum", Tensor::maximum, ElementwiseReference::maximum, ANY),
                binary("minimum", Tensor::minimum, ElementwiseReference::minimum, ANY),
                new Row("where", 3, true, in -> Tensor.where(in[0], in[1], in[2]), x -> x[0] != 0 ? x[1] : x[2],
                        ANY, ANY, Out.SAME, true, v -> true),
                compare("eq", Tensor::eq, (a, b) -> truth(a == b)),
                compare("ne", Tensor::ne, (a, b) -> truth(a != b)),
                compare("lt", Tensor::lt, (a, b) -> truth(a < b)),
                compare("le", Tensor::le, (a, b) -> truth(a <= b)),
                compare("gt", Tensor::gt, (a, b) -> truth(a > b)),
                compare("ge", Tensor::ge, (a, b) -> truth(a >= b)),
                binary("logicalAnd", Tensor::logicalAnd, (a, b) -> truth(a != 0 && b != 0), WITH_ZEROS).output(Out.BOOL).noGrad(),
                binary("logicalOr", Tensor::logicalOr, (a, b) -> truth(a != 0 || b != 0), WITH_ZEROS).output(Out.BOOL).noGrad(),
                binary("logicalXor", Tensor::logicalXor, (a, b) -> truth((a != 0) != (b != 0)), WITH_ZEROS).output(Out.BOOL).noGrad(),
                unary("logicalNot", Tensor::logicalNot, a -> truth(a == 0), WITH_ZEROS).output(Out.BOOL).noGrad(),
                unary("isNan", Tensor::isNan, a -> truth(Double.isNaN(a)), WITH_SPECIALS).output(Out.BOOL).noGrad(),
                unary("isInf", Tensor::isInf, a -> truth(Double.isInfinite(a)), WITH_SPECIALS).output(Out.BOOL).noGrad(),
                unary("isFinite", Tensor::isFinite, a -> truth(Double.isFinite(a)), WITH_SPECIALS).output(Out.BOOL).noGrad(),
                cast(DType.FLOAT32, Out.F32, x -> x),
                cast(DType.FLOAT64, Out.F64, x -> x),
                cast(DType.INT32, Out.I32, x -> x < 0 ? Math.ceil(x) : Math.floor(x)).extremes(finiteSmall),
                cast(DType.INT64, Out.I64, x -> x < 0 ? Math.ceil(x) : Math.floor(x)).extremes(finiteSmall),
                cast(DType.BOOL, Out.BOOL, x -> truth(x != 0)));
    }

    static Stream<Row> gradRows() {
        return rows().filter(Row::grad);
    }

    // ------------------------------------------------------------------ the checks

    /** Runs {@code row} on inputs of {@code shapes} holding {@code values} and compares with the reference. */
    private static void checkForward(Row row, DType dtype, long[][] shapes, double[][] values, Tolerances.Tol tol) {
        Tensor[] in = new Tensor[row.arity()];
        double[][] held = new double[row.arity()][];
        for (int k = 0; k < row.arity(); k++) {
            DType t = row.cond() && k == 0 ? DType.BOOL : dtype;
            in[k] = tensor(values[k], t, shapes[k]);
            held[k] = representable(values[k], t);
        }
        Tensor result = row.op().apply(in);

        long[] outShape = broadcast(shapes);
        DType outType = row.outType(dtype);
        String what = row.name() + " " + dtype.shortName() + " " + describe(shapes);
        assertArrayEquals(outShape, result.shape().dims(), what + ": output shape");
        assertEquals(outType, result.dtype(), what + ": output dtype");

        int n = (int) numel(outShape);
        int[][] src = new int[row.arity()][];
        for (int k = 0; k < row.arity(); k++) {
            src[k] = sourceIndex(shapes[k], outShape);
        }
        double[] expected = new double[n];
        for (int e = 0; e < n; e++) {
            double[] args = new double[row.arity()];
            for (int k = 0; k < row.arity(); k++) {
                args[k] = held[k][src[k][e]];
            }
            expected[e] = representable(row.ref().apply(args), outType);
        }
        Tolerances.Tol t = outType.isFloating() ? tol : Tolerances.EXACT;
        Tolerances.assertClose(what, t, expected, result.toDoubleArray(), e -> {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < row.arity(); k++) {
                sb.append(k == 0 ? "" : ", ").append(held[k][src[k][e]]);
            }
            return sb.toString();
        });
    }

    private static String describe(long[][] shapes) {
        StringBuilder sb = new StringBuilder();
        for (long[] s : shapes) {
            sb.append(sb.length() == 0 ? "" : " × ").append(Arrays.toString(s));
        }
        return sb.toString();
    }

    private static double[][] sample(Row row, Domain d, long[][] shapes, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ row.name().hashCode());
        double[][] v = new double[shapes.length][];
        for (int k = 0; k < shapes.length; k++) {
            v[k] = new double[(int) numel(shapes[k])];
            for (int i = 0; i < v[k].length; i++) {
                v[k][i] = row.cond() && k == 0 ? truth(r.nextBoolean()) : d.sample(r, k);
            }
        }
        return v;
    }

    private static long[][] same(int arity, long... shape) {
        long[][] s = new long[arity][];
        Arrays.fill(s, shape);
        return s;
    }

    private static void checkRandom(Row row, DType dtype) {
        long[][] shapes = same(row.arity(), 4, 5);
        checkForward(row, dtype, shapes, sample(row, row.fwd(), shapes, 17), Tolerances.of(dtype));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void forward_randomFloat32_matchesReference(Row row) {
        checkRandom(row, DType.FLOAT32);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void forward_randomFloat64_matchesReference(Row row) {
        checkRandom(row, DType.FLOAT64);
    }

    /** Shape combinations per arity: broadcasting and the scalar shape (). */
    static List<long[][]> broadcastShapes(int arity) {
        long[] s = {};
        return switch (arity) {
            case 1 -> List.of(new long[][] {s}, new long[][] {{3, 1}}, new long[][] {{2, 3, 4}});
            case 2 -> List.of(new long[][] {{3, 1}, {1, 4}}, new long[][] {{2, 3}, {3}}, new long[][] {s, {2, 2}},
                    new long[][] {{2, 2}, s}, new long[][] {s, s}, new long[][] {{2, 1, 4}, {3, 1}},
                    new long[][] {{1, 3, 1}, {2, 1, 4}});
            default -> List.of(new long[][] {{3, 1}, {1, 4}, s}, new long[][] {{2, 3}, {3}, {2, 1}},
                    new long[][] {s, {2, 2}, {2, 2}}, new long[][] {s, s, s}, new long[][] {{2, 1, 1}, {1, 3, 1}, {4}});
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void forward_broadcastAndScalarShapes_matchesReference(Row row) {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (long[][] shapes : broadcastShapes(row.arity())) {
                checkForward(row, dtype, shapes, sample(row, row.fwd(), shapes, 5), Tolerances.of(dtype));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void forward_zeroSizeShape_givesEmptyResult(Row row) {
        List<long[][]> cases = switch (row.arity()) {
            case 1 -> List.of(new long[][] {{0, 3}}, new long[][] {{0}});
            case 2 -> List.of(new long[][] {{0, 3}, {0, 3}}, new long[][] {{0, 3}, {3}}, new long[][] {{0, 1}, {1, 3}},
                    new long[][] {{}, {0, 3}});
            default -> List.of(new long[][] {{0, 3}, {3}, {}}, new long[][] {{1, 3}, {0, 1}, {3}});
        };
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (long[][] shapes : cases) {
                checkForward(row, dtype, shapes, sample(row, row.fwd(), shapes, 3), Tolerances.of(dtype));
            }
        }
    }

    /**
     * Every meaningful pair (or triple) of ±0, ±1e-30, ±1e30, ±inf and NaN, through broadcasting so that each
     * argument meets each other: IEEE results (inf, NaN, signed zero) must match the reference.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void forward_extremeValues_matchesReference(Row row) {
        double[] x = Arrays.stream(EXTREMES).filter(row.extremeOk()).toArray();
        long n = x.length;
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tolerances.Tol tol = Tolerances.extreme(dtype);
            switch (row.arity()) {
                case 1 -> checkForward(row, dtype, new long[][] {{n}}, new double[][] {x}, tol);
                case 2 -> checkForward(row, dtype, new long[][] {{n, 1}, {1, n}}, new double[][] {x, x}, tol);
                default -> checkForward(row, dtype, new long[][] {{2, 1, 1}, {1, n, 1}, {1, 1, n}},
                        new double[][] {{1, 0}, x, x}, tol);
            }
        }
    }

    /** Gradient against central differences on float64, including broadcast inputs and the scalar shape. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("gradRows")
    void gradient_matchesFiniteDifferences(Row row) {
        List<long[][]> cases = switch (row.arity()) {
            case 1 -> List.of(new long[][] {{3, 4}}, new long[][] {{}});
            case 2 -> List.of(new long[][] {{3, 1}, {1, 4}}, new long[][] {{2, 3}, {3}}, new long[][] {{}, {2, 2}},
                    new long[][] {{2, 2}, {}});
            default -> List.of(new long[][] {{3, 1}, {1, 4}, {}}, new long[][] {{2, 3}, {2, 3}, {3}});
        };
        int seed = 0;
        for (long[][] shapes : cases) {
            double[][] v = sample(row, row.gradDomain(), shapes, 100 + seed++);
            if (row.cond()) {
                Tensor c = tensor(v[0], DType.BOOL, shapes[0]);
                GradCheck.check(in -> row.op().apply(new Tensor[] {c, in[0], in[1]}),
                        tensor(v[1], DType.FLOAT64, shapes[1]), tensor(v[2], DType.FLOAT64, shapes[2]));
            } else {
                Tensor[] in = new Tensor[row.arity()];
                for (int k = 0; k < in.length; k++) {
                    in[k] = tensor(v[k], DType.FLOAT64, shapes[k]);
                }
                GradCheck.check(row.op(), in);
            }
        }
    }

    /**
     * Second derivatives: the gradient rules are themselves differentiated (createGraph) and compared with
     * finite differences of the first derivatives, on broadcast inputs.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("gradRows")
    void secondOrderGradient_matchesFiniteDifferences(Row row) {
        long[][] shapes = switch (row.arity()) {
            case 1 -> new long[][] {{2, 3}};
            case 2 -> new long[][] {{3, 1}, {1, 4}};
            default -> new long[][] {{3, 1}, {1, 4}, {3, 4}};
        };
        double[][] v = sample(row, row.gradDomain(), shapes, 300);
        if (row.cond()) {
            Tensor c = tensor(v[0], DType.BOOL, shapes[0]);
            GradCheck.check(ElementwiseReference.gradientOf(in -> row.op().apply(new Tensor[] {c, in[0], in[1]})),
                    tensor(v[1], DType.FLOAT64, shapes[1]), tensor(v[2], DType.FLOAT64, shapes[2]));
        } else {
            Tensor[] in = new Tensor[row.arity()];
            for (int k = 0; k < in.length; k++) {
                in[k] = tensor(v[k], DType.FLOAT64, shapes[k]);
            }
            GradCheck.check(ElementwiseReference.gradientOf(row.op()), in);
        }
    }

    @Test
    void gradient_largeBroadcastInputs_matchesFiniteDifferences() {
        // more than GradCheck's element-by-element limit, so it checks along random directions
        SplittableRandom r = new SplittableRandom(3);
        double[] a = r.doubles(96, -2, 2).toArray();
        double[] b = r.doubles(8, 0.5, 2).toArray();
        GradCheck.check(in -> in[0].mul(in[1]).tanh().div(in[1]), tensor(a, DType.FLOAT64, 12, 8),
                tensor(b, DType.FLOAT64, 8));
    }

    /** Enough elements that the CPU kernels split the work across threads. */
    @Test
    void forward_largeBroadcast_matchesReference() {
        SplittableRandom r = new SplittableRandom(11);
        double[] a = r.doubles(256, -3, 3).toArray();
        double[] b = r.doubles(512, -3, 3).toArray();
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = tensor(a, dtype, 256, 1);
            Tensor y = tensor(b, dtype, 1, 512);
            double[] add = x.add(y).toDoubleArray();
            double[] pow = x.abs().pow(y.mul(0.5)).toDoubleArray();
            double[] gt = x.gt(y).toDoubleArray();
            double[] tanh = x.mul(y).tanh().toDoubleArray();
            double[] ea = new double[256 * 512];
            double[] ep = new double[ea.length];
            double[] eg = new double[ea.length];
            double[] et = new double[ea.length];
            double[] ha = representable(a, dtype);
            double[] hb = representable(b, dtype);
            for (int i = 0; i < 256; i++) {
                for (int j = 0; j < 512; j++) {
                    ea[i * 512 + j] = ha[i] + hb[j];
                    ep[i * 512 + j] = Math.pow(Math.abs(ha[i]), hb[j] * 0.5);
                    eg[i * 512 + j] = truth(ha[i] > hb[j]);
                    et[i * 512 + j] = Math.tanh(ha[i] * hb[j]);
                }
            }
            Tolerances.assertClose("add " + dtype, dtype, representable(ea, dtype), add);
            Tolerances.assertClose("pow " + dtype, dtype, representable(ep, dtype), pow);
            Tolerances.assertClose("gt " + dtype, DType.BOOL, eg, gt);
            Tolerances.assertClose("tanh " + dtype, dtype, representable(et, dtype), tanh);
        }
    }

    /** Few, long rows: the CPU kernels split each row into blocks across threads. */
    @Test
    void forward_fewLongRows_matchesReference() {
        SplittableRandom r = new SplittableRandom(12);
        int n = 70_000;
        double[] a = r.doubles(2L * n, 0.1, 3).toArray();
        double[] b = r.doubles(n, -2, 2).toArray();
        double[] c = r.ints(2L * n, 0, 2).asDoubleStream().toArray();
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = tensor(a, dtype, 2, n);
            Tensor y = tensor(b, dtype, n);
            Tensor cond = tensor(c, DType.BOOL, 2, n);
            double[] ha = representable(a, dtype);
            double[] hb = representable(b, dtype);
            double[] sum = new double[2 * n];
            double[] pow = new double[2 * n];
            double[] sel = new double[2 * n];
            for (int i = 0; i < 2 * n; i++) {
                sum[i] = ha[i] + hb[i % n];
                pow[i] = Math.pow(ha[i], hb[i % n]);
                sel[i] = c[i] != 0 ? ha[i] : hb[i % n];
            }
            Tolerances.assertClose("add " + dtype, dtype, representable(sum, dtype), x.add(y).toDoubleArray());
            Tolerances.assertClose("pow " + dtype, dtype, representable(pow, dtype), x.pow(y).toDoubleArray());
            Tolerances.assertClose("where " + dtype, dtype, sel, Tensor.where(cond, x, y).toDoubleArray());
            Tolerances.assertClose("sub scalar " + dtype, dtype, representable(Arrays.stream(ha).map(v -> v - 0.5).toArray(), dtype),
                    x.sub(0.5).toDoubleArray());
        }
    }
}
