package dev.janus.trace;

import dev.janus.graph.SourceLocation;

/**
 * The tracer met code it cannot turn into a graph. The message names the construct, where it is (class,
 * method, source line, and the calls that led there) and what to change.
 *
 * <pre>{@code
 * dev.janus.trace.TraceException: synchronized block at Net.java:42 (in com.acme.Net.forward): a graph has no
 * locks; ... remove the synchronized block from the traced code
 *   called from Model.java:17 (in com.acme.Model.forward)
 * }</pre>
 */
public class TraceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient SourceLocation location;
    private final String construct;

    /**
     * @param construct what was met ({@code "synchronized block"}, {@code "call to PrintStream.println"})
     * @param location  where (null when not at a particular line)
     * @param fix       what to do about it
     * @param chain     the call chain above the location, one line each (may be empty)
     */
    TraceException(String construct, SourceLocation location, String fix, String chain, Throwable cause) {
        super(message(construct, location, fix, chain), cause);
        this.construct = construct;
        this.location = location;
    }

    TraceException(String message) {
        super(message);
        this.construct = message;
        this.location = null;
    }

    private static String message(String construct, SourceLocation where, String fix, String chain) {
        String at = where == null ? "" : " at " + where + " (in " + where.className() + "." + where.method() + ")";
        return construct + at + (fix == null || fix.isEmpty() ? "" : ": " + fix) + chain;
    }

    /** What was met, e.g. {@code "synchronized block"}. */
    public String construct() {
        return construct;
    }

    /** Where it was met, or null when the problem is not at a particular line. */
    public SourceLocation location() {
        return location;
    }

    /** The source line, or -1. */
    public int line() {
        return location == null ? -1 : location.line();
    }
}
