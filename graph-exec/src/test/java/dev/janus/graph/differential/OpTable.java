package dev.janus.graph.differential;

import static dev.janus.DType.BOOL;
import static dev.janus.DType.FLOAT32;
import static dev.janus.DType.FLOAT64;
import static dev.janus.DType.INT32;
import static dev.janus.DType.INT64;
import static dev.janus.graph.differential.OpRow.Dist.ANY;
import static dev.janus.graph.differential.OpRow.Dist.COIN;
import static dev.janus.graph.differential.OpRow.Dist.HALVES;
import static dev.janus.graph.differential.OpRow.Dist.NONZERO;
import static dev.janus.graph.differential.OpRow.Dist.POS;
import static dev.janus.graph.differential.OpRow.Dist.SMALL_INT;
import static dev.janus.graph.differential.OpRow.Dist.SPECIALS;
import static dev.janus.graph.differential.OpRow.Dist.WITH_ZEROS;
import static dev.janus.graph.differential.OpRow.Dist.index;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Tensor;
import dev.janus.graph.differential.OpRow.Arg;
import dev.janus.graph.differential.OpRow.Dist;
import dev.janus.nn.F;
import dev.janus.ops.Attrs;
import dev.janus.ops.Dispatch;
import dev.janus.ops.Op;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The rows of {@link EagerVsGraphTest}: one or more per primitive of {@link Op}, each a function written with
 * the public {@link Tensor} / {@link F} API (or {@link Dispatch} for the two gradient-only kernels), valid
 * seeded inputs, and the dtypes it runs on; then composites. Scalar {@code ()}, zero-size and extreme-range
 * inputs appear wherever the op allows them.
 */
final class OpTable {
    private OpTable() {}

    // ------------------------------------------------------------------ dtype sets

    static final Set<DType> FLOATS = EnumSet.of(FLOAT32, FLOAT64);
    /** Floating ops reached from integers through the API's promotion cast. */
    static final Set<DType> FLOATS_PROMOTING = EnumSet.of(FLOAT32, FLOAT64, INT32);
    static final Set<DType> NUMERIC = EnumSet.of(FLOAT32, FLOAT64, INT32, INT64);
    static final Set<DType> ALL = EnumSet.allOf(DType.class);

    // ------------------------------------------------------------------ row builders

    static long[] s(long... dims) {
        return dims;
    }

    static Arg arg(long[] shape, Dist d) {
        return new Arg(shape, d, null);
    }

    static Arg arg(DType fixed, long[] shape, Dist d) {
        return new Arg(shape, d, fixed);
    }

    static OpRow row(String name, Op op, Function<Tensor[], Tensor> fn, Set<DType> dtypes, Arg... args) {
        return new OpRow(name, EnumSet.of(op), fn, dtypes, List.of(args));
    }

    static OpRow composite(String name, Set<Op> ops, Function<Tensor[], Tensor> fn, Set<DType> dtypes, Arg... args) {
        return new OpRow(name, ops, fn, dtypes, List.of(args));
    }

    /** The floating dtypes of {@code dtypes}: where extreme-range values mean something. */
    static Set<DType> floating(Set<DType> dtypes) {
        Set<DType> r = EnumSet.copyOf(dtypes);
        r.retainAll(FLOATS);
        return r;
    }

    /**
     * An elementwise unary op on a matrix, a scalar {@code ()}, a zero-size tensor, and (floating dtypes only)
     * extreme-range values.
     */
    static Stream<OpRow> unary(String name, Op op, UnaryOperator<Tensor> f, Dist d, Set<DType> dtypes) {
        Function<Tensor[], Tensor> fn = in -> f.apply(in[0]);
        Stream<OpRow> extreme = floating(dtypes).isEmpty() ? Stream.empty()
                : Stream.of(row(name + "_extreme", op, fn, floating(dtypes), arg(s(12), Dist.EXTREME)));
        return Stream.concat(Stream.of(s(3, 4), s(), s(0, 3)).map(sh -> row(name, op, fn, dtypes, arg(sh, d))), extreme);
    }

    /**
     * An elementwise binary op on equal shapes, broadcast shapes, scalars, a scalar operand, zero-size, and
     * (floating dtypes only) extreme-range values.
     */
    static Stream<OpRow> binary(String name, Op op, BinaryOperator<Tensor> f, Dist da, Dist db, Set<DType> dtypes) {
        Function<Tensor[], Tensor> fn = in -> f.apply(in[0], in[1]);
        long[][][] pairs = {{s(3, 4), s(3, 4)}, {s(3, 1), s(1, 4)}, {s(), s()}, {s(2, 3), s()}, {s(0, 4), s(4)}};
        Stream<OpRow> extreme = floating(dtypes).isEmpty() ? Stream.empty()
                : Stream.of(row(name + "_extreme", op, fn, floating(dtypes), arg(s(12, 1), Dist.EXTREME),
                        arg(s(12), Dist.EXTREME)));
        return Stream.concat(Stream.of(pairs).map(p -> row(name, op, fn, dtypes, arg(p[0], da), arg(p[1], db))), extreme);
    }

    static Stream<OpRow> binary(String name, Op op, BinaryOperator<Tensor> f, Dist d, Set<DType> dtypes) {
        return binary(name, op, f, d, d, dtypes);
    }

    static Tensor dispatch(Op op, Attrs attrs, Tensor... in) {
        return Dispatch.apply(op, attrs, in);
    }

    static int[] p(int a, int b) {
        return new int[] {a, b};
    }

    // ------------------------------------------------------------------ the table

    static Stream<OpRow> elementwise() {
        return Stream.of(
                unary("neg", Op.NEG, Tensor::neg, ANY, NUMERIC),
                unary("detach", Op.STOP_GRADIENT, t -> t.detach().mul(2L), ANY, NUMERIC),
                unary("abs", Op.ABS, Tensor::abs, ANY, NUMERIC),
                unary("sign", Op.SIGN, Tensor::sign, WITH_ZEROS, NUMERIC),
                unary("exp", Op.EXP, Tensor::exp, ANY, FLOATS_PROMOTING),
                unary("log", Op.LOG, Tensor::log, POS, FLOATS_PROMOTING),
                unary("log1p", Op.LOG1P, Tensor::log1p, POS, FLOATS_PROMOTING),
                unary("expm1", Op.EXPM1, Tensor::expm1, ANY, FLOATS_PROMOTING),
                unary("sqrt", Op.SQRT, Tensor::sqrt, POS, FLOATS_PROMOTING),
                unary("rsqrt", Op.RSQRT, Tensor::rsqrt, POS, FLOATS_PROMOTING),
                unary("sin", Op.SIN, Tensor::sin, ANY, FLOATS_PROMOTING),
                unary("cos", Op.COS, Tensor::cos, ANY, FLOATS_PROMOTING),
                unary("tan", Op.TAN, Tensor::tan, ANY, FLOATS_PROMOTING),
                unary("tanh", Op.TANH, Tensor::tanh, ANY, FLOATS_PROMOTING),
                unary("sigmoid", Op.SIGMOID, Tensor::sigmoid, ANY, FLOATS_PROMOTING),
                unary("relu", Op.RELU, Tensor::relu, WITH_ZEROS, NUMERIC),
                unary("erf", Op.ERF, Tensor::erf, ANY, FLOATS_PROMOTING),
                unary("floor", Op.FLOOR, Tensor::floor, HALVES, FLOATS),
                unary("ceil", Op.CEIL, Tensor::ceil, HALVES, FLOATS),
                unary("round", Op.ROUND, Tensor::round, HALVES, FLOATS),
                unary("logicalNot", Op.NOT, Tensor::logicalNot, SMALL_INT, EnumSet.of(BOOL, FLOAT32, INT32)),
                unary("isNan", Op.IS_NAN, Tensor::isNan, SPECIALS, EnumSet.of(FLOAT32, FLOAT64, INT32, BOOL)),
                unary("isInf", Op.IS_INF, Tensor::isInf, SPECIALS, EnumSet.of(FLOAT32, FLOAT64, INT64)),
                unary("cast_f32", Op.CAST, x -> x.cast(FLOAT32), WITH_ZEROS, EnumSet.of(FLOAT64, INT32, INT64, BOOL)),
                unary("cast_f64", Op.CAST, x -> x.cast(FLOAT64), WITH_ZEROS, EnumSet.of(FLOAT32, INT32, INT64, BOOL)),
                unary("cast_i32", Op.CAST, x -> x.cast(INT32), WITH_ZEROS, EnumSet.of(FLOAT32, FLOAT64, INT64, BOOL)),
                unary("cast_i64", Op.CAST, x -> x.cast(INT64), WITH_ZEROS, EnumSet.of(FLOAT32, FLOAT64, INT32, BOOL)),
                unary("cast_bool", Op.CAST, x -> x.cast(BOOL), WITH_ZEROS, EnumSet.of(FLOAT32, FLOAT64, INT32, INT64)),
                unary("copy", Op.CAST, Tensor::copy, ANY, ALL),

                binary("add", Op.ADD, Tensor::add, ANY, NUMERIC),
                binary("sub", Op.SUB, Tensor::sub, ANY, NUMERIC),
                binary("mul", Op.MUL, Tensor::mul, ANY, NUMERIC),
                binary("div", Op.DIV, Tensor::div, ANY, NONZERO, FLOATS_PROMOTING),
                binary("pow", Op.POW, Tensor::pow, POS, ANY, FLOATS_PROMOTING),
                binary("maximum", Op.MAXIMUM, Tensor::maximum, SMALL_INT, NUMERIC),
                binary("minimum", Op.MINIMUM, Tensor::minimum, SMALL_INT, NUMERIC),
                binary("eq", Op.EQ, Tensor::eq, SMALL_INT, ALL),
                binary("ne", Op.NE, Tensor::ne, SMALL_INT, ALL),
                binary("lt", Op.LT, Tensor::lt, SMALL_INT, ALL),
                binary("le", Op.LE, Tensor::le, SMALL_INT, ALL),
                binary("gt", Op.GT, Tensor::gt, SMALL_INT, ALL),
                binary("ge", Op.GE, Tensor::ge, SMALL_INT, ALL),
                binary("logicalAnd", Op.AND, Tensor::logicalAnd, COIN, EnumSet.of(BOOL, FLOAT32, INT64)),
                binary("logicalOr", Op.OR, Tensor::logicalOr, COIN, EnumSet.of(BOOL, FLOAT32, INT64)),
                binary("logicalXor", Op.XOR, Tensor::logicalXor, COIN, EnumSet.of(BOOL, FLOAT32, INT64)),
                Stream.of(
                        // Java scalars: "weak" 0-d constants recorded into the graph
                        // above the kernels' ~32k-element threshold for splitting work across cores
                row("exp_large", Op.EXP, in -> in[0].exp(), FLOATS, arg(s(300, 200), ANY)),
                row("mul_large", Op.MUL, in -> in[0].mul(in[1]), NUMERIC, arg(s(300, 200), ANY), arg(s(200), ANY)),
                row("add_scalar", Op.ADD, in -> in[0].add(2.5), NUMERIC, arg(s(3, 4), ANY)),
                        row("add_long", Op.ADD, in -> in[0].add(2L), NUMERIC, arg(s(3, 4), ANY)),
                        row("rsub_scalar", Op.SUB, in -> in[0].rsub(1.5), NUMERIC, arg(s(3, 4), ANY)),
                        row("rdiv_scalar", Op.DIV, in -> in[0].rdiv(3.0), FLOATS_PROMOTING, arg(s(3, 4), NONZERO)),
                        row("pow_scalar", Op.POW, in -> in[0].pow(0.5), FLOATS_PROMOTING, arg(s(3, 4), POS)),
                        row("gt_scalar", Op.GT, in -> in[0].gt(0.5), NUMERIC, arg(s(3, 4), ANY)),
                        row("add_mixedDtypes", Op.ADD, in -> in[0].add(in[1]), EnumSet.of(FLOAT32, INT32),
                                arg(s(3, 4), ANY), arg(INT64, s(4), SMALL_INT)),
                        // where: a bool condition, both branches broadcast
                        row("where", Op.WHERE, in -> Tensor.where(in[0], in[1], in[2]), ALL,
                                arg(BOOL, s(3, 4), COIN), arg(s(3, 4), SMALL_INT), arg(s(3, 4), ANY)),
                        row("where", Op.WHERE, in -> Tensor.where(in[0], in[1], in[2]), NUMERIC,
                                arg(BOOL, s(3, 1), COIN), arg(s(4), ANY), arg(s(), ANY)),
                        row("where", Op.WHERE, in -> Tensor.where(in[0], in[1], in[2]), NUMERIC,
                                arg(BOOL, s(), COIN), arg(s(), ANY), arg(s(), ANY)),
                        row("where", Op.WHERE, in -> Tensor.where(in[0], in[1], in[2]), NUMERIC,
                                arg(BOOL, s(0, 4), COIN), arg(s(4), ANY), arg(s(0, 1), ANY)))
        ).flatMap(r -> r);
    }

    static Stream<OpRow> reductions() {
        Set<DType> withBool = ALL;
        return Stream.of(
                row("sum_all", Op.SUM, in -> in[0].sum(), withBool, arg(s(3, 4), SMALL_INT)),
                row("sum_axis1", Op.SUM, in -> in[0].sum(1), withBool, arg(s(3, 4), ANY)),
                row("sum_axes02_keepDim", Op.SUM, in -> in[0].sum(new int[] {0, 2}, true), NUMERIC, arg(s(2, 3, 4), ANY)),
                row("sum_large", Op.SUM, in -> in[0].sum(0), NUMERIC, arg(s(300, 200), ANY)),
                row("sum_scalar", Op.SUM, in -> in[0].sum(), NUMERIC, arg(s(), ANY)),
                row("sum_zeroSize", Op.SUM, in -> in[0].sum(0), NUMERIC, arg(s(0, 3), ANY)),
                row("prod_all", Op.PROD, in -> in[0].prod(), ALL, arg(s(3, 4), NONZERO)),
                row("prod_axis0_keepDim", Op.PROD, in -> in[0].prod(new int[] {0}, true), NUMERIC, arg(s(3, 4), ANY)),
                row("prod_scalar", Op.PROD, in -> in[0].prod(), NUMERIC, arg(s(), ANY)),
                row("prod_zeroSize", Op.PROD, in -> in[0].prod(new int[] {0}, false), NUMERIC, arg(s(0, 3), ANY)),
                row("max_all", Op.MAX, in -> in[0].max(), ALL, arg(s(3, 4), SMALL_INT)),
                row("max_axis1_keepDim", Op.MAX, in -> in[0].max(1, true), NUMERIC, arg(s(3, 4), ANY)),
                row("max_scalar", Op.MAX, in -> in[0].max(), NUMERIC, arg(s(), ANY)),
                row("max_zeroSizeKeptAxis", Op.MAX, in -> in[0].max(1, false), NUMERIC, arg(s(0, 3), ANY)),
                row("max_nan", Op.MAX, in -> in[0].max(1, false), FLOATS, arg(s(4, 5), SPECIALS)),
                row("min_all", Op.MIN, in -> in[0].min(), NUMERIC, arg(s(3, 4), SMALL_INT)),
                row("min_axis0", Op.MIN, in -> in[0].min(0, false), ALL, arg(s(3, 4), ANY)),
                row("min_scalar", Op.MIN, in -> in[0].min(), NUMERIC, arg(s(), ANY)),
                row("min_zeroSizeKeptAxis", Op.MIN, in -> in[0].min(new int[] {1}, true), NUMERIC, arg(s(0, 3), ANY)),
                row("argmax_axis1_ties", Op.ARGMAX, in -> in[0].argmax(1, false), ALL, arg(s(4, 5), SMALL_INT)),
                row("argmax_axis0_keepDim", Op.ARGMAX, in -> in[0].argmax(0, true), NUMERIC, arg(s(4, 5), ANY)),
                row("argmax_flat", Op.ARGMAX, in -> in[0].argmax(), NUMERIC, arg(s(2, 3, 4), ANY)),
                row("argmax_scalar", Op.ARGMAX, in -> in[0].argmax(), NUMERIC, arg(s(), ANY)),
                row("argmax_zeroSizeKeptAxis", Op.ARGMAX, in -> in[0].argmax(1, false), NUMERIC, arg(s(0, 3), ANY)),
                row("argmax_nan", Op.ARGMAX, in -> in[0].argmax(1, false), FLOATS, arg(s(4, 5), SPECIALS)),
                row("argmin_axis1_ties", Op.ARGMIN, in -> in[0].argmin(1, false), ALL, arg(s(4, 5), SMALL_INT)),
                row("argmin_flat", Op.ARGMIN, in -> in[0].argmin(), NUMERIC, arg(s(3, 4), ANY)),
                row("argmin_zeroSizeKeptAxis", Op.ARGMIN, in -> in[0].argmin(0, true), NUMERIC, arg(s(3, 0), ANY)),
                row("argmin_scalar", Op.ARGMIN, in -> in[0].argmin(), NUMERIC, arg(s(), ANY)),
                row("cumsum_axis0", Op.CUMSUM, in -> in[0].cumsum(0), withBool, arg(s(3, 4), SMALL_INT)),
                row("cumsum_axis1", Op.CUMSUM, in -> in[0].cumsum(-1), NUMERIC, arg(s(2, 3, 4), ANY)),
                row("cumsum_zeroSize", Op.CUMSUM, in -> in[0].cumsum(1), NUMERIC, arg(s(0, 3), ANY)));
    }

    static Stream<OpRow> movement() {
        return Stream.of(
                row("reshape", Op.RESHAPE, in -> in[0].reshape(4, 3), ALL, arg(s(3, 4), SMALL_INT)),
                row("reshape_inferred", Op.RESHAPE, in -> in[0].reshape(-1, 2), NUMERIC, arg(s(2, 3, 4), ANY)),
                row("reshape_scalar", Op.RESHAPE, in -> in[0].reshape(1, 1), ALL, arg(s(), SMALL_INT)),
                row("reshape_toScalar", Op.RESHAPE, in -> in[0].reshape(), NUMERIC, arg(s(1, 1), ANY)),
                row("reshape_zeroSize", Op.RESHAPE, in -> in[0].reshape(3, 0), ALL, arg(s(0, 3), ANY)),
                row("permute_2d", Op.PERMUTE, in -> in[0].permute(1, 0), ALL, arg(s(3, 4), SMALL_INT)),
                row("permute_3d", Op.PERMUTE, in -> in[0].permute(2, 0, 1), NUMERIC, arg(s(2, 3, 4), ANY)),
                row("permute_zeroSize", Op.PERMUTE, in -> in[0].transpose(0, 1), NUMERIC, arg(s(0, 3), ANY)),
                row("expand", Op.EXPAND, in -> in[0].expand(3, 4), ALL, arg(s(3, 1), SMALL_INT)),
                row("expand_newAxes", Op.EXPAND, in -> in[0].expand(2, -1, 4), NUMERIC, arg(s(3, 1), ANY)),
                row("expand_scalar", Op.EXPAND, in -> in[0].expand(2, 3), ALL, arg(s(), SMALL_INT)),
                row("expand_zeroSize", Op.EXPAND, in -> in[0].expand(0, 4), NUMERIC, arg(s(0, 1), ANY)),
                row("slice_step", Op.SLICE, in -> in[0].slice(1, 1, 5, 2), ALL, arg(s(3, 6), SMALL_INT)),
                row("slice_negative", Op.SLICE, in -> in[0].slice(0, -2, 100, 1), NUMERIC, arg(s(4, 3), ANY)),
                row("slice_empty", Op.SLICE, in -> in[0].slice(1, 2, 2, 1), NUMERIC, arg(s(3, 4), ANY)),
                row("slice_zeroSize", Op.SLICE, in -> in[0].narrow(1, 1, 2), NUMERIC, arg(s(0, 4), ANY)),
                row("pad", Op.PAD, in -> in[0].pad(1, 2), ALL, arg(s(3, 4), SMALL_INT)),
                row("pad_value", Op.PAD, in -> in[0].pad(new long[] {0, 1, 2, 0}, "constant", 2.0), NUMERIC,
                        arg(s(3, 4), ANY)),
                row("pad_zeroSize", Op.PAD, in -> in[0].pad(1, 1, 1, 1), NUMERIC, arg(s(0, 3), ANY)),
                row("flip", Op.FLIP, in -> in[0].flip(0), ALL, arg(s(3, 4), SMALL_INT)),
                row("flip_twoAxes", Op.FLIP, in -> in[0].flip(0, -1), NUMERIC, arg(s(2, 3, 4), ANY)),
                row("flip_zeroSize", Op.FLIP, in -> in[0].flip(1), NUMERIC, arg(s(0, 3), ANY)),
                row("cat_axis0", Op.CONCAT, in -> Tensor.cat(0, in[0], in[1]), ALL, arg(s(2, 4), SMALL_INT),
                        arg(s(3, 4), SMALL_INT)),
                row("cat_three_axis1", Op.CONCAT, in -> Tensor.cat(1, in[0], in[1], in[2]), NUMERIC,
                        arg(s(2, 1), ANY), arg(s(2, 3), ANY), arg(s(2, 2), ANY)),
                row("cat_zeroSizePiece", Op.CONCAT, in -> Tensor.cat(0, in[0], in[1]), NUMERIC, arg(s(0, 4), ANY),
                        arg(s(2, 4), ANY)),
                row("cat_promotes", Op.CONCAT, in -> Tensor.cat(0, in[0], in[1]), EnumSet.of(FLOAT32, INT32),
                        arg(s(2, 3), ANY), arg(INT64, s(1, 3), SMALL_INT)));
    }

    static Stream<OpRow> indexing() {
        return Stream.of(
                row("gather_axis0", Op.GATHER, in -> in[0].gather(0, in[1]), ALL, arg(s(3, 4), SMALL_INT),
                        arg(INT64, s(2, 4), index(3))),
                row("gather_axis1", Op.GATHER, in -> in[0].gather(1, in[1]), NUMERIC, arg(s(3, 4), ANY),
                        arg(INT64, s(2, 6), index(4))),
                row("gather_int32Index", Op.GATHER, in -> in[0].gather(-1, in[1]), NUMERIC, arg(s(2, 3, 4), ANY),
                        arg(INT32, s(2, 3, 2), index(4))),
                row("gather_zeroSize", Op.GATHER, in -> in[0].gather(0, in[1]), NUMERIC, arg(s(3, 4), ANY),
                        arg(INT64, s(0, 4), index(3))),
                row("scatterAdd_axis0_duplicates", Op.SCATTER_ADD, in -> in[0].scatterAdd(0, in[1], in[2]), NUMERIC,
                        arg(s(3, 4), ANY), arg(INT64, s(5, 4), index(3)), arg(s(5, 4), ANY)),
                row("scatterAdd_axis1", Op.SCATTER_ADD, in -> in[0].scatterAdd(1, in[1], in[2]), NUMERIC,
                        arg(s(3, 4), ANY), arg(INT64, s(2, 3), index(4)), arg(s(2, 3), ANY)),
                row("scatterAdd_int32Index", Op.SCATTER_ADD, in -> in[0].scatterAdd(0, in[1], in[2]), FLOATS,
                        arg(s(4), ANY), arg(INT32, s(6), index(4)), arg(s(6), ANY)),
                row("scatterAdd_zeroSize", Op.SCATTER_ADD, in -> in[0].scatterAdd(0, in[1], in[2]), NUMERIC,
                        arg(s(3, 4), ANY), arg(INT64, s(0, 4), index(3)), arg(s(0, 4), ANY)));
    }

    static Stream<OpRow> linalg() {
        return Stream.of(
                row("matmul", Op.MATMUL, in -> in[0].matmul(in[1]), FLOATS_PROMOTING, arg(s(3, 4), ANY), arg(s(4, 5), ANY)),
                row("matmul_batchBroadcast", Op.MATMUL, in -> in[0].matmul(in[1]), FLOATS, arg(s(2, 1, 3, 4), ANY),
                        arg(s(3, 4, 2), ANY)),
                row("matmul_vectorMatrix", Op.MATMUL, in -> in[0].matmul(in[1]), FLOATS, arg(s(4), ANY), arg(s(4, 5), ANY)),
                row("matmul_dot", Op.MATMUL, in -> in[0].matmul(in[1]), FLOATS, arg(s(4), ANY), arg(s(4), ANY)),
                row("matmul_transposed", Op.MATMUL, in -> in[0].matmul(in[1], true, true), FLOATS, arg(s(2, 4, 3), ANY),
                        arg(s(5, 4), ANY)),
                row("matmul_zeroRows", Op.MATMUL, in -> in[0].matmul(in[1]), FLOATS, arg(s(0, 4), ANY), arg(s(4, 5), ANY)),
                row("matmul_zeroInner", Op.MATMUL, in -> in[0].matmul(in[1]), FLOATS, arg(s(3, 0), ANY), arg(s(0, 5), ANY)),
                row("matmul_large", Op.MATMUL, in -> in[0].matmul(in[1]), FLOATS, arg(s(128, 96), ANY), arg(s(96, 112), ANY)));
    }

    static Stream<OpRow> nn() {
        Attrs wgrad = Attrs.of("stride", p(2, 1), "padding", p(1, 0), "dilation", p(1, 2), "groups", 2,
                "weightShape", new long[] {4, 2, 3, 2});
        Attrs pool = Attrs.of("kernel", p(3, 3), "stride", p(2, 2), "padding", p(1, 1), "dilation", p(1, 1));
        return Stream.of(
                row("conv2d_bias", Op.CONV2D, in -> F.conv2d(in[0], in[1], in[2], 1, 1), FLOATS,
                        arg(s(2, 3, 5, 5), ANY), arg(s(4, 3, 3, 3), ANY), arg(s(4), ANY)),
                row("conv2d_strideDilationGroups", Op.CONV2D,
                        in -> F.conv2d(in[0], in[1], null, p(2, 1), p(1, 0), p(1, 2), 2), FLOATS,
                        arg(s(2, 4, 7, 6), ANY), arg(s(6, 2, 3, 2), ANY)),
                row("conv2d_zeroBatch", Op.CONV2D, in -> F.conv2d(in[0], in[1]), FLOATS,
                        arg(s(0, 3, 5, 5), ANY), arg(s(4, 3, 3, 3), ANY)),
                row("conv2d_large", Op.CONV2D, in -> F.conv2d(in[0], in[1], null, 1, 1), FLOATS,
                        arg(s(2, 8, 16, 16), ANY), arg(s(8, 8, 3, 3), ANY)),
                row("convTranspose2d_bias", Op.CONV_TRANSPOSE2D, in -> F.convTranspose2d(in[0], in[1], in[2], 2, 0),
                        FLOATS, arg(s(1, 2, 3, 3), ANY), arg(s(2, 3, 2, 2), ANY), arg(s(3), ANY)),
                row("convTranspose2d_outputPaddingGroups", Op.CONV_TRANSPOSE2D,
                        in -> F.convTranspose2d(in[0], in[1], null, p(2, 3), p(1, 0), p(1, 2), p(1, 1), 2), FLOATS,
                        arg(s(2, 4, 3, 4), ANY), arg(s(4, 3, 3, 2), ANY)),
                row("convTranspose2d_zeroBatch", Op.CONV_TRANSPOSE2D, in -> F.convTranspose2d(in[0], in[1], null, 2, 0),
                        FLOATS, arg(s(0, 2, 3, 3), ANY), arg(s(2, 3, 2, 2), ANY)),
                row("conv2dWeightGrad_zeroBatch", Op.CONV2D_WEIGHT_GRAD,
                        in -> dispatch(Op.CONV2D_WEIGHT_GRAD, wgrad, in[0], in[1]), FLOATS,
                        arg(s(0, 4, 7, 6), ANY), arg(s(0, 4, 4, 4), ANY)),
                row("conv2dWeightGrad", Op.CONV2D_WEIGHT_GRAD, in -> dispatch(Op.CONV2D_WEIGHT_GRAD, wgrad, in[0], in[1]),
                        FLOATS, arg(s(2, 4, 7, 6), ANY), arg(s(2, 4, 4, 4), ANY)),
                row("maxPool2d", Op.MAX_POOL2D, in -> F.maxPool2d(in[0], 2), FLOATS, arg(s(2, 3, 6, 6), SMALL_INT)),
                row("maxPool2d_stridePaddingDilation", Op.MAX_POOL2D,
                        in -> F.maxPool2d(in[0], p(3, 2), p(2, 1), p(1, 1), p(1, 2)), FLOATS, arg(s(2, 3, 7, 6), ANY)),
                row("maxPool2d_nan", Op.MAX_POOL2D, in -> F.maxPool2d(in[0], 2), FLOATS, arg(s(1, 2, 4, 4), SPECIALS)),
                row("maxPool2d_zeroBatch", Op.MAX_POOL2D, in -> F.maxPool2d(in[0], 2), FLOATS, arg(s(0, 3, 4, 4), ANY)),
                row("maxPool2dGrad_ties", Op.MAX_POOL2D_GRAD, in -> dispatch(Op.MAX_POOL2D_GRAD, pool, in[0], in[1]),
                        FLOATS, arg(s(2, 3, 3, 3), ANY), arg(s(2, 3, 6, 6), SMALL_INT)),
                row("maxPool2dGrad_zeroBatch", Op.MAX_POOL2D_GRAD, in -> dispatch(Op.MAX_POOL2D_GRAD, pool, in[0], in[1]),
                        FLOATS, arg(s(0, 3, 3, 3), ANY), arg(s(0, 3, 6, 6), ANY)),
                row("conv2d_zeroChannels", Op.CONV2D, in -> F.conv2d(in[0], in[1]), FLOATS,
                        arg(s(2, 0, 5, 5), ANY), arg(s(4, 0, 3, 3), ANY)));
    }

    static Stream<OpRow> fourier() {
        return Stream.of(
                row("fft_radix2", Op.FFT, in -> in[0].fft(0), FLOATS_PROMOTING, arg(s(8, 3, 2), ANY)),
                row("fft_bluestein", Op.FFT, in -> in[0].fft(1), FLOATS, arg(s(2, 5, 2), ANY)),
                row("ifft", Op.FFT, in -> in[0].ifft(-1), FLOATS, arg(s(3, 6, 2), ANY)),
                row("fft_zeroBatch", Op.FFT, in -> in[0].fft(1), FLOATS, arg(s(0, 4, 2), ANY)),
                row("fft_ofReal", Op.FFT, in -> in[0].toComplex().fft(0), FLOATS, arg(s(4), ANY)),
                row("rfft_radix2", Op.RFFT, in -> in[0].rfft(1), FLOATS_PROMOTING, arg(s(3, 8), ANY)),
                row("rfft_bluestein", Op.RFFT, in -> in[0].rfft(0), FLOATS, arg(s(7, 2), ANY)),
                row("rfft_zeroBatch", Op.RFFT, in -> in[0].rfft(1), FLOATS, arg(s(0, 6), ANY)),
                row("irfft_even", Op.IRFFT, in -> in[0].irfft(1), FLOATS, arg(s(3, 5, 2), ANY)),
                row("irfft_odd", Op.IRFFT, in -> in[0].irfft(0, 9), FLOATS, arg(s(5, 2, 2), ANY)),
                row("irfft_zeroBatch", Op.IRFFT, in -> in[0].irfft(1, 4), FLOATS, arg(s(0, 3, 2), ANY)));
    }

    static Stream<OpRow> composites() {
        return Stream.of(
                composite("softmax", EnumSet.of(Op.MAX, Op.SUB, Op.EXP, Op.SUM, Op.DIV), in -> in[0].softmax(1),
                        FLOATS_PROMOTING, arg(s(3, 5), ANY)),
                composite("softmax_zeroRows", EnumSet.of(Op.EXP, Op.DIV), in -> in[0].softmax(-1), FLOATS,
                        arg(s(0, 5), ANY)),
                composite("logSoftmax", EnumSet.of(Op.EXP, Op.LOG, Op.SUB), in -> in[0].logSoftmax(0), FLOATS,
                        arg(s(4, 3), ANY)),
                composite("logSumExp", EnumSet.of(Op.MAX, Op.IS_INF, Op.WHERE, Op.EXP, Op.SUM, Op.LOG), 
                        in -> in[0].logSumExp(1, false), FLOATS, arg(s(3, 5), ANY)),
                composite("logSumExp_infinities", EnumSet.of(Op.WHERE, Op.LOG), in -> in[0].logSumExp(new int[] {0, 1}, true),
                        FLOATS, arg(s(3, 5), SPECIALS)),
                composite("layerNorm", EnumSet.of(Op.SUM, Op.RSQRT, Op.MUL, Op.ADD),
                        in -> F.layerNorm(in[0], 1, in[1], in[2], 1e-5), FLOATS,
                        arg(s(3, 4), ANY), arg(s(4), ANY), arg(s(4), ANY)),
                composite("layerNorm_twoAxes_constantAffine", EnumSet.of(Op.RSQRT),
                        in -> F.layerNorm(in[0], 2, Tensor.randn(new Generator(5), in[0].dtype(), 3, 4),
                                Tensor.ones(in[0].dtype(), 3, 4), 1e-5), FLOATS, arg(s(2, 3, 4), ANY)),
                composite("crossEntropy", EnumSet.of(Op.GATHER, Op.EXP, Op.LOG, Op.NE), in -> F.crossEntropy(in[0], in[1]),
                        FLOATS, arg(s(4, 5), ANY), arg(INT64, s(4), index(5))),
                composite("crossEntropy_ignoreIndexSmoothingWeights", EnumSet.of(Op.GATHER, Op.NE, Op.DIV),
                        in -> F.crossEntropy(in[0], in[1].sub(1L), F.CrossEntropyOptions.defaults().ignoreIndex(-1)
                                .labelSmoothing(0.1).weight(Tensor.of(new double[] {1, 2, 0.5}).cast(in[0].dtype()))),
                        FLOATS, arg(s(5, 3, 2), ANY), arg(INT64, s(5, 2), index(4))),
                composite("crossEntropy_probabilities", EnumSet.of(Op.EXP, Op.MUL),
                        in -> F.crossEntropy(in[0], in[1].softmax(1)), FLOATS, arg(s(4, 5), ANY), arg(s(4, 5), ANY)),
                composite("conv1d", EnumSet.of(Op.RESHAPE, Op.CONV2D), in -> F.conv1d(in[0], in[1], in[2], 2, 1, 1, 1),
                        FLOATS, arg(s(2, 3, 9), ANY), arg(s(4, 3, 3), ANY), arg(s(4), ANY)),
                composite("avgPool2d", EnumSet.of(Op.CONV2D, Op.RESHAPE), in -> F.avgPool2d(in[0], 2), FLOATS,
                        arg(s(2, 3, 6, 6), ANY)),
                composite("avgPool2d_paddingExcluded", EnumSet.of(Op.CONV2D, Op.DIV),
                        in -> F.avgPool2d(in[0], p(3, 3), p(2, 2), p(1, 1), false), FLOATS, arg(s(1, 2, 5, 5), ANY)),
                composite("adaptiveAvgPool2d_uneven", EnumSet.of(Op.SLICE, Op.SUM, Op.CONCAT),
                        in -> F.adaptiveAvgPool2d(in[0], 2, 3), FLOATS, arg(s(1, 2, 5, 7), ANY)),
                composite("maxPool2d_ceilMode", EnumSet.of(Op.MIN, Op.CONCAT, Op.MAX_POOL2D),
                        in -> F.maxPool2d(in[0], p(3, 3), p(2, 2), p(0, 0), p(1, 1), true), FLOATS, arg(s(1, 2, 6, 6), ANY)),
                composite("gelu", EnumSet.of(Op.ERF), in -> in[0].gelu(), FLOATS, arg(s(3, 4), ANY)),
                composite("var_std", EnumSet.of(Op.SUM, Op.SQRT), in -> in[0].std(new int[] {1}, false, 1), FLOATS,
                        arg(s(3, 4), ANY)),
                composite("tril", EnumSet.of(Op.WHERE), in -> in[0].tril(0), NUMERIC, arg(s(3, 4), ANY)),
                composite("roll_pad_reflect", EnumSet.of(Op.SLICE, Op.FLIP, Op.CONCAT),
                        in -> in[0].roll(1, 1).pad(new long[] {2, 1}, "reflect", 0), NUMERIC, arg(s(2, 5), ANY)),
                composite("indexSelect_embedding", EnumSet.of(Op.GATHER, Op.EXPAND),
                        in -> F.embedding(in[1], in[0]), FLOATS, arg(s(6, 3), ANY), arg(INT64, s(2, 4), index(6))),
                composite("linear_capturedWeights", EnumSet.of(Op.MATMUL, Op.ADD),
                        in -> F.linear(in[0], Tensor.randn(new Generator(9), in[0].dtype(), 5, 4),
                                Tensor.randn(new Generator(10), in[0].dtype(), 5)), FLOATS, arg(s(3, 4), ANY)),
                composite("linear_parameters", EnumSet.of(Op.MATMUL, Op.ADD),
                        in -> F.linear(in[0], Tensor.randn(new Generator(11), in[0].dtype(), 5, 4).requiresGrad(true),
                                Tensor.randn(new Generator(12), in[0].dtype(), 5).requiresGrad(true)), FLOATS,
                        arg(s(3, 4), ANY)),
                composite("clamp_mean_any", EnumSet.of(Op.MAXIMUM, Op.MINIMUM, Op.SUM, Op.GT),
                        in -> in[0].clamp(-1, 1).mean(0, false).add(in[0].any(new int[] {0}, false).cast(in[0].dtype())),
                        NUMERIC, arg(s(3, 4), ANY)));
    }

    /** One or more rows per primitive, each naming the one op it exercises. */
    static List<OpRow> primitiveRows() {
        return Stream.of(elementwise(), reductions(), movement(), indexing(), linalg(), nn(), fourier())
                .flatMap(r -> r).toList();
    }

    static List<OpRow> table() {
        return Stream.concat(primitiveRows().stream(), composites()).toList();
    }
}
