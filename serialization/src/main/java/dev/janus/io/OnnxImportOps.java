package dev.janus.io;

import static dev.janus.io.OnnxPrims.add;
import static dev.janus.io.OnnxPrims.ap;
import static dev.janus.io.OnnxPrims.bin;
import static dev.janus.io.OnnxPrims.cast;
import static dev.janus.io.OnnxPrims.div;
import static dev.janus.io.OnnxPrims.mul;
import static dev.janus.io.OnnxPrims.reduce;
import static dev.janus.io.OnnxPrims.scalar;
import static dev.janus.io.OnnxPrims.sub;
import static dev.janus.io.OnnxPrims.un;
import static dev.janus.io.OnnxPrims.where;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import java.util.List;

/**
 * The Janus form of each supported ONNX op: elementwise math, activations, comparisons and reductions here.
 * An op not in this table goes on to the next one, in this order: {@link OnnxImportShapes} (shapes, movement,
 * constants), {@link OnnxImportIndexing}, {@link OnnxImportNn} (linear algebra, convolution, pooling,
 * normalization, softmax), {@link OnnxImportLosses} (losses, windows), {@link OnnxImportResize},
 * {@link OnnxImportRnn}, {@link OnnxImportEinsum}; the last one's default is an {@link UnsupportedOperationException} naming the ONNX op.
 */
final class OnnxImportOps {
    private OnnxImportOps() {}

    static List<Tensor> apply(OnnxNode n) {
        return switch (n.op()) {
            case "Identity" -> List.of(n.in(0));
            case "Abs" -> one(un(Op.ABS, n.in(0)));
            case "Neg" -> one(un(Op.NEG, n.in(0)));
            case "Sign" -> one(un(Op.SIGN, n.in(0)));
            case "Exp" -> one(un(Op.EXP, floating(n, 0)));
            case "Log" -> one(un(Op.LOG, floating(n, 0)));
            case "Sqrt" -> one(un(Op.SQRT, floating(n, 0)));
            case "Sin" -> one(un(Op.SIN, floating(n, 0)));
            case "Cos" -> one(un(Op.COS, floating(n, 0)));
            case "Tan" -> one(un(Op.TAN, floating(n, 0)));
            case "Tanh" -> one(un(Op.TANH, floating(n, 0)));
            case "Sigmoid" -> one(un(Op.SIGMOID, floating(n, 0)));
            case "Relu" -> one(un(Op.RELU, n.in(0)));
            case "Erf" -> one(un(Op.ERF, floating(n, 0)));
            case "Floor" -> one(un(Op.FLOOR, floating(n, 0)));
            case "Ceil" -> one(un(Op.CEIL, floating(n, 0)));
            case "Round" -> one(un(Op.ROUND, floating(n, 0)));
            case "Not" -> one(un(Op.NOT, n.in(0)));
            case "IsNaN" -> one(un(Op.IS_NAN, floating(n, 0)));
            case "IsInf" -> one(isInf(n));
            case "Reciprocal" -> one(div(scalar(1, n.in(0)), n.in(0)));
            case "Sinh", "Cosh" -> one(hyperbolic(n));
            case "Asinh" -> one(logOf(add(n.in(0), un(Op.SQRT, add(mul(n.in(0), n.in(0)), scalar(1, n.in(0)))))));
            case "Acosh" -> one(logOf(add(n.in(0), un(Op.SQRT, sub(mul(n.in(0), n.in(0)), scalar(1, n.in(0)))))));
            case "Atanh" -> one(mul(logOf(div(add(scalar(1, n.in(0)), n.in(0)), sub(scalar(1, n.in(0)), n.in(0)))),
                    scalar(0.5, n.in(0))));
            case "Softplus" -> one(softplus(n.in(0)));
            case "Softsign" -> one(div(n.in(0), add(un(Op.ABS, n.in(0)), scalar(1, n.in(0)))));
            case "Elu" -> one(elu(n.in(0), n.f("alpha", 1f), 1));
            case "Selu" -> one(elu(n.in(0), n.f("alpha", 1.67326319217681884765625f), n.f("gamma", 1.05070102214813232421875f)));
            case "Celu" -> one(celu(n.in(0), n.f("alpha", 1f)));
            case "LeakyRelu" -> one(leaky(n.in(0), scalar(n.f("alpha", 0.01f), n.in(0))));
            case "PRelu" -> one(leaky(n.in(0), n.in(1)));
            case "ThresholdedRelu" -> one(where(bin(Op.GT, n.in(0), scalar(n.f("alpha", 1f), n.in(0))), n.in(0),
                    scalar(0, n.in(0))));
            case "HardSigmoid" -> one(hardSigmoid(n.in(0), n.f("alpha", 0.2f), n.f("beta", 0.5f)));
            case "HardSwish" -> one(mul(n.in(0), hardSigmoid(n.in(0), 1f / 6, 0.5f)));
            case "Mish" -> one(mul(n.in(0), un(Op.TANH, softplus(n.in(0)))));
            case "Shrink" -> one(shrink(n.in(0), n.f("lambd", 0.5f), n.f("bias", 0f)));
            case "Clip" -> one(clip(n));
            case "Add" -> one(bin(Op.ADD, n.in(0), n.in(1)));
            case "Sub" -> one(bin(Op.SUB, n.in(0), n.in(1)));
            case "Mul" -> one(bin(Op.MUL, n.in(0), n.in(1)));
            case "Div" -> one(divide(n.in(0), n.in(1)));
            case "Pow" -> one(pow(n.in(0), n.in(1)));
            case "Mod" -> one(mod(n.in(0), n.in(1), n.i("fmod", 0) == 1));
            case "Max" -> one(variadic(n, Op.MAXIMUM));
            case "Min" -> one(variadic(n, Op.MINIMUM));
            case "Sum" -> one(variadic(n, Op.ADD));
            case "Mean" -> one(div(variadic(n, Op.ADD), scalar(n.inputCount(), n.in(0))));
            case "Equal" -> one(bin(Op.EQ, n.in(0), n.in(1)));
            case "Less" -> one(bin(Op.LT, n.in(0), n.in(1)));
            case "LessOrEqual" -> one(bin(Op.LE, n.in(0), n.in(1)));
            case "Greater" -> one(bin(Op.GT, n.in(0), n.in(1)));
            case "GreaterOrEqual" -> one(bin(Op.GE, n.in(0), n.in(1)));
            case "And" -> one(bin(Op.AND, n.in(0), n.in(1)));
            case "Or" -> one(bin(Op.OR, n.in(0), n.in(1)));
            case "Xor" -> one(bin(Op.XOR, n.in(0), n.in(1)));
            case "Where" -> one(where(n.in(0), n.in(1), n.in(2)));
            case "Cast" -> one(cast(n.in(0), OnnxTensors.dtype((int) n.i("to", 0), "Cast's target")));
            case "CastLike" -> one(cast(n.in(0), n.in(1).dtype()));
            case "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum",
                    "ReduceLogSumExp", "ReduceSumSquare" -> one(reduction(n));
            case "ArgMax", "ArgMin" -> one(argReduce(n));
            case "CumSum" -> one(cumsum(n));
            default -> OnnxImportShapes.apply(n);
        };
    }

    static List<Tensor> one(Tensor t) {
        return List.of(t);
    }

    private static Tensor floating(OnnxNode n, int i) {
        Tensor x = n.in(i);
        if (!x.dtype().isFloating()) {
            throw n.unsupported("Janus computes it on floating tensors only, got " + x.dtype().shortName());
        }
        return x;
    }

    private static Tensor logOf(Tensor x) {
        return un(Op.LOG, x);
    }

    private static Tensor isInf(OnnxNode n) {
        Tensor x = floating(n, 0);
        Tensor inf = un(Op.IS_INF, x);
        boolean pos = n.i("detect_positive", 1) != 0;
        boolean neg = n.i("detect_negative", 1) != 0;
        if (pos && neg) {
            return inf;
        }
        if (!pos && !neg) {
            return bin(Op.AND, inf, un(Op.NOT, inf));
        }
        return bin(Op.AND, inf, bin(pos ? Op.GT : Op.LT, x, scalar(0, x)));
    }

    private static Tensor hyperbolic(OnnxNode n) {
        Tensor x = floating(n, 0);
        Tensor e = un(Op.EXP, x);
        Tensor em = un(Op.EXP, un(Op.NEG, x));
        return mul(bin(n.op().equals("Sinh") ? Op.SUB : Op.ADD, e, em), scalar(0.5, x));
    }

    /** log(1 + e^x) without overflow: max(x, 0) + log1p(e^-|x|). */
    private static Tensor softplus(Tensor x) {
        return add(un(Op.RELU, x), un(Op.LOG1P, un(Op.EXP, un(Op.NEG, un(Op.ABS, x)))));
    }

    private static Tensor elu(Tensor x, float alpha, float gamma) {
        Tensor y = where(bin(Op.GT, x, scalar(0, x)), x, mul(un(Op.EXPM1, x), scalar(alpha, x)));
        return gamma == 1 ? y : mul(y, scalar(gamma, x));
    }

    private static Tensor celu(Tensor x, float alpha) {
        Tensor neg = mul(un(Op.EXPM1, div(x, scalar(alpha, x))), scalar(alpha, x));
        return add(un(Op.RELU, x), bin(Op.MINIMUM, neg, scalar(0, x)));
    }

    private static Tensor leaky(Tensor x, Tensor slope) {
        return where(bin(Op.LT, x, scalar(0, x)), mul(x, slope), x);
    }

    private static Tensor hardSigmoid(Tensor x, float alpha, float beta) {
        Tensor y = add(mul(x, scalar(alpha, x)), scalar(beta, x));
        return bin(Op.MAXIMUM, bin(Op.MINIMUM, y, scalar(1, x)), scalar(0, x));
    }

    private static Tensor shrink(Tensor x, float lambd, float bias) {
        Tensor low = where(bin(Op.LT, x, scalar(-lambd, x)), add(x, scalar(bias, x)), scalar(0, x));
        return where(bin(Op.GT, x, scalar(lambd, x)), sub(x, scalar(bias, x)), low);
    }

    /** Clip: bounds from inputs (opset 11+) or attributes (older); NaN propagates as in the reference. */
    private static Tensor clip(OnnxNode n) {
        Tensor x = n.in(0);
        Tensor lo = n.has(1) ? n.in(1) : n.attr("min") != null ? scalar(n.f("min", 0), x) : null;
        Tensor hi = n.has(2) ? n.in(2) : n.attr("max") != null ? scalar(n.f("max", 0), x) : null;
        Tensor y = x;
        if (lo != null) {
            y = where(bin(Op.LT, y, lo), cast(lo, x.dtype()), y);
        }
        if (hi != null) {
            y = where(bin(Op.GT, y, hi), cast(hi, x.dtype()), y);
        }
        return y;
    }

    /** ONNX Div truncates integers (C semantics); Janus's div is true division, so integers go through f64. */
    private static Tensor divide(Tensor a, Tensor b) {
        if (a.dtype().isFloating()) {
            return div(a, b);
        }
        return cast(div(cast(a, DType.FLOAT64), cast(b, DType.FLOAT64)), a.dtype());
    }

    /** Pow's exponent may have another type; the result has the base's. */
    private static Tensor pow(Tensor a, Tensor b) {
        if (a.dtype().isFloating()) {
            return bin(Op.POW, a, b);
        }
        return cast(un(Op.ROUND, bin(Op.POW, cast(a, DType.FLOAT64), cast(b, DType.FLOAT64))), a.dtype());
    }

    /** fmod=1: the sign of the dividend (C fmod); fmod=0: the sign of the divisor (Python). */
    private static Tensor mod(Tensor a, Tensor b, boolean fmod) {
        Tensor x = cast(a, DType.FLOAT64);
        Tensor y = cast(b, DType.FLOAT64);
        Tensor q = div(x, y);
        Tensor whole = fmod ? mul(un(Op.SIGN, q), un(Op.FLOOR, un(Op.ABS, q))) : un(Op.FLOOR, q);
        return cast(sub(x, mul(y, whole)), a.dtype());
    }

    private static Tensor variadic(OnnxNode n, Op op) {
        Tensor acc = n.in(0);
        for (int i = 1; i < n.inputCount(); i++) {
            acc = bin(op, acc, n.in(i));
        }
        return acc;
    }

    // ---- reductions ----

    private static Tensor reduction(OnnxNode n) {
        Tensor x = n.in(0);
        int r = x.shape().rank();
        long[] given = n.axes("axes", 1);
        boolean keep = n.i("keepdims", 1) != 0;
        if ((given == null || given.length == 0) && n.i("noop_with_empty_axes", 0) != 0) {
            return x;
        }
        int[] axes = given == null || given.length == 0 ? OnnxPrims.range(0, r) : OnnxPrims.axes(given, r);
        DType t = x.dtype();
        Tensor y = switch (n.op()) {
            case "ReduceSum" -> sum(x, axes, keep);
            case "ReduceMean" -> div(sum(cast(x, t.toFloating()), axes, keep), scalar(OnnxPrims.count(x, axes), t.toFloating()));
            case "ReduceMax" -> extreme(n, Op.MAX, x, axes, keep);
            case "ReduceMin" -> extreme(n, Op.MIN, x, axes, keep);
            case "ReduceProd" -> reduce(Op.PROD, x, axes, keep);
            case "ReduceL1" -> sum(un(Op.ABS, x), axes, keep);
            case "ReduceL2" -> un(Op.SQRT, sum(cast(mul(x, x), t.toFloating()), axes, keep));
            case "ReduceLogSum" -> un(Op.LOG, sum(cast(x, t.toFloating()), axes, keep));
            case "ReduceLogSumExp" -> logSumExp(cast(x, t.toFloating()), axes, keep);
            case "ReduceSumSquare" -> sum(mul(x, x), axes, keep);
            default -> throw n.unsupported("not a reduction");
        };
        return cast(y, t);
    }

    private static Tensor sum(Tensor x, int[] axes, boolean keep) {
        return reduce(Op.SUM, x, axes, keep);
    }

    /** ONNX reduces an empty axis of max/min to the identity (-inf/+inf for floats); Janus refuses it. */
    private static Tensor extreme(OnnxNode n, Op op, Tensor x, int[] axes, boolean keep) {
        if (OnnxPrims.count(x, axes) == 0) {
            throw n.unsupported("reducing an empty axis (Janus has no identity for max/min)");
        }
        return reduce(op, x, axes, keep);
    }

    private static Tensor logSumExp(Tensor x, int[] axes, boolean keep) {
        Tensor m = un(Op.STOP_GRADIENT, reduce(Op.MAX, x, axes, true));
        m = where(un(Op.IS_INF, m), scalar(0, m), m);
        Tensor s = un(Op.LOG, sum(un(Op.EXP, sub(x, m)), axes, true));
        Tensor y = add(s, m);
        return keep ? y : OnnxPrims.reshape(y, reduce(Op.SUM, x, axes, false).shape().dims());
    }

    private static Tensor argReduce(OnnxNode n) {
        Tensor x = n.in(0);
        int axis = OnnxPrims.axis(n.i("axis", 0), x.shape().rank());
        boolean keep = n.i("keepdims", 1) != 0;
        Op op = n.op().equals("ArgMax") ? Op.ARGMAX : Op.ARGMIN;
        if (n.i("select_last_index", 0) == 0) {
            return ap(op, Attrs.of("axis", axis, "keepDim", keep), x);
        }
        Tensor idx = ap(op, Attrs.of("axis", axis, "keepDim", keep), OnnxPrims.flip(x, axis));
        return sub(scalar(x.shape().dim(axis) - 1, DType.INT64), idx);
    }

    private static Tensor cumsum(OnnxNode n) {
        Tensor x = n.in(0);
        int axis = OnnxPrims.axis(n.constLongs(1)[0], x.shape().rank());
        boolean reverse = n.i("reverse", 0) != 0;
        Tensor in = reverse ? OnnxPrims.flip(x, axis) : x;
        Tensor y = ap(Op.CUMSUM, Attrs.of("axis", axis), in);
        if (n.i("exclusive", 0) != 0) {
            y = sub(y, cast(in, y.dtype()));
        }
        y = cast(y, x.dtype());
        return reverse ? OnnxPrims.flip(y, axis) : y;
    }
}
