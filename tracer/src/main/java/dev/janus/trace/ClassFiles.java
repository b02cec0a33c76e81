package dev.janus.trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/** Reads and caches the bytecode of the classes the tracer interprets (once per class). */
final class ClassFiles {
    private ClassFiles() {}

    /** A parsed class and the per-method facts computed from it. */
    static final class Parsed {
        final ClassNode node;
        private final Map<String, MethodFacts> methods = new ConcurrentHashMap<>();

        Parsed(ClassNode node) {
            this.node = node;
        }

        /** The method {@code name desc} declared by this class, or null. */
        MethodFacts method(String name, String desc) {
            return methods.computeIfAbsent(name + desc, k -> {
                for (MethodNode m : node.methods) {
                    if (m.name.equals(name) && m.desc.equals(desc)) {
                        return new MethodFacts(node, m);
                    }
                }
                return MethodFacts.MISSING;
            });
        }
    }

    private static final ClassValue<Parsed> CACHE = new ClassValue<>() {
        @Override
        protected Parsed computeValue(Class<?> c) {
            return new Parsed(read(c));
        }
    };

    /** The parsed bytecode of {@code c}; throws {@link TraceException} when its class file cannot be read. */
    static Parsed of(Class<?> c) {
        try {
            return CACHE.get(c);
        } catch (UncheckedIOException e) {
            throw new TraceException("cannot read the class file of " + c.getName() + " (" + e.getCause().getMessage()
                    + "); the tracer interprets user code from its class files, found through its class loader");
        }
    }

    /** True when {@code c}'s class file can be found (hidden classes, lambdas and proxies have none). */
    static boolean readable(Class<?> c) {
        ClassLoader loader = c.getClassLoader();
        return loader != null && !c.isHidden() && !c.isArray() && loader.getResource(resourceName(c)) != null;
    }

    private static String resourceName(Class<?> c) {
        return c.getName().replace('.', '/') + ".class";
    }

    private static ClassNode read(Class<?> c) {
        ClassLoader loader = c.getClassLoader() != null ? c.getClassLoader() : ClassLoader.getSystemClassLoader();
        try (InputStream in = loader.getResourceAsStream(resourceName(c))) {
            if (in == null) {
                throw new IOException("no resource " + resourceName(c));
            }
            ClassNode node = new ClassNode();
            new ClassReader(in).accept(node, ClassReader.SKIP_FRAMES);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
