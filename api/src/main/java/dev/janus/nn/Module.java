package dev.janus.nn;

import dev.janus.Device;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.TensorScope;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A building block of a network: parameters, buffers and submodules, and a {@link #forward}.
 *
 * <p>How the parts are found: <b>parameters and buffers are registered explicitly</b> with
 * {@link #registerParameter} and {@link #registerBuffer} (a tensor field alone is ambiguous — it could be a
 * cached constant); <b>submodules are found by reflection</b> over the fields of type {@code Module} (in
 * declaration order, superclass fields first) and may also be registered explicitly with
 * {@link #registerModule} (as containers such as {@link Sequential} do). Names are dotted paths:
 * {@code features.0.weight}.
 *
 * <pre>{@code
 * class Net extends Module {
 *     final Linear fc1 = new Linear(784, 128);
 *     final Linear fc2 = new Linear(128, 10);
 *     public Tensor forward(Tensor x) { return fc2.forward(fc1.forward(x).relu()); }
 * }
 * }</pre>
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> registered = new LinkedHashMap<>();
    private boolean training = true;

    /** The module's computation. Modules with several inputs add their own overloads. */
    public abstract Tensor forward(Tensor x);

    /** Registers {@code t} as a trainable parameter (it is marked {@code requiresGrad(true)}) and returns it. */
    protected Tensor registerParameter(String name, Tensor t) {
        checkName(name);
        t.requiresGrad(true);
        TensorScope.escape(t);
        parameters.put(name, t);
        return t;
    }

    /** Registers a non-trainable state tensor (running statistics, masks) that belongs in the state dict. */
    protected Tensor registerBuffer(String name, Tensor t) {
        checkName(name);
        TensorScope.escape(t);
        buffers.put(name, t);
        return t;
    }

    /** Registers a submodule under {@code name} (for containers; fields of type Module are found anyway). */
    protected <M extends Module> M registerModule(String name, M m) {
        checkName(name);
        registered.put(name, m);
        return m;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module entry names must be non-empty and contain no '.', got '" + name + "'");
        }
    }

    /** Direct submodules by name: explicitly registered ones, then Module fields in declaration order. */
    public Map<String, Module> children() {
        Map<String, Module> out = new LinkedHashMap<>(registered);
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = getClass(); c != null && c != Module.class; c = c.getSuperclass()) {
            chain.add(0, c);
        }
        for (Class<?> c : chain) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || !Module.class.isAssignableFrom(f.getType())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    Module m = (Module) f.get(this);
                    if (m != null && !out.containsValue(m)) {
                        out.put(f.getName(), m);
                    }
                } catch (IllegalAccessException | RuntimeException e) {
                    throw new IllegalStateException("cannot read submodule field " + c.getName() + "." + f.getName()
                            + "; register it with registerModule instead", e);
                }
            }
        }
        return out;
    }

    /** Every parameter of this module and its descendants, by dotted path. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true);
        return out;
    }

    /** Every buffer of this module and its descendants, by dotted path. */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean params) {
        for (Map.Entry<String, Tensor> e : (params ? parameters : buffers).entrySet()) {
            out.putIfAbsent(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> c : children().entrySet()) {
            c.getValue().collect(prefix + c.getKey() + ".", out, params);
        }
    }

    /** The parameters, in {@link #namedParameters()} order, each once. */
    public List<Tensor> parameters() {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : namedParameters().values()) {
            if (out.stream().noneMatch(p -> p == t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** Parameters and buffers by dotted path: what a checkpoint holds. Values are the live tensors. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = namedParameters();
        out.putAll(namedBuffers());
        return out;
    }

    /**
     * Copies values from {@code state} into this module's parameters and buffers. With {@code strict},
     * missing and unexpected entries are errors; a shape mismatch always is. All problems are reported
     * together, and nothing is copied unless the whole dict fits.
     */
    public void loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                if (strict) {
                    problems.add("missing entry '" + e.getKey() + "'");
                }
            } else if (!src.shape().equals(e.getValue().shape())) {
                problems.add("'" + e.getKey() + "' has shape " + src.shape() + " in the state dict but "
                        + e.getValue().shape() + " in the module");
            }
        }
        if (strict) {
            for (String k : state.keySet()) {
                if (!own.containsKey(k)) {
                    problems.add("unexpected entry '" + k + "'");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict into " + getClass().getSimpleName() + ": "
                    + String.join("; ", problems));
        }
        try (var g = Janus.noGrad()) {
            for (Map.Entry<String, Tensor> e : own.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) {
                    e.getValue().assign(src);
                }
            }
        }
    }

    /**
     * Moves every parameter and buffer of this module and its descendants to {@code device} in place, like
     * PyTorch's {@code module.to(device)}: the tensors keep their identity, so create the optimizer before
     * or after, as you like, but move the model before its first step (optimizer state made on the old
     * device stays there, and the next step then fails naming both devices). Returns this.
     *
     * <pre>{@code Net net = new Net().to(Device.auto());}</pre>
     */
    @SuppressWarnings("unchecked")
    public <M extends Module> M to(Device device) {
        for (Tensor t : stateDict().values()) {
            t.moveTo(device);
        }
        return (M) this;
    }

    /** Switches this module and its descendants to training mode. Returns this. */
    public Module train() {
        return setTraining(true);
    }

    /** Switches this module and its descendants to evaluation mode (dropout off, running statistics used). */
    public Module eval() {
        return setTraining(false);
    }

    private Module setTraining(boolean on) {
        training = on;
        for (Module m : children().values()) {
            m.setTraining(on);
        }
        return this;
    }

    public boolean isTraining() {
        return training;
    }

    /** Calls {@code fn} on every descendant and then on this module (PyTorch's order). Returns this. */
    public Module apply(Consumer<Module> fn) {
        for (Module m : children().values()) {
            m.apply(fn);
        }
        fn.accept(this);
        return this;
    }

    /** Clears the gradients of every parameter. */
    public void zeroGrad() {
        for (Tensor p : parameters()) {
            p.zeroGrad();
        }
    }

    /** Total number of parameter elements. */
    public long parameterCount() {
        return parameters().stream().mapToLong(Tensor::numel).sum();
    }

    /** A one-line description of this module's own configuration, e.g. {@code Linear(784 → 128)}. */
    protected String describe() {
        return getClass().getSimpleName();
    }

    /** A tree of the module with parameter counts, like PyTorch's printout. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        render(sb, "", "");
        return sb.toString();
    }

    private void render(StringBuilder sb, String indent, String name) {
        sb.append(indent).append(name.isEmpty() ? "" : "(" + name + "): ").append(describe());
        long own = parameters.values().stream().mapToLong(Tensor::numel).sum();
        long total = parameterCount();
        sb.append("  [").append(total).append(" params").append(own != total && own > 0 ? ", " + own + " own" : "")
                .append("]\n");
        for (Map.Entry<String, Module> c : children().entrySet()) {
            c.getValue().render(sb, indent + "  ", c.getKey());
        }
    }

    /** Shapes of all parameters, for quick inspection in a debugger. */
    public String parameterShapes() {
        StringBuilder sb = new StringBuilder();
        namedParameters().forEach((k, v) -> sb.append(k).append(' ').append(Arrays.toString(v.shape().dims())).append('\n'));
        return sb.toString();
    }
}
