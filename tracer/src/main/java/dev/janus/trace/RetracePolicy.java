package dev.janus.trace;

/** What a traced function does when a call breaks a guard of every graph it has. */
public enum RetracePolicy {
    /** Throw a {@link TraceException} naming the broken guard (for code that must never retrace). */
    FAIL,
    /** Trace again for the new arguments and log a warning with the reason (the default). */
    WARN,
    /** Like WARN, but a changed tensor dim is made dynamic for the new trace, so later sizes reuse its graph. */
    GENERALIZE
}
