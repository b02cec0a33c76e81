package dev.janus.trace;

import java.util.BitSet;
import org.objectweb.asm.tree.analysis.Frame;

/** How interpreting a stretch of a method ended: at a given instruction, or by returning. */
sealed interface Outcome {
    /** Interpretation reached instruction {@code pc} (a stop point) with {@code frame}. */
    record Reached(int pc, Frame<TraceValue> frame) implements Outcome {}

    /** The method returned {@code value} (null for void). */
    record Returned(TraceValue value) implements Outcome {}

    /**
     * Where interpretation of a stretch stops and which blocks it may visit.
     *
     * @param stop   the instruction index to stop at (-1: run until the method returns)
     * @param blocks the blocks it may enter (the body of a data-dependent loop), or null for any
     * @param what   the region for messages, e.g. {@code "the data-dependent loop at Net.java:12"}
     */
    record Region(int stop, BitSet blocks, String what) {
        static final Region WHOLE_METHOD = new Region(-1, null, null);
    }
}
