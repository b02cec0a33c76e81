package dev.janus.ops;

import dev.janus.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A user-defined op: one row added to the catalogue at run time. Every application is an {@link Op#CUSTOM}
 * node whose attributes carry the op's name ({@link #NAME_ATTR}) and its own attributes, so eager mode,
 * autograd, tracing, the graph executor, graph autodiff and archives handle it like a primitive; the
 * {@link CustomOps} registry supplies its shape rule, VJP and kernels.
 *
 * <pre>{@code
 * static final CustomOp SWISH = CustomOp.define("my.swish")
 *         .attr("beta", AttrType.FLOAT)
 *         .shape((in, a) -> in[0])
 *         .cpu((in, out, a) -> { for (int i = 0; i < out.numel(); i++) out.set(i, ...); })
 *         .vjp((ctx, g) -> new Tensor[] {...})
 *         .register();
 * Tensor y = SWISH.apply(x, Attrs.of("beta", 1.5));
 * }</pre>
 */
public final class CustomOp {
    /** The attribute of a {@link Op#CUSTOM} node that names its registered op (so user attributes may not use it). */
    public static final String NAME_ATTR = "op";

    /** Infers the output type from the input types and the (checked) attributes; throws to reject them. */
    @FunctionalInterface
    public interface ShapeRule {
        TensorSpec infer(TensorSpec[] inputs, Attrs attrs);
    }

    /** Computes the output on the CPU: reads {@code inputs}, writes every element of {@code output}. */
    @FunctionalInterface
    public interface CpuKernel {
        void run(HostTensor[] inputs, HostTensor output, Attrs attrs);
    }

    /** The vector–Jacobian product: one gradient per input (null for none), written with {@link Tensor} ops. */
    @FunctionalInterface
    public interface Vjp {
        Tensor[] apply(VjpContext ctx, Tensor grad);
    }

    /** What a {@link Vjp} sees of the forward application: its inputs, output and attributes. */
    public record VjpContext(List<Tensor> inputs, Tensor output, Attrs attrs) {
        public Tensor input(int i) {
            return inputs.get(i);
        }
    }

    private final String name;
    private final int arity;
    private final Map<String, AttrType> attributes;
    private final Map<String, Object> defaults;
    private final ShapeRule shape;
    private final CpuKernel cpu;
    private final String cudaSource;
    private final Vjp vjp;

    CustomOp(CustomOpBuilder b) {
        this.name = b.name;
        this.arity = b.arity;
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.attributes));
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(b.defaults));
        this.shape = b.shape;
        this.cpu = b.cpu;
        this.cudaSource = b.cudaSource;
        this.vjp = b.vjp;
    }

    /** Starts the definition of an op named {@code name} (letters, digits, {@code . _ -}; e.g. {@code my.swish}). */
    public static CustomOpBuilder define(String name) {
        return new CustomOpBuilder(name);
    }

    public String name() {
        return name;
    }

    /** How many tensor inputs it takes. */
    public int arity() {
        return arity;
    }

    /** Its attributes and their types, in declaration order. */
    public Map<String, AttrType> attributes() {
        return attributes;
    }

    /** The CUDA C source of its kernel, for a CUDA backend to compile (NVRTC), if one was given. */
    public Optional<String> cudaSource() {
        return Optional.ofNullable(cudaSource);
    }

    /** The CPU kernel, if one was given. */
    public Optional<CpuKernel> cpuKernel() {
        return Optional.ofNullable(cpu);
    }

    /** False when it was registered with {@code notDifferentiable()}. */
    public boolean differentiable() {
        return vjp != null;
    }

    /** Applies the op to one input: {@code SWISH.apply(x, Attrs.of("beta", 1.5))}. */
    public Tensor apply(Tensor x, Attrs attrs) {
        return apply(new Tensor[] {x}, attrs);
    }

    /** Applies the op to one input, with every attribute at its default. */
    public Tensor apply(Tensor x) {
        return apply(new Tensor[] {x}, Attrs.NONE);
    }

    /** Applies the op to two inputs. */
    public Tensor apply(Tensor x, Tensor y, Attrs attrs) {
        return apply(new Tensor[] {x, y}, attrs);
    }

    /** Applies the op: runs it now on eager tensors, or records a {@code custom} node while tracing. */
    public Tensor apply(Tensor[] inputs, Attrs attrs) {
        if (inputs.length != arity) {
            throw error("takes " + arity + " input(s), got " + inputs.length);
        }
        return Dispatch.apply(Op.CUSTOM, nodeAttrs(attrs), inputs);
    }

    /**
     * The attributes of a node applying this op: its name first, then each declared attribute (defaults
     * filled in, numbers widened to the declared type). Unknown, missing or mistyped attributes are refused.
     */
    public Attrs nodeAttrs(Attrs user) {
        for (String k : user.asMap().keySet()) {
            if (!attributes.containsKey(k) && !(k.equals(NAME_ATTR) && name.equals(user.asMap().get(k)))) {
                throw error("has no attribute '" + k + "' (it takes " + (attributes.isEmpty() ? "none" : attributes) + ")");
            }
        }
        List<Object> pairs = new ArrayList<>(List.of(NAME_ATTR, name));
        for (Map.Entry<String, AttrType> e : attributes.entrySet()) {
            Object v = user.has(e.getKey()) ? user.asMap().get(e.getKey()) : defaults.get(e.getKey());
            if (v == null) {
                throw error("attribute '" + e.getKey() + "' (" + e.getValue() + ") is missing");
            }
            Object coerced = e.getValue().coerce(v);
            if (coerced == null) {
                throw error("attribute '" + e.getKey() + "' must be " + e.getValue() + ", got "
                        + v.getClass().getSimpleName() + " " + show(v));
            }
            pairs.add(e.getKey());
            pairs.add(coerced);
        }
        return Attrs.of(pairs.toArray());
    }

    TensorSpec infer(Attrs attrs, TensorSpec[] inputs) {
        if (inputs.length != arity) {
            throw error("takes " + arity + " input(s), got " + inputs.length);
        }
        TensorSpec out;
        try {
            out = shape.infer(inputs.clone(), nodeAttrs(attrs));
        } catch (RuntimeException e) {
            throw error("rejects inputs " + java.util.Arrays.toString(inputs) + ": " + e.getMessage(), e);
        }
        if (out == null) {
            throw error("its shape rule returned null for " + java.util.Arrays.toString(inputs));
        }
        return out;
    }

    Tensor[] vjp(Attrs attrs, Tensor[] inputs, Tensor output, Tensor grad) {
        if (vjp == null) {
            throw new UnsupportedOperationException("custom op '" + name + "' is not differentiable (registered with "
                    + "notDifferentiable()), so backward cannot pass through it; detach its inputs, or register it "
                    + "with a .vjp(...)");
        }
        Tensor[] g = vjp.apply(new VjpContext(List.of(inputs), output, attrs), grad);
        if (g == null || g.length != inputs.length) {
            throw error("its VJP must return " + inputs.length + " gradient(s), one per input (null for none), got "
                    + (g == null ? "null" : g.length));
        }
        return g;
    }

    private static String show(Object v) {
        return v instanceof int[] a ? java.util.Arrays.toString(a)
                : v instanceof long[] a ? java.util.Arrays.toString(a) : String.valueOf(v);
    }

    IllegalArgumentException error(String message) {
        return new IllegalArgumentException("custom op '" + name + "' " + message);
    }

    private IllegalArgumentException error(String message, Throwable cause) {
        return new IllegalArgumentException("custom op '" + name + "' " + message, cause);
    }

    @Override
    public String toString() {
        return "custom op '" + name + "' " + attributes;
    }
}
