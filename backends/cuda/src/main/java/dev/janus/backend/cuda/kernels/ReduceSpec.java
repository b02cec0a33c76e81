package dev.janus.backend.cuda.kernels;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.ShapeRules;
import dev.janus.ops.TensorSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * One reduction to generate: {@code op} (sum, prod, max, min, argmax, argmin) of an input of {@code inType} and
 * {@code inShape} over the axes in {@code reduced}, giving {@code outType}. Axes of size 1 play no part, so
 * {@code keptAxes}/{@code reducedAxes} list only the others; the output's elements are the kept coordinates in
 * row-major order, with or without kept 1s.
 */
public record ReduceSpec(Op op, DType inType, DType outType, Shape inShape, List<Integer> keptAxes, List<Integer> reducedAxes) {
    public ReduceSpec {
        keptAxes = List.copyOf(keptAxes);
        reducedAxes = List.copyOf(reducedAxes);
    }

    /**
     * The spec of a reduction op whose output passed the shape rules.
     *
     * @throws UnsupportedKernelException for ops that are not reductions
     */
    public static ReduceSpec of(Op op, Attrs attrs, TensorSpec in, TensorSpec out) {
        boolean[] mask = switch (op) {
            case SUM, PROD, MAX, MIN -> ShapeRules.reducedMask(op, in.shape(), attrs.ints("axes"));
            case ARGMAX, ARGMIN -> {
                boolean[] m = new boolean[in.shape().rank()];
                m[in.shape().axis(attrs.i("axis"))] = true;
                yield m;
            }
            default -> throw new UnsupportedKernelException("op '" + op.opName() + "' is not a reduction");
        };
        List<Integer> kept = new ArrayList<>();
        List<Integer> reduced = new ArrayList<>();
        for (int axis = 0; axis < mask.length; axis++) {
            if (in.shape().dim(axis) != 1) {
                (mask[axis] ? reduced : kept).add(axis);
            }
        }
        return new ReduceSpec(op, in.dtype(), out.dtype(), in.shape(), kept, reduced);
    }

    /** True for argmax/argmin, whose result is an index. */
    public boolean isArg() {
        return op == Op.ARGMAX || op == Op.ARGMIN;
    }

    /** Elements of the output. */
    public long outNumel() {
        long n = 1;
        for (int a : keptAxes) {
            n *= inShape.dim(a);
        }
        return n;
    }

    /** Elements reduced into each output element. */
    public long reducedNumel() {
        long n = 1;
        for (int a : reducedAxes) {
            n *= inShape.dim(a);
        }
        return n;
    }

    /** The long arguments after the pointers: n, r, then dims and strides of the kept axes, then of the reduced ones. */
    public long[] scalarArgs() {
        long[] strides = inShape.strides();
        List<Long> args = new ArrayList<>(List.of(outNumel(), reducedNumel()));
        for (List<Integer> axes : List.of(keptAxes, reducedAxes)) {
            axes.forEach(a -> args.add(inShape.dim(a)));
            axes.forEach(a -> args.add(strides[a]));
        }
        return args.stream().mapToLong(Long::longValue).toArray();
    }
}
