package dev.janus.trace;

import java.lang.reflect.Proxy;
import java.util.Set;

/**
 * Which code the tracer executes and which it interprets. Framework code — Janus's own library packages and
 * the JDK — is executed (reflectively, on symbolic tensors, so its tensor ops are recorded); everything else
 * with a readable class file is user code and is interpreted instruction by instruction.
 */
final class Framework {
    private Framework() {}

    private static final Set<String> JANUS_PACKAGES = Set.of("dev.janus.backend", "dev.janus.data", "dev.janus.eager",
            "dev.janus.graph", "dev.janus.io", "dev.janus.nn", "dev.janus.ops", "dev.janus.optim", "dev.janus.spi",
            "dev.janus.train", "dev.janus.serving");
    private static final String[] JDK_PREFIXES = {"java.", "javax.", "jdk.", "sun.", "com.sun."};
    private static final String[] IO_PACKAGES = {"java.io.", "java.nio.file.", "java.nio.channels.", "java.net."};

    /** True for a class of Janus's library or of the JDK. */
    static boolean isFramework(String className) {
        for (String p : JDK_PREFIXES) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        if (!className.startsWith("dev.janus.")) {
            return false;
        }
        int dot = className.indexOf('.', "dev.janus.".length());
        if (dot < 0) {
            return true; // dev.janus.Tensor, Tensors, Shape, Janus...
        }
        String pkg = className.substring(0, dot);
        return JANUS_PACKAGES.contains(pkg);
    }

    private static final ClassValue<Boolean> USER_CODE = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
            return !c.isArray() && !c.isPrimitive() && !isFramework(c.getName()) && !Proxy.isProxyClass(c)
                    && ClassFiles.readable(c);
        }
    };

    /** True when the tracer interprets {@code c}'s methods rather than executing them. */
    static boolean isUserCode(Class<?> c) {
        return USER_CODE.get(c);
    }

    /** True for a class whose methods do input or output (files, streams, sockets, the console). */
    static boolean isIo(Class<?> c) {
        for (String p : IO_PACKAGES) {
            if (c.getName().startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
