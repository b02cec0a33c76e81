package dev.janus.io;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.graph.SymbolicTensor;
import dev.janus.ops.Attrs;
import dev.janus.ops.Dispatch;
import dev.janus.ops.Op;

/**
 * Janus primitives applied exactly (no dtype promotion) for the ONNX importer: on symbolic tensors they record
 * nodes, on concrete ones (constant folding) they compute. The importer's compositions are written with these.
 */
final class OnnxPrims {
    private OnnxPrims() {}

    static Tensor ap(Op op, Attrs a, Tensor... in) {
        return Dispatch.apply(op, a, in);
    }

    static Tensor un(Op op, Tensor x) {
        return ap(op, Attrs.NONE, x);
    }

    /** A binary primitive; the second operand is cast to the first's dtype when they differ. */
    static Tensor bin(Op op, Tensor a, Tensor b) {
        return ap(op, Attrs.NONE, a, cast(b, a.dtype()));
    }

    static Tensor add(Tensor a, Tensor b) {
        return bin(Op.ADD, a, b);
    }

    static Tensor sub(Tensor a, Tensor b) {
        return bin(Op.SUB, a, b);
    }

    static Tensor mul(Tensor a, Tensor b) {
        return bin(Op.MUL, a, b);
    }

    static Tensor div(Tensor a, Tensor b) {
        return bin(Op.DIV, a, b);
    }

    static Tensor where(Tensor c, Tensor a, Tensor b) {
        return ap(Op.WHERE, Attrs.NONE, c, a, cast(b, a.dtype()));
    }

    /** A concrete scalar of {@code like}'s dtype. */
    static Tensor scalar(double v, Tensor like) {
        return scalar(v, like.dtype());
    }

    static Tensor scalar(double v, DType t) {
        return Tensor.scalar(v, t);
    }

    static Tensor cast(Tensor x, DType t) {
        return x.dtype() == t ? x : ap(Op.CAST, Attrs.of("dtype", t), x);
    }

    static Tensor reshape(Tensor x, long... dims) {
        if (x.shape().equals(Shape.of(dims))) {
            return x;
        }
        return ap(Op.RESHAPE, Attrs.of("shape", dims.clone()), x);
    }

    /**
     * Reshape where {@code from[i]} is the input axis whose size target dim {@code i} repeats (or -1): when that
     * axis is dynamic, the target gets -1 there so the graph serves every size.
     */
    static Tensor reshapeFollowing(Tensor x, long[] target, int[] from) {
        long[] t = target.clone();
        int dynamicAt = -1;
        boolean hasMinusOne = false;
        for (int i = 0; i < t.length; i++) {
            hasMinusOne |= t[i] == -1;
            if (from[i] >= 0 && isDynamic(x, from[i])) {
                dynamicAt = dynamicAt == -1 ? i : -2;
            }
        }
        if (dynamicAt >= 0 && !hasMinusOne) {
            t[dynamicAt] = -1;
        }
        boolean same = !hasMinusOne && dynamicAt < 0 && x.shape().equals(Shape.of(target));
        return same ? x : ap(Op.RESHAPE, Attrs.of("shape", t), x);
    }

    static boolean isDynamic(Tensor x, int axis) {
        return x instanceof SymbolicTensor s && s.value().isDynamic(axis);
    }

    static Tensor reduce(Op op, Tensor x, int[] axes, boolean keep) {
        return ap(op, Attrs.of("axes", axes.clone(), "keepDim", keep), x);
    }

    static Tensor permute(Tensor x, int... perm) {
        return ap(Op.PERMUTE, Attrs.of("perm", perm.clone()), x);
    }

    static Tensor expand(Tensor x, long... shape) {
        return x.shape().equals(Shape.of(shape)) ? x : ap(Op.EXPAND, Attrs.of("shape", shape.clone()), x);
    }

    static Tensor flip(Tensor x, int... axes) {
        return ap(Op.FLIP, Attrs.of("axes", axes.clone()), x);
    }

    /** Slice of one axis [start, stop) with a positive step. */
    static Tensor slice(Tensor x, int axis, long start, long stop, long step) {
        int r = x.shape().rank();
        long[] starts = new long[r];
        long[] stops = x.shape().dims();
        long[] steps = new long[r];
        java.util.Arrays.fill(steps, 1);
        starts[axis] = start;
        stops[axis] = stop;
        steps[axis] = step;
        return ap(Op.SLICE, Attrs.of("starts", starts, "stops", stops, "steps", steps), x);
    }

    static Tensor concat(int axis, Tensor... xs) {
        return ap(Op.CONCAT, Attrs.of("axis", axis), xs);
    }

    /** {@code x} with a new axis of size 1 at {@code axis}. */
    static Tensor unsqueeze(Tensor x, int axis) {
        long[] d = x.shape().dims();
        long[] t = new long[d.length + 1];
        int[] from = new int[t.length];
        for (int i = 0, j = 0; i < t.length; i++) {
            if (i == axis) {
                t[i] = 1;
                from[i] = -1;
            } else {
                t[i] = d[j];
                from[i] = j++;
            }
        }
        return reshapeFollowing(x, t, from);
    }

    /** {@code x} without its size-1 axis {@code axis}. */
    static Tensor squeeze(Tensor x, int axis) {
        long[] d = x.shape().dims();
        long[] t = new long[d.length - 1];
        int[] from = new int[t.length];
        for (int i = 0, j = 0; i < d.length; i++) {
            if (i != axis) {
                t[j] = d[i];
                from[j++] = i;
            }
        }
        return reshapeFollowing(x, t, from);
    }

    /** The number of elements over the given axes of {@code x}. */
    static long count(Tensor x, int[] axes) {
        long n = 1;
        for (int a : axes) {
            n *= x.shape().dim(a);
        }
        return n;
    }

    /** Normalizes possibly negative axes against rank {@code r}. */
    static int[] axes(long[] axes, int r) {
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            long a = axes[i] < 0 ? axes[i] + r : axes[i];
            if (a < 0 || a >= r) {
                throw new IllegalArgumentException("axis " + axes[i] + " is out of range for rank " + r);
            }
            out[i] = (int) a;
        }
        return out;
    }

    static int axis(long axis, int r) {
        return axes(new long[] {axis}, r)[0];
    }

    static int[] range(int from, int to) {
        int[] out = new int[Math.max(0, to - from)];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }
}
