package dev.janus.trace;

import dev.janus.graph.SourceLocation;

/**
 * An exception the traced code raised while being traced (by a {@code throw}, or from library code it
 * called), travelling up the interpreted calls to a matching catch block or out of the trace.
 */
final class TraceThrow extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final transient Throwable thrown;
    final transient SourceLocation where;
    final String chain;

    TraceThrow(Throwable thrown, SourceLocation where, String chain) {
        super(null, null, false, false);
        this.thrown = thrown;
        this.where = where;
        this.chain = chain;
    }

    /** The exception reported to the caller of the trace. */
    TraceException toTraceException() {
        return new TraceException("the traced code threw " + thrown, where, "the same call would throw when run "
                + "eagerly; fix the cause (see the exception's cause)", chain, thrown);
    }
}
