package dev.janus.ops;

import dev.janus.Tensor;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The registry of {@link CustomOp}s in this JVM, by name. Thread-safe; a name can be registered once.
 * {@link ShapeRules} and {@link Gradients} delegate {@link Op#CUSTOM} here, and backends find kernels here.
 */
public final class CustomOps {
    private static final ConcurrentMap<String, CustomOp> OPS = new ConcurrentHashMap<>();

    private CustomOps() {}

    static CustomOp register(CustomOp op) {
        CustomOp before = OPS.putIfAbsent(op.name(), op);
        if (before != null) {
            throw new IllegalStateException("custom op '" + op.name() + "' is already registered in this JVM; "
                    + "register each op once (keep the CustomOp in a static final field)");
        }
        return op;
    }

    /** The op registered as {@code name}, if any. */
    public static Optional<CustomOp> find(String name) {
        return Optional.ofNullable(OPS.get(name));
    }

    /** The names registered now, sorted. */
    public static Set<String> names() {
        return new TreeSet<>(OPS.keySet());
    }

    /**
     * Removes a registration (for tests and plug-in reloading); graphs that use the op fail to run until it is
     * registered again. Returns whether it was registered.
     */
    public static boolean unregister(String name) {
        return OPS.remove(name) != null;
    }

    /** The op a {@link Op#CUSTOM} node's attributes name; fails when it is not registered. */
    public static CustomOp of(Attrs attrs) {
        if (!attrs.has(CustomOp.NAME_ATTR) || !(attrs.asMap().get(CustomOp.NAME_ATTR) instanceof String name)) {
            throw new IllegalArgumentException("op 'custom' needs the string attribute '" + CustomOp.NAME_ATTR
                    + "' naming a registered custom op, got " + attrs);
        }
        CustomOp op = OPS.get(name);
        if (op == null) {
            throw new IllegalStateException("custom op '" + name + "' is not registered in this JVM; register it "
                    + "(CustomOp.define(...).register()) before running or loading code that uses it");
        }
        return op;
    }

    /** {@link ShapeRules}' rule for {@link Op#CUSTOM}. */
    static TensorSpec infer(Attrs attrs, TensorSpec[] inputs) {
        return of(attrs).infer(attrs, inputs);
    }

    /** {@link Gradients}' rule for {@link Op#CUSTOM}. */
    static Tensor[] vjp(Attrs attrs, Tensor[] inputs, Tensor output, Tensor grad) {
        return of(attrs).vjp(attrs, inputs, output, grad);
    }

    /** The error of a backend that has no kernel for a custom op on its device. */
    public static UnsupportedOperationException noKernel(Attrs attrs, String deviceKind) {
        String name = String.valueOf(attrs.asMap().get(CustomOp.NAME_ATTR));
        return new UnsupportedOperationException("custom op '" + name + "' has no kernel for device '" + deviceKind
                + "'" + ("cpu".equals(deviceKind) ? " (register it with .cpu(...))" : "") + "; move its inputs to a "
                + "device it has a kernel for");
    }
}
