package dev.janus.graph;

/**
 * Where in the user's Java code a node was recorded: class, method, file and line. Shown in the IR text form
 * and in every runtime error of the executor.
 */
public record SourceLocation(String className, String method, String file, int line) {
    public static final SourceLocation UNKNOWN = new SourceLocation("?", "?", null, -1);

    private static final String[] LIBRARY = {"dev.janus.graph.", "dev.janus.ops.", "dev.janus.spi.", "dev.janus.eager.",
        "dev.janus.nn.", "dev.janus.optim.", "dev.janus.train.", "dev.janus.data.", "dev.janus.backend.", "java.", "jdk.",
        "sun."};

    /** Set while a bytecode tracer interprets user code: the line it is at, which stack frames cannot show. */
    private static final ThreadLocal<SourceLocation> OVERRIDE = new ThreadLocal<>();

    /**
     * The first stack frame outside Janus's library packages: the user's line that made the call. Classes
     * directly in {@code dev.janus} ({@code Tensor}) are library too; test classes ({@code *Test}) are user code.
     */
    public static SourceLocation ofCaller() {
        return ofCallerOutside();
    }

    /**
     * {@link #ofCaller()} for a debugging tool that asks from inside an op (a {@code Dispatch.Observer}): frames
     * of classes whose names start with one of {@code toolPrefixes} are skipped too.
     *
     * <pre>{@code SourceLocation where = SourceLocation.ofCallerOutside(MyProfiler.class.getName());}</pre>
     */
    public static SourceLocation ofCallerOutside(String... toolPrefixes) {
        SourceLocation where = OVERRIDE.get();
        if (where != null) {
            return where;
        }
        for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
            if (!isLibrary(e.getClassName()) && !startsWithAny(e.getClassName(), toolPrefixes)) {
                return new SourceLocation(e.getClassName(), e.getMethodName(), e.getFileName(), e.getLineNumber());
            }
        }
        return UNKNOWN;
    }

    private static boolean startsWithAny(String s, String[] prefixes) {
        for (String p : prefixes) {
            if (s.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Makes {@link #ofCaller()} return {@code where} on this thread until the returned scope closes (then the
     * previous override, if any, is back). For tools that run user code other than by calling it, such as
     * the bytecode tracer, which knows the line it interprets while the stack shows only its own frames.
     *
     * <pre>{@code
     * try (var at = SourceLocation.withOverride(new SourceLocation("Net", "forward", "Net.java", 42))) {
     *     y = x.relu();   // recorded at Net.java:42
     * }
     * }</pre>
     */
    public static dev.janus.Janus.Scope withOverride(SourceLocation where) {
        SourceLocation previous = OVERRIDE.get();
        OVERRIDE.set(where);
        return () -> {
            if (previous == null) {
                OVERRIDE.remove();
            } else {
                OVERRIDE.set(previous);
            }
        };
    }

    private static boolean isLibrary(String c) {
        String outer = c.contains("$") ? c.substring(0, c.indexOf('$')) : c;
        if (outer.endsWith("Test")) {
            return false;
        }
        if (c.startsWith("dev.janus.") && c.indexOf('.', "dev.janus.".length()) < 0) {
            return true;
        }
        for (String p : LIBRARY) {
            if (c.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** {@code Net.java:42}. */
    @Override
    public String toString() {
        if (line < 0) {
            return "unknown location";
        }
        return (file != null ? file : className.substring(className.lastIndexOf('.') + 1)) + ":" + line;
    }
}
