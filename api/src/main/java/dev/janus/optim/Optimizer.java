package dev.janus.optim;

import dev.janus.Janus;
import dev.janus.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Base of the optimizers: parameter groups, the step loop, per-parameter state and its state dict. A
 * subclass writes one parameter's update with {@code Tensor} ops in {@link #update}; {@link #step()} runs it
 * under {@link Janus#noGrad()} for every parameter that has a gradient (the others are skipped and get no
 * state), so a graph engine can later record the same update.
 *
 * <pre>{@code
 * Optimizer opt = new SGD(model.parameters(), 0.1).momentum(0.9);
 * for (...) { opt.zeroGrad(); loss(model).backward(); opt.step(); }
 * }</pre>
 *
 * <p><b>State dict.</b> {@link #stateDict()} returns a snapshot (tensors are copied, so later steps do not
 * change it; PyTorch returns live references) laid out like PyTorch's:
 * <pre>
 * "type"          String                            the optimizer's class name, checked on load
 * "options"       Map&lt;String, Object&gt;               optimizer-wide hyper-parameters: "lr" and "weight_decay"
 *                                                   (what groups without their own take) and the subclass's
 *                                                   own, e.g. "momentum", "beta1", "amsgrad" (Double / Boolean)
 * "param_groups"  List&lt;Map&lt;String, Object&gt;&gt;         per group: "lr" (Double), "weight_decay" (Double, NaN =
 *                                                   the optimizer's), "params" (List&lt;Integer&gt; indices)
 * "state"         Map&lt;Integer, Map&lt;String, Object&gt;&gt;  per parameter index (numbered across groups in order),
 *                                                   only for parameters stepped at least once: "step" (Long)
 *                                                   and the buffers (Tensor), e.g. "momentum_buffer",
 *                                                   "exp_avg", "exp_avg_sq", "max_exp_avg_sq", "square_avg"
 * </pre>
 * {@link #loadStateDict} restores all of it into an optimizer built over parameters of the same shapes, so
 * training resumes exactly.
 */
public abstract class Optimizer {
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<Integer, State> states = new TreeMap<>();
    private double lr;
    private double weightDecay;

    /** One parameter's optimizer state: its step count and named buffers. */
    protected static final class State {
        private long step;
        private final Map<String, Tensor> buffers = new LinkedHashMap<>();
        private final dev.janus.Device device;
        private Tensor stepTensor;

        /** {@code device}: the parameter's, where tensors this state makes for itself live. */
        State(dev.janus.Device device) {
            this.device = device;
        }

        /** Updates applied to this parameter, counting the one in progress. */
        public long step() {
            return step;
        }

        /**
         * The step count, this update included, as a float64 scalar tensor that the update itself advances
         * (call it once per update). Quantities an optimizer derives from it with tensor ops (Adam's bias
         * corrections) are recorded as graph ops when a training step is captured, so the captured step keeps
         * counting instead of replaying the step it was captured at. Not part of the state dict ({@code step} is).
         */
        public Tensor countedStep() {
            if (stepTensor == null) {
                stepTensor = escape(Tensor.scalar(step - 1, dev.janus.DType.FLOAT64).to(device));
            }
            return stepTensor.assign(stepTensor.add(1.0));
        }

        /** The buffer {@code name}, or null before it exists. */
        public Tensor get(String name) {
            return buffers.get(name);
        }

        /** The buffer {@code name}, created as zeros shaped like {@code like} on first use. */
        public Tensor zeros(String name, Tensor like) {
            return buffers.computeIfAbsent(name, k -> escape(Tensor.zerosLike(like)));
        }

        /** Stores {@code t} (which the caller must own) as buffer {@code name}. Returns it. */
        public Tensor put(String name, Tensor t) {
            buffers.put(name, escape(t));
            return t;
        }

        /** Optimizer state lives as long as the optimizer, so no TensorScope around a step may close it. */
        private static Tensor escape(Tensor t) {
            dev.janus.TensorScope.escape(t);
            return t;
        }
    }

    protected Optimizer(List<Tensor> params, double lr, double weightDecay) {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException("Invalid learning rate: " + lr);
        }
        this.lr = lr;
        setDefaultWeightDecay(weightDecay);
        addParamGroup(ParamGroup.of(params));
    }

    /**
     * One parameter's update, written with {@code Tensor} ops and {@code assign} (gradients are off).
     * {@code s.step()} already counts this update.
     */
    protected abstract void update(Tensor p, Tensor grad, State s, double lr, double weightDecay);

    /** The subclass's hyper-parameters by PyTorch name, for the state dict and {@link #toString()}. */
    protected abstract Map<String, Object> options();

    /** Restores what {@link #options()} wrote. */
    protected abstract void loadOptions(Map<?, ?> options);

    /** Checks combinations of options that setters cannot check one at a time; runs before each step. */
    protected void validate() {}

    /** Adds a group (PyTorch's {@code add_param_group}); it takes the optimizer's lr unless it has its own. */
    public Optimizer addParamGroup(ParamGroup group) {
        if (group.params().isEmpty()) {
            throw new IllegalArgumentException("optimizer got an empty parameter list");
        }
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.addAll(params());
        for (Tensor p : group.params()) {
            if (!seen.add(p)) {
                throw new IllegalArgumentException("a parameter of shape " + p.shape() + " appears twice in the "
                        + "optimizer's parameter groups; each parameter may be optimized once");
            }
        }
        if (Double.isNaN(group.lr())) {
            group.lr(lr);
        } else if (group.lr() < 0) {
            throw new IllegalArgumentException("Invalid learning rate: " + group.lr());
        }
        groups.add(group);
        return this;
    }

    /** The parameter groups, in order. */
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** Every parameter, group by group: position {@code i} is index {@code i} of the state dict. */
    public List<Tensor> params() {
        List<Tensor> out = new ArrayList<>();
        for (ParamGroup g : groups) {
            out.addAll(g.params());
        }
        return out;
    }

    /** The first group's learning rate. */
    public double lr() {
        return groups.get(0).lr();
    }

    /** Sets every group's learning rate (and the default for groups added later). */
    public void setLr(double lr) {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException("Invalid learning rate: " + lr);
        }
        for (ParamGroup g : groups) {
            g.lr(lr);
        }
        this.lr = lr;
    }

    /** The weight decay of groups that have none of their own. */
    public double weightDecay() {
        return weightDecay;
    }

    protected final void setDefaultWeightDecay(double wd) {
        if (!(wd >= 0)) {
            throw new IllegalArgumentException("Invalid weight_decay value: " + wd);
        }
        this.weightDecay = wd;
    }

    /** The weight decay that applies to {@code g}. */
    public double weightDecay(ParamGroup g) {
        return Double.isNaN(g.weightDecay()) ? weightDecay : g.weightDecay();
    }

    /** Applies one update to every parameter that has a gradient. */
    public void step() {
        validate();
        try (var off = Janus.noGrad()) {
            int index = 0;
            for (ParamGroup g : groups) {
                double wd = weightDecay(g);
                for (Tensor p : g.params()) {
                    int i = index++;
                    Tensor grad = p.grad();
                    if (grad != null) {
                        State s = states.computeIfAbsent(i, k -> new State(p.device()));
                        s.step++;
                        update(p, grad.detach(), s, g.lr(), wd);
                    }
                }
            }
        }
    }

    /**
     * True when parameter {@code index} (its position in {@link #params()}) has optimizer state, which it gets
     * on its first update. A graph capture of {@link #step()} needs it: the first update takes another path.
     */
    public boolean hasState(int index) {
        return states.containsKey(index);
    }

    /** Clears every parameter's gradient (to none, as PyTorch's default {@code set_to_none=True}). */
    public void zeroGrad() {
        for (Tensor p : params()) {
            p.zeroGrad();
        }
    }

    /** A snapshot of hyper-parameters, groups and per-parameter state; see the class comment for the layout. */
    public Map<String, Object> stateDict() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", getClass().getSimpleName());
        out.put("options", allOptions());
        out.put("param_groups", groupsDict());
        out.put("state", stateSnapshot());
        return out;
    }

    private Map<String, Object> allOptions() {
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("lr", lr);
        opts.put("weight_decay", weightDecay);
        opts.putAll(options());
        return opts;
    }

    private List<Map<String, Object>> groupsDict() {
        List<Map<String, Object>> out = new ArrayList<>();
        int index = 0;
        for (ParamGroup g : groups) {
            List<Integer> ids = new ArrayList<>();
            for (int k = 0; k < g.params().size(); k++) {
                ids.add(index++);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lr", g.lr());
            m.put("weight_decay", g.weightDecay());
            m.put("params", ids);
            out.add(m);
        }
        return out;
    }

    private Map<Integer, Map<String, Object>> stateSnapshot() {
        Map<Integer, Map<String, Object>> out = new TreeMap<>();
        for (Map.Entry<Integer, State> e : states.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", e.getValue().step);
            e.getValue().buffers.forEach((k, v) -> m.put(k, copyOf(v)));
            out.put(e.getKey(), m);
        }
        return out;
    }

    /**
     * Restores a {@link #stateDict()} taken from an optimizer of the same type over parameters of the same
     * shapes and grouping. All problems are reported together, and nothing changes unless the dict fits.
     * State tensors are copied (cast to each parameter's dtype and device).
     */
    public void loadStateDict(Map<String, ?> dict) {
        StateDictReader r = new StateDictReader(getClass().getSimpleName(), dict, groups, options());
        r.check();
        List<Tensor> ps = params();
        Map<Integer, State> loaded = new TreeMap<>();
        r.state().forEach((i, m) -> loaded.put(i, toState(ps.get(i), m)));
        Map<?, ?> opts = r.options();
        lr = StateDictReader.number(opts, "lr");
        weightDecay = StateDictReader.number(opts, "weight_decay");
        loadOptions(opts);
        for (int k = 0; k < groups.size(); k++) {
            Map<?, ?> g = r.groups().get(k);
            groups.get(k).lr(StateDictReader.number(g, "lr"));
            groups.get(k).weightDecay(StateDictReader.number(g, "weight_decay"));
        }
        states.clear();
        states.putAll(loaded);
    }

    private static State toState(Tensor p, Map<?, ?> m) {
        State s = new State(p.device());
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if ("step".equals(e.getKey())) {
                s.step = ((Number) e.getValue()).longValue();
            } else {
                Tensor t = (Tensor) e.getValue();
                try (var off = Janus.noGrad()) {
                    s.buffers.put((String) e.getKey(), copyOf(t.cast(p.dtype()).to(p.device())));
                }
            }
        }
        return s;
    }

    /** A copy of {@code t} in its own buffer. */
    static Tensor copyOf(Tensor t) {
        try (var off = Janus.noGrad()) {
            return Tensor.zerosLike(t).assign(t);
        }
    }

    @Override
    public String toString() {
        Map<String, Object> opts = allOptions();
        opts.put("lr", lr());
        return getClass().getSimpleName() + opts + (groups.size() > 1 ? " with " + groups.size() + " groups" : "");
    }
}
