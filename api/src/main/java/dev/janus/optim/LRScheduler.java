package dev.janus.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets an optimizer's learning rates from a closed form of the epoch counter, as PyTorch's schedulers do.
 * Construction counts as epoch 0 and sets the epoch-0 rate; each {@link #step()} (called after
 * {@code optimizer.step()}) advances one epoch. The base rate of each group is its lr at construction.
 *
 * <pre>{@code
 * LRScheduler sched = new CosineAnnealingLR(opt, 100, 1e-5);
 * for (int epoch = 0; epoch < 100; epoch++) { train(opt); sched.step(); }
 * }</pre>
 *
 * <p>NOTE: the rate is always recomputed from the base rates and the counter (PyTorch's
 * {@code _get_closed_form_lr}), never from the optimizer's current lr, so two schedulers on one optimizer
 * overwrite each other rather than compose (PyTorch's recursive forms chain); resuming is exact because the
 * state is just the counter and the base rates.
 *
 * <p>State dict: {@code "type"} (class name), {@code "last_epoch"} (Long), {@code "base_lrs"} (double[]).
 */
public abstract class LRScheduler {
    protected final Optimizer optimizer;
    private double[] baseLrs;
    private long lastEpoch;

    /** Captures the base rates; a subclass calls {@link #apply()} at the end of its constructor. */
    protected LRScheduler(Optimizer optimizer) {
        this(optimizer, optimizer.paramGroups().stream().mapToDouble(ParamGroup::lr).toArray());
    }

    /** With explicit base rates, one per group (for schedules such as {@link OneCycleLR} that set their own). */
    protected LRScheduler(Optimizer optimizer, double[] baseLrs) {
        if (baseLrs.length != optimizer.paramGroups().size()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": " + baseLrs.length + " base rates for "
                    + optimizer.paramGroups().size() + " parameter groups");
        }
        this.optimizer = optimizer;
        this.baseLrs = baseLrs.clone();
    }

    /** The learning rate at {@code epoch} for a group whose base rate is {@code baseLr}. */
    protected abstract double lrAt(double baseLr, long epoch);

    /** Advances one epoch and sets the new rates. */
    public void step() {
        lastEpoch++;
        apply();
    }

    /** Sets every group's rate for the current epoch. */
    protected void apply() {
        List<ParamGroup> groups = optimizer.paramGroups();
        if (groups.size() != baseLrs.length) {
            throw new IllegalStateException("the optimizer has " + groups.size() + " parameter groups but the scheduler "
                    + "was built for " + baseLrs.length + "; build the scheduler after adding groups");
        }
        for (int i = 0; i < baseLrs.length; i++) {
            groups.get(i).lr(lrAt(baseLrs[i], lastEpoch));
        }
    }

    /** The rate last set on the first group. */
    public double lastLr() {
        return optimizer.paramGroups().get(0).lr();
    }

    /** The rates last set, one per group. */
    public double[] lastLrs() {
        return optimizer.paramGroups().stream().mapToDouble(ParamGroup::lr).toArray();
    }

    /** Steps taken since construction (PyTorch's {@code last_epoch}). */
    public long lastEpoch() {
        return lastEpoch;
    }

    /** The base rate of each group. */
    protected double[] baseLrs() {
        return baseLrs.clone();
    }

    /** The counter and base rates; see the class comment. */
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", getClass().getSimpleName());
        m.put("last_epoch", lastEpoch);
        m.put("base_lrs", baseLrs.clone());
        return m;
    }

    /** Restores a {@link #stateDict()} and sets the rates (and momentum, for {@link OneCycleLR}) it implies. */
    public void loadStateDict(Map<String, ?> state) {
        double[] lrs = doubles(state.get("base_lrs"));
        if (!getClass().getSimpleName().equals(state.get("type")) || !(state.get("last_epoch") instanceof Number n)
                || lrs == null || lrs.length != baseLrs.length) {
            throw new IllegalArgumentException("loadStateDict into " + getClass().getSimpleName() + ": expected type '"
                    + getClass().getSimpleName() + "', a number 'last_epoch' and " + baseLrs.length + " 'base_lrs', got "
                    + state);
        }
        lastEpoch = n.longValue();
        baseLrs = lrs.clone();
        apply();
    }

    /** A double[] or a list of numbers (as a deserialized dict may hold) as a double[]; null otherwise. */
    private static double[] doubles(Object o) {
        if (o instanceof double[] a) {
            return a;
        }
        if (o instanceof List<?> list && list.stream().allMatch(Number.class::isInstance)) {
            return list.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        }
        return null;
    }
}
