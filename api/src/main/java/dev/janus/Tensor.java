package dev.janus;

import dev.janus.ops.Attrs;
import dev.janus.ops.Dispatch;
import dev.janus.ops.Op;
import dev.janus.spi.Engine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array. Its methods are thin: each hands a primitive op to the tensor's engine, which
 * either runs it now (eager) or records it (symbolic), so the same code runs in both modes. Composite ops
 * (softmax, GELU, var, split, ...) are written here with primitives and get gradients for free.
 *
 * <pre>{@code
 * Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
 * Tensor y = x.matmul(x).relu().sum();
 * y.backward();
 * x.grad();   // d y / d x
 * }</pre>
 *
 * <p>Element-type creation, host copies and printing live in {@link Tensors} and {@link TensorFormat}; this
 * class is the op surface.
 */
public abstract class Tensor implements AutoCloseable {

    // ------------------------------------------------------------------ what an implementation provides

    /** The element type. */
    public abstract DType dtype();

    /** The shape, e.g. {@code [64, 10]}. */
    public abstract Shape shape();

    /** Where the data lives. */
    public abstract Device device();

    /** The engine that runs ops on this tensor. */
    public abstract Engine engine();

    /** A fresh Java array ({@code float[]}, {@code double[]}, {@code int[]}, {@code long[]}, {@code boolean[]}) in this dtype. */
    protected abstract Object hostArray();

    /** Marks this tensor as a leaf whose gradient {@link #backward()} accumulates. Returns this. */
    public abstract Tensor requiresGrad(boolean requiresGrad);

    public abstract boolean requiresGrad();

    /** The accumulated gradient, or null before the first backward pass. */
    public abstract Tensor grad();

    /** Clears the accumulated gradient. */
    public abstract void zeroGrad();

    /** Replaces the accumulated gradient (optimizers and graph recording use this). */
    public abstract void setGrad(Tensor gradient);

    /**
     * Backpropagates from this tensor: {@code gradient} weights a non-scalar output (null for a scalar),
     * {@code retainGraph} keeps the recorded graph for another backward pass, {@code createGraph} records
     * the backward pass itself so gradients can be differentiated again.
     */
    public abstract void backward(Tensor gradient, boolean retainGraph, boolean createGraph);

    /** The same values, cut off from the autograd graph. */
    public abstract Tensor detach();

    /** Copies {@code src}'s values into this tensor in place (no gradient is recorded). Returns this. */
    public abstract Tensor assign(Tensor src);

    /** A copy on {@code device} (this tensor when it is already there). */
    public abstract Tensor to(Device device);

    /**
     * Gives this tensor's memory back now instead of when the garbage collector finds it (what matters on a
     * GPU). Other tensors sharing the memory (views, {@link #detach()}) keep it alive until they close too.
     * Closing twice is harmless; using a closed tensor fails naming the op. See also {@link TensorScope}.
     */
    @Override
    public void close() {}

    /**
     * Moves this tensor's storage (and its gradient, if any) to {@code device} in place: the tensor keeps its
     * identity, so module fields and optimizers that hold it follow. {@link dev.janus.nn.Module#to} uses it;
     * elsewhere prefer {@link #to}, which leaves this tensor alone. Tensors without storage of their own
     * (symbolic ones inside a trace) refuse.
     */
    public void moveTo(Device device) {
        throw new UnsupportedOperationException("moveTo(" + device + "): a " + getClass().getSimpleName()
                + " has no storage to move; call it on eager tensors outside traced code");
    }

    // ------------------------------------------------------------------ creation (see Tensors for the rest)

    /** A float32 tensor holding a copy of {@code data} with the given shape (a 1-D shape when omitted). */
    public static Tensor of(float[] data, long... shape) {
        return Tensors.of(data, DType.FLOAT32, data.length, shape);
    }

    public static Tensor of(double[] data, long... shape) {
        return Tensors.of(data, DType.FLOAT64, data.length, shape);
    }

    public static Tensor of(int[] data, long... shape) {
        return Tensors.of(data, DType.INT32, data.length, shape);
    }

    public static Tensor of(long[] data, long... shape) {
        return Tensors.of(data, DType.INT64, data.length, shape);
    }

    public static Tensor of(boolean[] data, long... shape) {
        return Tensors.of(data, DType.BOOL, data.length, shape);
    }

    /** A float64 tensor of exactly {@code shape} (including the scalar shape). */
    public static Tensor of(double[] data, Shape shape) {
        return Tensors.of(data, DType.FLOAT64, data.length, shape);
    }

    /** A float32 tensor of exactly {@code shape} (including the scalar shape). */
    public static Tensor of(float[] data, Shape shape) {
        return Tensors.of(data, DType.FLOAT32, data.length, shape);
    }

    /** A 0-d tensor. */
    public static Tensor scalar(double value, DType dtype) {
        return Tensors.full(value, dtype, Shape.scalar());
    }

    public static Tensor zeros(long... shape) {
        return Tensors.full(0, DType.FLOAT32, Shape.of(shape));
    }

    public static Tensor zeros(DType dtype, long... shape) {
        return Tensors.full(0, dtype, Shape.of(shape));
    }

    public static Tensor ones(long... shape) {
        return Tensors.full(1, DType.FLOAT32, Shape.of(shape));
    }

    public static Tensor ones(DType dtype, long... shape) {
        return Tensors.full(1, dtype, Shape.of(shape));
    }

    public static Tensor full(double value, long... shape) {
        return Tensors.full(value, DType.FLOAT32, Shape.of(shape));
    }

    public static Tensor full(double value, DType dtype, long... shape) {
        return Tensors.full(value, dtype, Shape.of(shape));
    }

    /** {@code 0, 1, ..., end-1} as int64. */
    public static Tensor arange(long end) {
        return Tensors.arange(0, end, 1, DType.INT64);
    }

    /** {@code start, start+step, ...} below {@code end}, as float32. */
    public static Tensor arange(double start, double end, double step) {
        return Tensors.arange(start, end, step, DType.FLOAT32);
    }

    public static Tensor arange(double start, double end, double step, DType dtype) {
        return Tensors.arange(start, end, step, dtype);
    }

    /** {@code steps} evenly spaced float32 values from {@code start} to {@code end} inclusive. */
    public static Tensor linspace(double start, double end, int steps) {
        return Tensors.linspace(start, end, steps, DType.FLOAT32);
    }

    /** The n×n float32 identity. */
    public static Tensor eye(long n) {
        return Tensors.eye(n, n, DType.FLOAT32);
    }

    public static Tensor eye(long n, long m, DType dtype) {
        return Tensors.eye(n, m, dtype);
    }

    /** Uniform [0, 1) float32 values from the default generator ({@link Janus#manualSeed}). */
    public static Tensor rand(long... shape) {
        return Tensors.rand(Janus.defaultGenerator(), DType.FLOAT32, Shape.of(shape));
    }

    public static Tensor rand(Generator g, long... shape) {
        return Tensors.rand(g, DType.FLOAT32, Shape.of(shape));
    }

    /** Standard normal float32 values from the default generator. */
    public static Tensor randn(long... shape) {
        return Tensors.randn(Janus.defaultGenerator(), DType.FLOAT32, Shape.of(shape));
    }

    public static Tensor randn(Generator g, long... shape) {
        return Tensors.randn(g, DType.FLOAT32, Shape.of(shape));
    }

    public static Tensor randn(Generator g, DType dtype, long... shape) {
        return Tensors.randn(g, dtype, Shape.of(shape));
    }

    /** Uniform int64 values in {@code [low, high)}. */
    public static Tensor randint(long low, long high, long... shape) {
        return Tensors.randint(Janus.defaultGenerator(), low, high, Shape.of(shape));
    }

    public static Tensor randint(Generator g, long low, long high, long... shape) {
        return Tensors.randint(g, low, high, Shape.of(shape));
    }

    public static Tensor zerosLike(Tensor t) {
        return fullLike(t, 0);
    }

    public static Tensor onesLike(Tensor t) {
        return fullLike(t, 1);
    }

    /** A tensor of {@code t}'s shape and dtype, filled with {@code value}, on {@code t}'s device. */
    public static Tensor fullLike(Tensor t, double value) {
        return Tensors.full(value, t.dtype(), t.shape()).to(t.device());
    }

    // ------------------------------------------------------------------ shape facts and host copies

    public long numel() {
        return shape().numel();
    }

    public int rank() {
        return shape().rank();
    }

    /** Size of dimension {@code axis} (negative counts from the end). */
    public long dim(int axis) {
        return shape().dim(axis);
    }

    public float[] toFloatArray() {
        return (float[]) Tensors.convertArray(hostArray(), dtype(), DType.FLOAT32);
    }

    public double[] toDoubleArray() {
        return (double[]) Tensors.convertArray(hostArray(), dtype(), DType.FLOAT64);
    }

    public int[] toIntArray() {
        return (int[]) Tensors.convertArray(hostArray(), dtype(), DType.INT32);
    }

    public long[] toLongArray() {
        return (long[]) Tensors.convertArray(hostArray(), dtype(), DType.INT64);
    }

    public boolean[] toBooleanArray() {
        return (boolean[]) Tensors.convertArray(hostArray(), dtype(), DType.BOOL);
    }

    /** The value of a one-element tensor, as a double. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("item() needs a tensor with one element, got " + dtype().shortName() + shape());
        }
        return toDoubleArray()[0];
    }

    /** The value of a one-element tensor, as a long (exact for integer tensors). */
    public long itemLong() {
        if (numel() != 1) {
            throw new IllegalArgumentException("itemLong() needs a tensor with one element, got " + dtype().shortName() + shape());
        }
        return toLongArray()[0];
    }

    /** Values like numpy/PyTorch print them (large tensors are summarized), then shape and dtype. */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }

    // ------------------------------------------------------------------ autograd conveniences

    /** Backpropagates from a scalar. */
    public void backward() {
        backward(null, false, false);
    }

    /** Backpropagates from a non-scalar output weighted by {@code gradient}. */
    public void backward(Tensor gradient) {
        backward(gradient, false, false);
    }

    public void backward(Tensor gradient, boolean retainGraph) {
        backward(gradient, retainGraph, false);
    }

    // ------------------------------------------------------------------ elementwise

    /** A copy with its own memory; gradients flow through it unchanged. */
    public Tensor copy() {
        return Dispatch.apply(Op.CAST, Attrs.of("dtype", dtype()), this);
    }

    /** This tensor in {@code dtype} (itself when it already is). */
    public Tensor cast(DType dtype) {
        return dtype == dtype() ? this : Dispatch.apply(Op.CAST, Attrs.of("dtype", dtype), this);
    }

    private Tensor unary(Op op) {
        return Dispatch.apply(op, Attrs.NONE, this);
    }

    /** Unary ops defined on floats promote integer inputs to float32 first, as PyTorch does. */
    private Tensor unaryFloat(Op op) {
        return Dispatch.apply(op, Attrs.NONE, cast(dtype().toFloating()));
    }

    private Tensor binary(Op op, Tensor other) {
        DType t = DType.promote(dtype(), other.dtype());
        if (op == Op.DIV || op == Op.POW) {
            t = t.toFloating();
        }
        return Dispatch.apply(op, Attrs.NONE, cast(t), other.cast(t));
    }

    /** A 0-d tensor for a Java scalar: a "weak" type that does not widen this tensor's dtype needlessly. */
    private Tensor scalarFor(double value, boolean integral) {
        DType t = dtype().isFloating() ? dtype() : integral ? (dtype() == DType.BOOL ? DType.INT64 : dtype()) : DType.FLOAT32;
        return Tensors.full(value, t, Shape.scalar()).to(device());
    }

    public Tensor add(Tensor other) {
        return binary(Op.ADD, other);
    }

    public Tensor add(double s) {
        return binary(Op.ADD, scalarFor(s, false));
    }

    public Tensor add(long s) {
        return binary(Op.ADD, scalarFor(s, true));
    }

    public Tensor sub(Tensor other) {
        return binary(Op.SUB, other);
    }

    public Tensor sub(double s) {
        return binary(Op.SUB, scalarFor(s, false));
    }

    public Tensor sub(long s) {
        return binary(Op.SUB, scalarFor(s, true));
    }

    /** {@code s - this}. */
    public Tensor rsub(double s) {
        return scalarFor(s, false).binary(Op.SUB, this);
    }

    public Tensor mul(Tensor other) {
        return binary(Op.MUL, other);
    }

    public Tensor mul(double s) {
        return binary(Op.MUL, scalarFor(s, false));
    }

    public Tensor mul(long s) {
        return binary(Op.MUL, scalarFor(s, true));
    }

    /** True division; integer inputs give float32. */
    public Tensor div(Tensor other) {
        return binary(Op.DIV, other);
    }

    public Tensor div(double s) {
        return binary(Op.DIV, scalarFor(s, false));
    }

    /** {@code s / this}. */
    public Tensor rdiv(double s) {
        return scalarFor(s, false).binary(Op.DIV, this);
    }

    public Tensor pow(Tensor exponent) {
        return binary(Op.POW, exponent);
    }

    public Tensor pow(double exponent) {
        if (exponent == 2) {
            Tensor f = cast(dtype().toFloating());
            return f.mul(f);
        }
        return binary(Op.POW, scalarFor(exponent, false));
    }

    public Tensor maximum(Tensor other) {
        return binary(Op.MAXIMUM, other);
    }

    public Tensor minimum(Tensor other) {
        return binary(Op.MINIMUM, other);
    }

    public Tensor neg() {
        return unary(Op.NEG);
    }

    public Tensor abs() {
        return unary(Op.ABS);
    }

    public Tensor sign() {
        return unary(Op.SIGN);
    }

    public Tensor exp() {
        return unaryFloat(Op.EXP);
    }

    public Tensor log() {
        return unaryFloat(Op.LOG);
    }

    public Tensor log1p() {
        return unaryFloat(Op.LOG1P);
    }

    public Tensor expm1() {
        return unaryFloat(Op.EXPM1);
    }

    public Tensor sqrt() {
        return unaryFloat(Op.SQRT);
    }

    public Tensor rsqrt() {
        return unaryFloat(Op.RSQRT);
    }

    public Tensor sin() {
        return unaryFloat(Op.SIN);
    }

    public Tensor cos() {
        return unaryFloat(Op.COS);
    }

    public Tensor tan() {
        return unaryFloat(Op.TAN);
    }

    public Tensor tanh() {
        return unaryFloat(Op.TANH);
    }

    public Tensor sigmoid() {
        return unaryFloat(Op.SIGMOID);
    }

    public Tensor relu() {
        return unary(Op.RELU);
    }

    public Tensor erf() {
        return unaryFloat(Op.ERF);
    }

    public Tensor floor() {
        return dtype().isFloating() ? unary(Op.FLOOR) : this;
    }

    public Tensor ceil() {
        return dtype().isFloating() ? unary(Op.CEIL) : this;
    }

    /** Rounds half to even. */
    public Tensor round() {
        return dtype().isFloating() ? unary(Op.ROUND) : this;
    }

    /** GELU, exact form {@code x/2 · (1 + erf(x/√2))} (PyTorch's default). */
    public Tensor gelu() {
        Tensor x = cast(dtype().toFloating());
        return x.mul(x.mul(1 / Math.sqrt(2)).erf().add(1.0)).mul(0.5);
    }

    /**
     * {@code log(1 + e^x)}, computed as {@code max(x, 0) + log1p(e^-|x|)} so it never overflows. NOTE: the max
     * (not relu) matters at 0: it splits the tie, giving the true gradient 0.5.
     */
    public Tensor softplus() {
        Tensor x = cast(dtype().toFloating());
        return x.clampMin(0.0).add(x.abs().neg().exp().log1p());
    }

    /** Limits values to {@code [min, max]}. */
    public Tensor clamp(double min, double max) {
        return clampMin(min).clampMax(max);
    }

    public Tensor clampMin(double min) {
        return maximum(scalarFor(min, dtype().isIntegral() && min == Math.rint(min)));
    }

    public Tensor clampMax(double max) {
        return minimum(scalarFor(max, dtype().isIntegral() && max == Math.rint(max)));
    }

    /** {@code a} where {@code cond} is true, else {@code b}; all three broadcast. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        DType t = DType.promote(a.dtype(), b.dtype());
        return Dispatch.apply(Op.WHERE, Attrs.NONE, cond.cast(DType.BOOL), a.cast(t), b.cast(t));
    }

    public Tensor eq(Tensor o) {
        return binary(Op.EQ, o);
    }

    public Tensor eq(double s) {
        return binary(Op.EQ, scalarFor(s, s == Math.rint(s)));
    }

    public Tensor ne(Tensor o) {
        return binary(Op.NE, o);
    }

    public Tensor ne(double s) {
        return binary(Op.NE, scalarFor(s, s == Math.rint(s)));
    }

    public Tensor lt(Tensor o) {
        return binary(Op.LT, o);
    }

    public Tensor lt(double s) {
        return binary(Op.LT, scalarFor(s, s == Math.rint(s)));
    }

    public Tensor le(Tensor o) {
        return binary(Op.LE, o);
    }

    public Tensor le(double s) {
        return binary(Op.LE, scalarFor(s, s == Math.rint(s)));
    }

    public Tensor gt(Tensor o) {
        return binary(Op.GT, o);
    }

    public Tensor gt(double s) {
        return binary(Op.GT, scalarFor(s, s == Math.rint(s)));
    }

    public Tensor ge(Tensor o) {
        return binary(Op.GE, o);
    }

    public Tensor ge(double s) {
        return binary(Op.GE, scalarFor(s, s == Math.rint(s)));
    }

    private Tensor truth() {
        return dtype() == DType.BOOL ? this : ne(0.0);
    }

    /** Logical ops treat nonzero as true and return bool. */
    public Tensor logicalAnd(Tensor o) {
        return Dispatch.apply(Op.AND, Attrs.NONE, truth(), o.truth());
    }

    public Tensor logicalOr(Tensor o) {
        return Dispatch.apply(Op.OR, Attrs.NONE, truth(), o.truth());
    }

    public Tensor logicalXor(Tensor o) {
        return Dispatch.apply(Op.XOR, Attrs.NONE, truth(), o.truth());
    }

    public Tensor logicalNot() {
        return Dispatch.apply(Op.NOT, Attrs.NONE, truth());
    }

    /** True where the value is NaN (always false for integer tensors). */
    public Tensor isNan() {
        return unary(Op.IS_NAN);
    }

    /** True where the value is +inf or -inf. */
    public Tensor isInf() {
        return unary(Op.IS_INF);
    }

    /** True where the value is neither NaN nor infinite. */
    public Tensor isFinite() {
        return isNan().logicalOr(isInf()).logicalNot();
    }

    // ------------------------------------------------------------------ reductions

    private Tensor reduce(Op op, int[] axes, boolean keepDim) {
        return Dispatch.apply(op, Attrs.of("axes", axes.clone(), "keepDim", keepDim), this);
    }

    /** Sum of all elements (integers sum in int64). */
    public Tensor sum() {
        return reduce(Op.SUM, new int[0], false);
    }

    public Tensor sum(int axis) {
        return reduce(Op.SUM, new int[] {axis}, false);
    }

    public Tensor sum(int axis, boolean keepDim) {
        return reduce(Op.SUM, new int[] {axis}, keepDim);
    }

    /** Sum over {@code axes} (all when empty). */
    public Tensor sum(int[] axes, boolean keepDim) {
        return reduce(Op.SUM, axes, keepDim);
    }

    public Tensor prod() {
        return reduce(Op.PROD, new int[0], false);
    }

    public Tensor prod(int[] axes, boolean keepDim) {
        return reduce(Op.PROD, axes, keepDim);
    }

    public Tensor max() {
        return reduce(Op.MAX, new int[0], false);
    }

    public Tensor max(int axis, boolean keepDim) {
        return reduce(Op.MAX, new int[] {axis}, keepDim);
    }

    public Tensor max(int[] axes, boolean keepDim) {
        return reduce(Op.MAX, axes, keepDim);
    }

    public Tensor min() {
        return reduce(Op.MIN, new int[0], false);
    }

    public Tensor min(int axis, boolean keepDim) {
        return reduce(Op.MIN, new int[] {axis}, keepDim);
    }

    public Tensor min(int[] axes, boolean keepDim) {
        return reduce(Op.MIN, axes, keepDim);
    }

    /** Index of the maximum of the flattened tensor. */
    public Tensor argmax() {
        return reshape(-1).argmax(0, false);
    }

    public Tensor argmax(int axis, boolean keepDim) {
        return Dispatch.apply(Op.ARGMAX, Attrs.of("axis", axis, "keepDim", keepDim), this);
    }

    public Tensor argmin() {
        return reshape(-1).argmin(0, false);
    }

    public Tensor argmin(int axis, boolean keepDim) {
        return Dispatch.apply(Op.ARGMIN, Attrs.of("axis", axis, "keepDim", keepDim), this);
    }

    private long countOver(int[] axes) {
        boolean[] mask = dev.janus.ops.ShapeRules.reducedMask(Op.SUM, shape(), axes);
        long n = 1;
        for (int i = 0; i < mask.length; i++) {
            n *= mask[i] ? shape().dim(i) : 1;
        }
        return n;
    }

    public Tensor mean() {
        return mean(new int[0], false);
    }

    public Tensor mean(int axis, boolean keepDim) {
        return mean(new int[] {axis}, keepDim);
    }

    /** Mean over {@code axes}; integer tensors average as float32. */
    public Tensor mean(int[] axes, boolean keepDim) {
        return cast(dtype().toFloating()).sum(axes, keepDim).div((double) countOver(axes));
    }

    /** Unbiased variance over all elements (divides by n - 1, like PyTorch). */
    public Tensor var() {
        return var(new int[0], false, 1);
    }

    /** Variance over {@code axes} dividing by {@code n - correction}. */
    public Tensor var(int[] axes, boolean keepDim, int correction) {
        Tensor x = cast(dtype().toFloating());
        Tensor d = x.sub(x.mean(axes, true));
        return d.mul(d).sum(axes, keepDim).div((double) Math.max(0, countOver(axes) - correction));
    }

    public Tensor std() {
        return var().sqrt();
    }

    public Tensor std(int[] axes, boolean keepDim, int correction) {
        return var(axes, keepDim, correction).sqrt();
    }

    /** {@code log(sum(exp(x)))} over {@code axes}, stable for large values. */
    public Tensor logSumExp(int[] axes, boolean keepDim) {
        Tensor x = cast(dtype().toFloating());
        Tensor m = x.max(axes, true).detach();
        m = where(m.isInf(), zerosLike(m), m);
        Tensor r = x.sub(m).exp().sum(axes, true).log().add(m);
        return keepDim ? r : r.squeezeAxes(axes);
    }

    public Tensor logSumExp(int axis, boolean keepDim) {
        return logSumExp(new int[] {axis}, keepDim);
    }

    /** True when every element is nonzero (over {@code axes}; all when empty). */
    public Tensor all(int[] axes, boolean keepDim) {
        return logicalNot().cast(DType.INT64).sum(axes, keepDim).eq(0.0);
    }

    public Tensor all() {
        return all(new int[0], false);
    }

    public Tensor any(int[] axes, boolean keepDim) {
        return truth().cast(DType.INT64).sum(axes, keepDim).gt(0.0);
    }

    public Tensor any() {
        return any(new int[0], false);
    }

    /** Running sum along {@code axis}. */
    public Tensor cumsum(int axis) {
        return Dispatch.apply(Op.CUMSUM, Attrs.of("axis", axis), this);
    }

    // ------------------------------------------------------------------ shape and movement

    /** Same elements in a new shape; one dimension may be -1 (inferred). */
    public Tensor reshape(long... shape) {
        long[] s = Tensors.resolveReshape(shape(), shape);
        if (Arrays.equals(s, shape().dims())) {
            return this;
        }
        return Dispatch.apply(Op.RESHAPE, Attrs.of("shape", s), this);
    }

    /** Alias of {@link #reshape(long...)}: every Janus tensor is contiguous. */
    public Tensor view(long... shape) {
        return reshape(shape);
    }

    /** Every Janus tensor is contiguous, so this is the tensor itself. */
    public Tensor contiguous() {
        return this;
    }

    public Tensor permute(int... perm) {
        boolean identity = true;
        for (int i = 0; i < perm.length; i++) {
            identity &= perm[i] == i || perm[i] == i - perm.length;
        }
        if (identity && perm.length == rank()) {
            return this;
        }
        return Dispatch.apply(Op.PERMUTE, Attrs.of("perm", perm.clone()), this);
    }

    /** Swaps two axes. */
    public Tensor transpose(int a, int b) {
        int[] perm = new int[rank()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        int x = shape().axis(a);
        int y = shape().axis(b);
        perm[x] = y;
        perm[y] = x;
        return permute(perm);
    }

    /** Transpose of a matrix (rank ≤ 2). */
    public Tensor t() {
        if (rank() > 2) {
            throw new IllegalArgumentException("t() needs rank ≤ 2, got " + shape() + "; use transpose(a, b)");
        }
        return rank() < 2 ? this : transpose(0, 1);
    }

    /** Broadcasts to {@code shape}; -1 keeps a dimension. */
    public Tensor expand(long... shape) {
        long[] s = shape.clone();
        for (int i = 0; i < s.length; i++) {
            int j = i - (s.length - rank());
            if (s[i] == -1) {
                if (j < 0) {
                    throw new IllegalArgumentException("expand: -1 is not allowed for the new leading dimension " + i);
                }
                s[i] = dim(j);
            }
        }
        if (Arrays.equals(s, shape().dims())) {
            return this;
        }
        return Dispatch.apply(Op.EXPAND, Attrs.of("shape", s), this);
    }

    /** Removes every dimension of size 1. */
    public Tensor squeeze() {
        return reshape(Arrays.stream(shape().dims()).filter(d -> d != 1).toArray());
    }

    /** Removes dimension {@code axis} if its size is 1. */
    public Tensor squeeze(int axis) {
        return squeezeAxes(new int[] {axis});
    }

    private Tensor squeezeAxes(int[] axes) {
        boolean[] mask = dev.janus.ops.ShapeRules.reducedMask(Op.RESHAPE, shape(), axes);
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < rank(); i++) {
            if (!(mask[i] && dim(i) == 1)) {
                out.add(dim(i));
            }
        }
        return reshape(out.stream().mapToLong(Long::longValue).toArray());
    }

    /** Inserts a dimension of size 1 at {@code axis} (which may be {@code rank()}). */
    public Tensor unsqueeze(int axis) {
        int a = Shape.normalizeAxis(axis, rank() + 1);
        long[] d = new long[rank() + 1];
        for (int i = 0, j = 0; i < d.length; i++) {
            d[i] = i == a ? 1 : dim(j++);
        }
        return reshape(d);
    }

    /** A 1-D view of all elements. */
    public Tensor flatten() {
        return reshape(-1);
    }

    /** Merges dimensions {@code start..end} (inclusive). */
    public Tensor flatten(int start, int end) {
        int s = shape().axis(start);
        int e = shape().axis(end);
        long[] d = new long[rank() - (e - s)];
        int j = 0;
        for (int i = 0; i < s; i++) {
            d[j++] = dim(i);
        }
        d[j++] = shape().numel(s, e + 1);
        for (int i = e + 1; i < rank(); i++) {
            d[j++] = dim(i);
        }
        return reshape(d);
    }

    /** Joins tensors along an existing axis. */
    public static Tensor cat(int axis, Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("cat needs at least one tensor");
        }
        DType t = tensors[0].dtype();
        for (Tensor x : tensors) {
            t = DType.promote(t, x.dtype());
        }
        Tensor[] in = new Tensor[tensors.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = tensors[i].cast(t);
        }
        return in.length == 1 ? in[0] : Dispatch.apply(Op.CONCAT, Attrs.of("axis", axis), in);
    }

    public static Tensor cat(int axis, List<Tensor> tensors) {
        return cat(axis, tensors.toArray(new Tensor[0]));
    }

    /** Joins tensors along a new axis. */
    public static Tensor stack(int axis, Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("stack needs at least one tensor");
        }
        int a = Shape.normalizeAxis(axis, tensors[0].rank() + 1);
        Tensor[] in = new Tensor[tensors.length];
        for (int i = 0; i < in.length; i++) {
            if (!tensors[i].shape().equals(tensors[0].shape())) {
                throw new IllegalArgumentException("stack needs equal shapes, got " + tensors[0].shape() + " and "
                        + tensors[i].shape() + " at position " + i);
            }
            in[i] = tensors[i].unsqueeze(a);
        }
        return cat(a, in);
    }

    public static Tensor stack(int axis, List<Tensor> tensors) {
        return stack(axis, tensors.toArray(new Tensor[0]));
    }

    /**
     * Elements {@code start, start+step, ...} below {@code end} along {@code axis}, with Python's rules:
     * negative indices count from the end and out-of-range bounds are clipped. {@code step} must be positive
     * (use {@link #flip} to reverse).
     */
    public Tensor slice(int axis, long start, long end, long step) {
        int a = shape().axis(axis);
        if (step <= 0) {
            throw new IllegalArgumentException("slice step must be positive, got " + step + " (use flip to reverse)");
        }
        long n = dim(a);
        long s = Math.min(Math.max(start < 0 ? start + n : start, 0), n);
        long e = Math.min(Math.max(end < 0 ? end + n : end, 0), n);
        e = Math.max(s, e);
        if (s == 0 && e == n && step == 1) {
            return this;
        }
        long[] starts = new long[rank()];
        long[] stops = shape().dims();
        long[] steps = new long[rank()];
        Arrays.fill(steps, 1);
        starts[a] = s;
        stops[a] = e;
        steps[a] = step;
        return Dispatch.apply(Op.SLICE, Attrs.of("starts", starts, "stops", stops, "steps", steps), this);
    }

    /** {@code length} elements from {@code start} along {@code axis}. */
    public Tensor narrow(int axis, long start, long length) {
        long n = dim(axis);
        long s = start < 0 ? start + n : start;
        if (s < 0 || length < 0 || s + length > n) {
            throw new IllegalArgumentException("narrow(" + axis + ", " + start + ", " + length + ") is out of range for shape " + shape());
        }
        return slice(axis, s, s + length, 1);
    }

    /** Splits into pieces of {@code size} along {@code axis} (the last may be smaller). */
    public List<Tensor> split(long size, int axis) {
        if (size <= 0) {
            throw new IllegalArgumentException("split size must be positive, got " + size);
        }
        List<Tensor> out = new ArrayList<>();
        for (long s = 0; s < dim(axis) || s == 0 && dim(axis) == 0; s += size) {
            out.add(narrow(axis, s, Math.min(size, dim(axis) - s)));
            if (dim(axis) == 0) {
                break;
            }
        }
        return out;
    }

    /** Splits into pieces of the given sizes, which must add up to {@code dim(axis)}. */
    public List<Tensor> split(long[] sizes, int axis) {
        long total = Arrays.stream(sizes).sum();
        if (total != dim(axis)) {
            throw new IllegalArgumentException("split sizes " + Arrays.toString(sizes) + " add up to " + total
                    + ", not to dimension " + axis + " of " + shape());
        }
        List<Tensor> out = new ArrayList<>();
        long s = 0;
        for (long size : sizes) {
            out.add(narrow(axis, s, size));
            s += size;
        }
        return out;
    }

    /** Splits into {@code chunks} nearly equal pieces, like {@code torch.chunk}. */
    public List<Tensor> chunk(int chunks, int axis) {
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk count must be positive, got " + chunks);
        }
        return split(Math.max(1, (dim(axis) + chunks - 1) / chunks), axis);
    }

    /** Reverses the order of elements along each of {@code dims}. */
    public Tensor flip(int... dims) {
        return dims.length == 0 ? this : Dispatch.apply(Op.FLIP, Attrs.of("axes", dims.clone()), this);
    }

    /** Rotates elements by {@code shift} along {@code axis}, wrapping around. */
    public Tensor roll(long shift, int axis) {
        long n = dim(axis);
        if (n == 0) {
            return this;
        }
        long s = Math.floorMod(shift, n);
        if (s == 0) {
            return this;
        }
        return cat(axis, narrow(axis, n - s, s), narrow(axis, 0, n - s));
    }

    public Tensor roll(long[] shifts, int[] axes) {
        Tensor r = this;
        for (int i = 0; i < shifts.length; i++) {
            r = r.roll(shifts[i], axes[i]);
        }
        return r;
    }

    /**
     * Pads with PyTorch's {@code F.pad} convention: {@code padding} holds (before, after) pairs starting from
     * the last dimension. {@code mode} is {@code "constant"} (with {@code value}) or {@code "reflect"}.
     */
    public Tensor pad(long[] padding, String mode, double value) {
        return Tensors.pad(this, padding, mode, value);
    }

    public Tensor pad(long... padding) {
        return pad(padding, "constant", 0);
    }

    /** Lower triangle of the last two dimensions, keeping diagonals ≤ {@code k}. */
    public Tensor tril(long k) {
        return where(Tensors.triangleMask(this, k, true), this, zerosLike(this));
    }

    /** Upper triangle of the last two dimensions, keeping diagonals ≥ {@code k}. */
    public Tensor triu(long k) {
        return where(Tensors.triangleMask(this, k, false), this, zerosLike(this));
    }

    /** Tiles the tensor {@code repeats[i]} times along each dimension, like {@code torch.Tensor.repeat}. */
    public Tensor repeat(long... repeats) {
        return Tensors.repeat(this, repeats);
    }

    /** Rows (or slices) at {@code index} along {@code axis}; {@code index} is a 1-D integer tensor. */
    public Tensor indexSelect(int axis, Tensor index) {
        return Tensors.indexSelect(this, axis, index);
    }

    /** {@code out[i][j] = this[index[i][j]][j]} for axis 0 (and likewise for other axes). */
    public Tensor gather(int axis, Tensor index) {
        return Dispatch.apply(Op.GATHER, Attrs.of("axis", axis), this, index);
    }

    /** A copy with {@code src} added at the positions {@code index} names along {@code axis}. */
    public Tensor scatterAdd(int axis, Tensor index, Tensor src) {
        return Dispatch.apply(Op.SCATTER_ADD, Attrs.of("axis", axis), this, index, src.cast(dtype()));
    }

    // ------------------------------------------------------------------ linear algebra

    /**
     * Matrix product with numpy rules: 1-D operands are promoted to matrices and the added dimension removed
     * afterwards; batch dimensions broadcast.
     */
    public Tensor matmul(Tensor other) {
        return Tensors.matmul(this, other);
    }

    /**
     * The matrix-product primitive on rank ≥ 2 operands, using this tensor's and/or {@code other}'s last two
     * axes transposed. The flags go to BLAS, so no transposed copy is made:
     * {@code x.matmul(w, false, true)} is {@code x · wᵀ}.
     */
    public Tensor matmul(Tensor other, boolean transposeThis, boolean transposeOther) {
        return Dispatch.apply(Op.MATMUL, Attrs.of("transA", transposeThis, "transB", transposeOther), this, other);
    }

    /** Batched matrix product of two 3-D tensors with equal batch size. */
    public Tensor bmm(Tensor other) {
        if (rank() != 3 || other.rank() != 3 || dim(0) != other.dim(0)) {
            throw new IllegalArgumentException("bmm needs [b, n, m] @ [b, m, p], got " + shape() + " and " + other.shape());
        }
        return matmul(other);
    }

    /** Outer product of two vectors. */
    public Tensor outer(Tensor other) {
        if (rank() != 1 || other.rank() != 1) {
            throw new IllegalArgumentException("outer needs two vectors, got " + shape() + " and " + other.shape());
        }
        return unsqueeze(1).mul(other.unsqueeze(0));
    }

    /** Inner product of two vectors. */
    public Tensor dot(Tensor other) {
        if (rank() != 1 || other.rank() != 1 || dim(0) != other.dim(0)) {
            throw new IllegalArgumentException("dot needs two vectors of equal length, got " + shape() + " and " + other.shape());
        }
        return mul(other).sum();
    }

    // ------------------------------------------------------------------ softmax family

    /** Numerically stable softmax along {@code axis}. */
    public Tensor softmax(int axis) {
        Tensor x = cast(dtype().toFloating());
        Tensor e = x.sub(x.max(axis, true).detach()).exp();
        return e.div(e.sum(axis, true));
    }

    /** {@code x - logSumExp(x)} along {@code axis}. */
    public Tensor logSoftmax(int axis) {
        Tensor x = cast(dtype().toFloating());
        return x.sub(x.logSumExp(new int[] {axis}, true));
    }

    // ------------------------------------------------------------------ Fourier transforms

    /**
     * Complex DFT along {@code axis}. Complex tensors carry a trailing dimension of size 2 (re, im), so
     * {@code axis} counts the dimensions before it. Use {@link #toComplex()} for a real signal.
     */
    public Tensor fft(int axis) {
        return Dispatch.apply(Op.FFT, Attrs.of("axis", axis, "inverse", false), cast(dtype().toFloating()));
    }

    /** Inverse complex DFT along {@code axis}, scaled by 1/n. */
    public Tensor ifft(int axis) {
        return Dispatch.apply(Op.FFT, Attrs.of("axis", axis, "inverse", true), cast(dtype().toFloating()));
    }

    /** DFT of a real signal along {@code axis}: n values give n/2+1 complex ones, shape [..., n/2+1, ..., 2]. */
    public Tensor rfft(int axis) {
        return Dispatch.apply(Op.RFFT, Attrs.of("axis", axis), cast(dtype().toFloating()));
    }

    /** Inverse of {@link #rfft} producing {@code n} real values along {@code axis}. */
    public Tensor irfft(int axis, long n) {
        return Dispatch.apply(Op.IRFFT, Attrs.of("axis", axis, "n", n), this);
    }

    /** Inverse of {@link #rfft} with the default even length {@code 2·(m-1)}. */
    public Tensor irfft(int axis) {
        int a = dev.janus.ops.ShapeRules.complexAxis(Op.IRFFT, shape(), axis);
        return irfft(axis, 2 * (dim(a) - 1));
    }

    /** A complex tensor (trailing dimension 2) with this tensor as real part and zero imaginary part. */
    public Tensor toComplex() {
        Tensor x = cast(dtype().toFloating());
        return stack(-1, x, zerosLike(x));
    }

    /** A complex tensor from real and imaginary parts. */
    public static Tensor complex(Tensor re, Tensor im) {
        return stack(-1, re, im);
    }

    /** The real part of a complex tensor. */
    public Tensor real() {
        return select(-1, 0);
    }

    /** The imaginary part of a complex tensor. */
    public Tensor imag() {
        return select(-1, 1);
    }

    /** The slice at {@code index} along {@code axis}, with that axis removed. */
    public Tensor select(int axis, long index) {
        return narrow(axis, index, 1).squeeze(axis);
    }
}
