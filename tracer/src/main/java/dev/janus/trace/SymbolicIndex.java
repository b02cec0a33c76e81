package dev.janus.trace;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.graph.SymbolicTensor;
import dev.janus.trace.TraceValue.Concrete;
import java.lang.reflect.Method;
import java.util.List;

/**
 * {@code x.select(axis, i)} and {@code x.narrow(axis, start, length)} with a data-dependent position (a loop
 * counter, a dynamic scalar, an {@code item()}): a slice needs its bounds as numbers, so these gather the
 * positions instead ({@code indexSelect}, a {@code gather} node). The axis and the length stay concrete; a
 * negative position counts from the end, as eagerly (except on a dynamic axis, whose size the trace does not
 * know); a position out of range fails when the graph runs, at the gather's line.
 *
 * <pre>{@code
 * for (int t = 0; t < T; t++) h = cell(x.select(0, t), h);   // T dynamic: one loop node, x gathered at t
 * }</pre>
 *
 * <p>The gather's index is shaped like the result, so the result's other dims are fixed by the trace: when
 * {@code x} is an input whose other dims are dynamic, the graph is specialized on their sizes (guards).
 */
final class SymbolicIndex {
    private SymbolicIndex() {}

    /** {@code select} or {@code narrow} on {@code x}, or null for another overload (not {@code (int, long...)}). */
    static TraceValue call(Activation act, Tensor x, Method target, List<TraceValue> params) {
        Class<?>[] types = target.getParameterTypes();
        boolean select = target.getName().equals("select");
        if (types.length != (select ? 2 : 3) || types[0] != int.class || !(params.get(0) instanceof Concrete axis)
                || (!select && !(params.get(2) instanceof Concrete))) {
            throw act.error("a data-dependent axis or length passed to Tensor." + target.getName(), "only the position "
                    + "may be data-dependent; keep the axis and the length concrete");
        }
        int a = x.shape().axis((Integer) axis.value());
        fixOtherDims(act, x, a, "Tensor." + target.getName());
        Tensor start = position(x, a, params.get(1));
        if (select) {
            return Concrete.ref(x.indexSelect(a, start.reshape(1)).squeeze(a));
        }
        long length = ((Number) ((Concrete) params.get(2)).value()).longValue();
        if (length < 0) {
            throw act.thrown(new IllegalArgumentException("narrow: negative length " + length));
        }
        return Concrete.ref(x.indexSelect(a, Tensor.arange(length).add(start)));
    }

    /**
     * The position as an i64 scalar, a negative one counted from the end of the axis. On a dynamic axis the
     * size is known only when the graph runs, so a negative position is left to fail there.
     */
    private static Tensor position(Tensor x, int axis, TraceValue v) {
        Tensor i = Scalars.tensorOf(v, 'J');
        if (x instanceof SymbolicTensor s && s.value().isDynamic(axis)) {
            return i;
        }
        return Tensor.where(i.lt(Tensor.scalar(0, DType.INT64)), i.add(x.dim(axis)), i);
    }

    private static void fixOtherDims(Activation act, Tensor x, int axis, String reader) {
        if (x instanceof SymbolicTensor s && s.value().dynamicDims() != 0) {
            for (int d = 0; d < x.rank(); d++) {
                if (d != axis && s.value().isDynamic(d)) {
                    Shapes.specialize(act, s, d, reader);
                }
            }
        }
    }
}
