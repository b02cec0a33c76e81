package dev.janus.ops;

import dev.janus.DType;
import dev.janus.Shape;
import java.util.Arrays;

/**
 * Output type inference for every primitive: one table, checked before any kernel runs. A rule that fails
 * throws {@link IllegalArgumentException} naming the op, the input types and the rule that was broken, so
 * kernels never see invalid input.
 */
public final class ShapeRules {
    private ShapeRules() {}

    /** The type of {@code op}'s output for the given inputs and attributes. */
    public static TensorSpec infer(Op op, Attrs a, TensorSpec... in) {
        checkArity(op, in);
        return switch (op) {
            case NEG, ABS, SIGN, RELU -> same(op, numeric(op, in[0]), in[0]);
            case EXP, LOG, LOG1P, EXPM1, SQRT, RSQRT, SIN, COS, TAN, TANH, SIGMOID, ERF, FLOOR, CEIL, ROUND ->
                    same(op, floating(op, in[0]), in[0]);
            case NOT -> same(op, bool(op, in[0]), in[0]);
            case IS_NAN, IS_INF -> new TensorSpec(DType.BOOL, in[0].shape());
            case CAST -> new TensorSpec(a.dtype("dtype"), in[0].shape());
            case STOP_GRADIENT -> in[0];
            case ADD, SUB, MUL, MAXIMUM, MINIMUM -> new TensorSpec(arithmetic(op, in[0], in[1]), broadcast(op, in));
            case DIV, POW -> new TensorSpec(floatingPair(op, in[0], in[1]), broadcast(op, in));
            case EQ, NE, LT, LE, GT, GE -> {
                sameDtype(op, in[0], in[1]);
                yield new TensorSpec(DType.BOOL, broadcast(op, in));
            }
            case AND, OR, XOR -> {
                bool(op, in[0]);
                bool(op, in[1]);
                yield new TensorSpec(DType.BOOL, broadcast(op, in));
            }
            case WHERE -> where(in);
            case SUM, PROD -> new TensorSpec(in[0].dtype().accumulating(), reduce(op, a, in[0]));
            case MAX, MIN -> new TensorSpec(in[0].dtype(), reduce(op, a, in[0]));
            case ARGMAX, ARGMIN -> new TensorSpec(DType.INT64, argReduce(op, a, in[0]));
            case CUMSUM -> {
                axis(op, in[0], a.i("axis"));
                yield new TensorSpec(in[0].dtype().accumulating(), in[0].shape());
            }
            case RESHAPE -> reshape(a, in[0]);
            case PERMUTE -> permute(a, in[0]);
            case EXPAND -> expand(a, in[0]);
            case SLICE -> slice(a, in[0]);
            case PAD -> pad(a, in[0]);
            case FLIP -> {
                axes(op, in[0].shape(), a.ints("axes"));
                yield in[0];
            }
            case CONCAT -> concat(a, in);
            case GATHER -> gather(a, in);
            case SCATTER_ADD -> scatterAdd(a, in);
            case MATMUL -> matmul(a, in);
            case CONV2D -> ConvShapes.conv2d(a, in);
            case CONV_TRANSPOSE2D -> ConvShapes.convTranspose2d(a, in[0], in[1]);
            case CONV2D_WEIGHT_GRAD -> ConvShapes.conv2dWeightGrad(a, in[0], in[1]);
            case MAX_POOL2D -> ConvShapes.maxPool2d(a, in[0]);
            case MAX_POOL2D_GRAD -> ConvShapes.maxPool2dGrad(a, in[0], in[1]);
            case FFT -> fft(op, a, in[0]);
            case RFFT -> rfft(a, in[0]);
            case IRFFT -> irfft(a, in[0]);
            case IF, LOOP, FUSED -> throw error(op, "a graph control op: its types come from its subgraphs");
            case CUSTOM -> CustomOps.infer(a, in);
        };
    }

    static IllegalArgumentException error(Op op, String message) {
        return new IllegalArgumentException("op '" + op.opName() + "': " + message);
    }

    private static void checkArity(Op op, TensorSpec[] in) {
        int expected = switch (op.kind()) {
            case UNARY, REDUCE, SCAN, MOVEMENT, FFT -> 1;
            case BINARY, LINALG -> 2;
            case TERNARY -> 3;
            case INDEX -> op == Op.GATHER ? 2 : 3;
            case NN -> op == Op.MAX_POOL2D ? 1 : 2;
            case CONTROL -> throw error(op, "a graph control op: its types come from its subgraphs");
            case CUSTOM -> in.length; // the registered op checks its own arity
        };
        boolean optionalBias = op == Op.CONV2D && in.length == 3;
        if (op == Op.CONCAT ? in.length < 1 : in.length != expected && !optionalBias) {
            throw error(op, "expects " + (op == Op.CONCAT ? "at least 1" : expected) + " inputs, got " + in.length);
        }
    }

    private static TensorSpec same(Op op, DType t, TensorSpec in) {
        return new TensorSpec(t, in.shape());
    }

    private static DType numeric(Op op, TensorSpec t) {
        if (t.dtype() == DType.BOOL) {
            throw error(op, "needs a numeric tensor, got " + t + " (cast it first)");
        }
        return t.dtype();
    }

    private static DType floating(Op op, TensorSpec t) {
        if (!t.dtype().isFloating()) {
            throw error(op, "needs a floating tensor, got " + t + " (cast it to f32 or f64 first)");
        }
        return t.dtype();
    }

    private static DType bool(Op op, TensorSpec t) {
        if (t.dtype() != DType.BOOL) {
            throw error(op, "needs a bool tensor, got " + t);
        }
        return DType.BOOL;
    }

    /**
     * Primitives take operands of one dtype: {@code Tensor}'s methods cast to the promoted type first, and
     * kernels rely on it, so a graph (loaded, or built by hand) with mixed operands is rejected here instead
     * of failing inside a kernel.
     */
    private static DType sameDtype(Op op, TensorSpec x, TensorSpec y) {
        if (x.dtype() != y.dtype()) {
            throw error(op, "operands must have one dtype, got " + x + " and " + y + " (cast one first)");
        }
        return x.dtype();
    }

    private static DType arithmetic(Op op, TensorSpec x, TensorSpec y) {
        DType t = sameDtype(op, x, y);
        if (t == DType.BOOL) {
            throw error(op, "is not defined on two bool tensors " + x + " and " + y + "; use the logical ops");
        }
        return t;
    }

    private static DType floatingPair(Op op, TensorSpec x, TensorSpec y) {
        DType t = sameDtype(op, x, y);
        if (!t.isFloating()) {
            throw error(op, "needs floating inputs, got " + x + " and " + y + " (cast first)");
        }
        return t;
    }

    private static Shape broadcast(Op op, TensorSpec... in) {
        try {
            Shape s = in[0].shape();
            for (int i = 1; i < in.length; i++) {
                s = Shape.broadcast(s, in[i].shape());
            }
            return s;
        } catch (IllegalArgumentException e) {
            throw error(op, e.getMessage());
        }
    }

    private static TensorSpec where(TensorSpec[] in) {
        bool(Op.WHERE, in[0]);
        DType t = sameDtype(Op.WHERE, in[1], in[2]);
        return new TensorSpec(t, broadcast(Op.WHERE, in));
    }

    /** Normalizes one axis of {@code t}, naming the op and the input when it is out of range. */
    private static int axis(Op op, TensorSpec t, int axis) {
        try {
            return t.shape().axis(axis);
        } catch (IllegalArgumentException e) {
            throw error(op, e.getMessage() + " (input " + t + ")");
        }
    }

    /** Normalizes and de-duplicates axes, naming the op and shape when one is out of range. */
    static int[] axes(Op op, Shape s, int[] axes) {
        int[] out = new int[axes.length];
        boolean[] seen = new boolean[s.rank()];
        for (int i = 0; i < axes.length; i++) {
            int ax = axes[i] < 0 ? axes[i] + s.rank() : axes[i];
            if (ax < 0 || ax >= s.rank()) {
                throw error(op, "axis " + axes[i] + " is out of range for shape " + s);
            }
            if (seen[ax]) {
                throw error(op, "axis " + axes[i] + " appears twice in " + Arrays.toString(axes));
            }
            seen[ax] = true;
            out[i] = ax;
        }
        return out;
    }

    /** The reduced axes as a mask; empty {@code axes} means all. */
    public static boolean[] reducedMask(Op op, Shape s, int[] axes) {
        boolean[] mask = new boolean[s.rank()];
        if (axes.length == 0) {
            Arrays.fill(mask, true);
        }
        for (int ax : axes(op, s, axes)) {
            mask[ax] = true;
        }
        return mask;
    }

    private static Shape reduce(Op op, Attrs a, TensorSpec in) {
        Shape s = in.shape();
        boolean[] mask = reducedMask(op, s, a.ints("axes"));
        boolean keep = a.b("keepDim");
        long[] out = new long[s.rank()];
        int n = 0;
        for (int i = 0; i < s.rank(); i++) {
            if (mask[i] && s.dim(i) == 0 && (op == Op.MAX || op == Op.MIN)) {
                throw error(op, "cannot reduce the empty axis " + i + " of " + in + " (no identity for max/min)");
            }
            if (!mask[i]) {
                out[n++] = s.dim(i);
            } else if (keep) {
                out[n++] = 1;
            }
        }
        return Shape.of(Arrays.copyOf(out, n));
    }

    private static Shape argReduce(Op op, Attrs a, TensorSpec in) {
        int axis = axis(op, in, a.i("axis"));
        if (in.shape().dim(axis) == 0) {
            throw error(op, "cannot take " + op.opName() + " over the empty axis " + axis + " of " + in);
        }
        return reduce(op, Attrs.of("axes", new int[] {axis}, "keepDim", a.b("keepDim")), in);
    }

    /** The target may hold one {@code -1}, inferred from the element count (graphs with a dynamic batch use it). */
    private static TensorSpec reshape(Attrs a, TensorSpec in) {
        long[] dims = a.longs("shape");
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1 && inferred < 0) {
                inferred = i;
            } else if (dims[i] < 0) {
                throw error(Op.RESHAPE, "bad target " + Arrays.toString(dims) + " (at most one -1, no other negative size)");
            } else {
                known *= dims[i];
            }
        }
        if (inferred >= 0) {
            if (known == 0 || in.shape().numel() % known != 0) {
                throw error(Op.RESHAPE, "cannot reshape " + in + " (" + in.shape().numel() + " elements) to "
                        + Arrays.toString(dims));
            }
            dims[inferred] = in.shape().numel() / known;
        }
        Shape target = Shape.of(dims);
        if (target.numel() != in.shape().numel()) {
            throw error(Op.RESHAPE, "cannot reshape " + in + " (" + in.shape().numel() + " elements) to "
                    + target + " (" + target.numel() + " elements)");
        }
        return new TensorSpec(in.dtype(), target);
    }

    private static TensorSpec permute(Attrs a, TensorSpec in) {
        int[] perm = a.ints("perm");
        if (perm.length != in.shape().rank()) {
            throw error(Op.PERMUTE, "permutation " + Arrays.toString(perm) + " does not match rank of " + in);
        }
        int[] ax = axes(Op.PERMUTE, in.shape(), perm);
        long[] out = new long[ax.length];
        for (int i = 0; i < ax.length; i++) {
            out[i] = in.shape().dim(ax[i]);
        }
        return new TensorSpec(in.dtype(), Shape.of(out));
    }

    private static TensorSpec expand(Attrs a, TensorSpec in) {
        Shape target = Shape.of(a.longs("shape"));
        Shape b;
        try {
            b = Shape.broadcast(in.shape(), target);
        } catch (IllegalArgumentException e) {
            throw error(Op.EXPAND, "cannot expand " + in + " to " + target + ": " + e.getMessage());
        }
        if (!b.equals(target)) {
            throw error(Op.EXPAND, "cannot expand " + in + " to " + target + " (the target must be the broadcast shape)");
        }
        return new TensorSpec(in.dtype(), target);
    }

    private static TensorSpec slice(Attrs a, TensorSpec in) {
        long[] starts = a.longs("starts");
        long[] stops = a.longs("stops");
        long[] steps = a.longs("steps");
        Shape s = in.shape();
        if (starts.length != s.rank() || stops.length != s.rank() || steps.length != s.rank()) {
            throw error(Op.SLICE, "needs starts/stops/steps for each of the " + s.rank() + " axes of " + in);
        }
        long[] out = new long[s.rank()];
        for (int i = 0; i < s.rank(); i++) {
            if (steps[i] <= 0 || starts[i] < 0 || stops[i] > s.dim(i) || starts[i] > stops[i]) {
                throw error(Op.SLICE, "bad range [" + starts[i] + ":" + stops[i] + ":" + steps[i] + "] on axis "
                        + i + " of " + in);
            }
            out[i] = (stops[i] - starts[i] + steps[i] - 1) / steps[i];
        }
        return new TensorSpec(in.dtype(), Shape.of(out));
    }

    private static TensorSpec pad(Attrs a, TensorSpec in) {
        long[] before = a.longs("before");
        long[] after = a.longs("after");
        Shape s = in.shape();
        if (before.length != s.rank() || after.length != s.rank()) {
            throw error(Op.PAD, "needs before/after padding for each of the " + s.rank() + " axes of " + in);
        }
        long[] out = new long[s.rank()];
        for (int i = 0; i < s.rank(); i++) {
            if (before[i] < 0 || after[i] < 0) {
                throw error(Op.PAD, "negative padding on axis " + i + " of " + in);
            }
            out[i] = s.dim(i) + before[i] + after[i];
        }
        return new TensorSpec(in.dtype(), Shape.of(out));
    }

    private static TensorSpec concat(Attrs a, TensorSpec[] in) {
        Shape first = in[0].shape();
        if (first.rank() == 0) {
            throw error(Op.CONCAT, "cannot concatenate scalars; unsqueeze them first");
        }
        int axis = axis(Op.CONCAT, in[0], a.i("axis"));
        long total = 0;
        DType t = in[0].dtype();
        for (TensorSpec x : in) {
            if (x.shape().rank() != first.rank()) {
                throw error(Op.CONCAT, "inputs have different ranks: " + in[0] + " and " + x);
            }
            for (int i = 0; i < first.rank(); i++) {
                if (i != axis && x.shape().dim(i) != first.dim(i)) {
                    throw error(Op.CONCAT, "inputs " + in[0] + " and " + x + " differ on axis " + i
                            + " (only axis " + axis + " may differ)");
                }
            }
            total += x.shape().dim(axis);
            t = DType.promote(t, x.dtype());
        }
        for (TensorSpec x : in) {
            if (x.dtype() != t) {
                throw error(Op.CONCAT, "inputs have different dtypes (" + in[0] + ", " + x + "); cast first");
            }
        }
        return new TensorSpec(t, first.with(axis, total));
    }

    private static void indexType(Op op, TensorSpec index) {
        if (!index.dtype().isIntegral()) {
            throw error(op, "index must be i32 or i64, got " + index);
        }
    }

    private static TensorSpec gather(Attrs a, TensorSpec[] in) {
        TensorSpec x = in[0];
        TensorSpec index = in[1];
        indexType(Op.GATHER, index);
        int axis = axis(Op.GATHER, x, a.i("axis"));
        if (index.shape().rank() != x.shape().rank()) {
            throw error(Op.GATHER, "index " + index + " must have the rank of the input " + x);
        }
        for (int i = 0; i < x.shape().rank(); i++) {
            if (i != axis && index.shape().dim(i) > x.shape().dim(i)) {
                throw error(Op.GATHER, "index " + index + " is larger than input " + x + " on axis " + i);
            }
        }
        return new TensorSpec(x.dtype(), index.shape());
    }

    private static TensorSpec scatterAdd(Attrs a, TensorSpec[] in) {
        TensorSpec self = in[0];
        TensorSpec index = in[1];
        TensorSpec src = in[2];
        indexType(Op.SCATTER_ADD, index);
        int axis = axis(Op.SCATTER_ADD, self, a.i("axis"));
        if (!index.shape().equals(src.shape()) || index.shape().rank() != self.shape().rank()) {
            throw error(Op.SCATTER_ADD, "index " + index + " and src " + src
                    + " must have the same shape and the rank of " + self);
        }
        for (int i = 0; i < self.shape().rank(); i++) {
            if (i != axis && index.shape().dim(i) > self.shape().dim(i)) {
                throw error(Op.SCATTER_ADD, "index " + index + " is larger than self " + self + " on axis " + i);
            }
        }
        if (src.dtype() != self.dtype()) {
            throw error(Op.SCATTER_ADD, "src " + src + " must have the dtype of self " + self);
        }
        return self;
    }

    private static TensorSpec matmul(Attrs a, TensorSpec[] in) {
        Shape x = in[0].shape();
        Shape y = in[1].shape();
        if (x.rank() < 2 || y.rank() < 2) {
            throw error(Op.MATMUL, "needs inputs of rank ≥ 2, got " + in[0] + " and " + in[1]);
        }
        DType t = floatingPair(Op.MATMUL, in[0], in[1]);
        boolean ta = a.b("transA");
        boolean tb = a.b("transB");
        long m = x.dim(ta ? -1 : -2);
        long k = x.dim(ta ? -2 : -1);
        long k2 = y.dim(tb ? -1 : -2);
        long n = y.dim(tb ? -2 : -1);
        if (k != k2) {
            throw error(Op.MATMUL, "inner dimensions differ: " + in[0] + (ta ? "ᵀ" : "") + " @ " + in[1] + (tb ? "ᵀ" : "")
                    + " (" + k + " vs " + k2 + ")");
        }
        Shape bx = Shape.of(Arrays.copyOf(x.dims(), x.rank() - 2));
        Shape by = Shape.of(Arrays.copyOf(y.dims(), y.rank() - 2));
        Shape batch;
        try {
            batch = Shape.broadcast(bx, by);
        } catch (IllegalArgumentException e) {
            throw error(Op.MATMUL, "batch dimensions of " + in[0] + " and " + in[1] + " do not broadcast");
        }
        long[] out = Arrays.copyOf(batch.dims(), batch.rank() + 2);
        out[batch.rank()] = m;
        out[batch.rank() + 1] = n;
        return new TensorSpec(t, Shape.of(out));
    }

    private static void complex(Op op, TensorSpec x) {
        floating(op, x);
        if (x.shape().rank() < 2 || x.shape().dim(-1) != 2) {
            throw error(op, "needs a complex tensor (a trailing dimension of size 2 holding re, im), got " + x);
        }
    }

    /** The signal axis of an FFT over a complex tensor; the trailing (re, im) axis is not a signal axis. */
    public static int complexAxis(Op op, Shape s, int axis) {
        int a = axis < 0 ? axis + s.rank() - 1 : axis;
        if (a < 0 || a >= s.rank() - 1) {
            throw error(op, "axis " + axis + " is out of range for complex shape " + s
                    + " (the last dimension holds re, im)");
        }
        return a;
    }

    private static TensorSpec fft(Op op, Attrs a, TensorSpec x) {
        complex(op, x);
        complexAxis(op, x.shape(), a.i("axis"));
        return x;
    }

    private static TensorSpec rfft(Attrs a, TensorSpec x) {
        floating(Op.RFFT, x);
        int axis = axis(Op.RFFT, x, a.i("axis"));
        long[] out = Arrays.copyOf(x.shape().dims(), x.shape().rank() + 1);
        out[axis] = x.shape().dim(axis) / 2 + 1;
        out[out.length - 1] = 2;
        return new TensorSpec(x.dtype(), Shape.of(out));
    }

    private static TensorSpec irfft(Attrs a, TensorSpec x) {
        complex(Op.IRFFT, x);
        int axis = complexAxis(Op.IRFFT, x.shape(), a.i("axis"));
        long n = a.l("n");
        if (n < 1 || n / 2 + 1 != x.shape().dim(axis)) {
            throw error(Op.IRFFT, "output length " + n + " needs " + (n / 2 + 1) + " complex inputs on axis "
                    + axis + ", got " + x);
        }
        long[] out = Arrays.copyOf(x.shape().dims(), x.shape().rank() - 1);
        out[axis] = n;
        return new TensorSpec(x.dtype(), Shape.of(out));
    }
}
