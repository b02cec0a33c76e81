package dev.janus.trace;

import dev.janus.graph.SymbolicTensor;
import dev.janus.graph.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads of tensor sizes in user code. A static size is a fact of the graph already; the size of a dynamic
 * dim is known now only for this trace, so reading it specializes the graph on it: for an input, a guard
 * fixes that dim (a call with another size retraces); for a computed tensor, whose dims cannot be guarded
 * before the call, the read is refused.
 */
final class Shapes {
    private static final Logger LOG = LoggerFactory.getLogger(Shapes.class);

    private Shapes() {}

    /**
     * {@code s.dim(axis)} (axis given), or {@code s.shape()} / {@code s.numel()} (axis null: every dim), read by
     * user code, or by the library method {@code reader} (null for user code).
     */
    static void specialize(Activation act, SymbolicTensor s, Integer axis, String reader) {
        Value v = s.value();
        int arg = act.session.argOf(s);
        int only = axis == null ? -1 : s.shape().axis(axis);
        for (int d = 0; d < s.rank(); d++) {
            if (!v.isDynamic(d) || (only >= 0 && d != only)) {
                continue;
            }
            if (arg < 0) {
                String what = reader == null ? "a read of the size of dynamic dim " + d + " of " + v.ref() + ":"
                        + v.typeString() : v.ref() + ":" + v.typeString() + ", whose dim " + d + " is dynamic, passed to "
                        + reader + ", which builds its computation from its input's sizes";
                throw act.error(what, "its size would be baked into the graph; use size-generic ops (reshape with -1, "
                        + "flatten), or do not mark the input dim it comes from dynamic");
            }
            Guard g = new Guard(arg, act.session.argName(arg), Guard.Kind.DIM, d, s.dim(d));
            act.session.addGuard(g);
            LOG.debug("{} reads dynamic dim {} of argument {}: the graph is specialized on {}", act.location(), d, arg, g);
        }
    }
}
