package dev.janus.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Collects a {@link CustomOp}'s definition; {@link #register()} checks it and adds it to {@link CustomOps}.
 * Required: a shape rule, at least one kernel ({@link #cpu} and/or {@link #cuda}), and a choice between
 * {@link #vjp} and {@link #notDifferentiable()}.
 */
public final class CustomOpBuilder {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,127}");

    final String name;
    int arity = 1;
    final Map<String, AttrType> attributes = new LinkedHashMap<>();
    final Map<String, Object> defaults = new LinkedHashMap<>();
    CustomOp.ShapeRule shape;
    CustomOp.CpuKernel cpu;
    String cudaSource;
    CustomOp.Vjp vjp;
    private boolean gradientDecided;

    CustomOpBuilder(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("custom op name '" + name + "' must start with a letter and hold only "
                    + "letters, digits, '.', '_' or '-' (at most 128 characters), e.g. 'my.swish'");
        }
        this.name = name;
    }

    /** The number of tensor inputs (default 1). */
    public CustomOpBuilder inputs(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("custom op '" + name + "' needs at least one input, got " + n);
        }
        this.arity = n;
        return this;
    }

    /** A required attribute. */
    public CustomOpBuilder attr(String attr, AttrType type) {
        return attr(attr, type, null);
    }

    /** An attribute that takes {@code defaultValue} when an application leaves it out. */
    public CustomOpBuilder attr(String attr, AttrType type, Object defaultValue) {
        Objects.requireNonNull(type, "type");
        if (attr == null || attr.isEmpty() || attr.equals(CustomOp.NAME_ATTR) || attributes.containsKey(attr)) {
            throw new IllegalArgumentException("custom op '" + name + "': attribute name '" + attr + "' is empty, "
                    + "declared twice, or the reserved '" + CustomOp.NAME_ATTR + "'");
        }
        if (defaultValue != null && type.coerce(defaultValue) == null) {
            throw new IllegalArgumentException("custom op '" + name + "': the default of attribute '" + attr
                    + "' must be " + type + ", got " + defaultValue.getClass().getSimpleName());
        }
        attributes.put(attr, type);
        if (defaultValue != null) {
            defaults.put(attr, type.coerce(defaultValue));
        }
        return this;
    }

    /** The output type for given input types and attributes; throw {@link IllegalArgumentException} to reject them. */
    public CustomOpBuilder shape(CustomOp.ShapeRule rule) {
        this.shape = Objects.requireNonNull(rule, "shape rule");
        return this;
    }

    /** The CPU kernel, in Java (or calling native code). It may run on several threads at once. */
    public CustomOpBuilder cpu(CustomOp.CpuKernel kernel) {
        this.cpu = Objects.requireNonNull(kernel, "cpu kernel");
        return this;
    }

    /** CUDA C source of the kernel, kept for a CUDA backend to compile with NVRTC. */
    public CustomOpBuilder cuda(String source) {
        this.cudaSource = Objects.requireNonNull(source, "cuda source");
        return this;
    }

    /** The gradient rule, written with {@code Tensor} ops (so it works eagerly, in graphs and for second order). */
    public CustomOpBuilder vjp(CustomOp.Vjp rule) {
        this.vjp = Objects.requireNonNull(rule, "vjp");
        this.gradientDecided = true;
        return this;
    }

    /** Declares that the op has no gradient: a backward pass through it fails naming the op. */
    public CustomOpBuilder notDifferentiable() {
        this.vjp = null;
        this.gradientDecided = true;
        return this;
    }

    /** Checks the definition and registers it; a name registered already in this JVM is refused. */
    public CustomOp register() {
        if (shape == null) {
            throw new IllegalStateException("custom op '" + name + "' needs a shape rule: .shape((in, a) -> ...)");
        }
        if (cpu == null && cudaSource == null) {
            throw new IllegalStateException("custom op '" + name + "' needs a kernel: .cpu(...) and/or .cuda(...)");
        }
        if (!gradientDecided) {
            throw new IllegalStateException("custom op '" + name + "' must say how it differentiates: .vjp(...) or "
                    + ".notDifferentiable()");
        }
        return CustomOps.register(new CustomOp(this));
    }
}
