package dev.janus.optim;

import java.util.Arrays;

/**
 * The 1cycle policy (PyTorch's {@code OneCycleLR}): the rate rises from {@code maxLr/divFactor} to
 * {@code maxLr} over the first {@code pctStart} of {@code totalSteps}, then anneals to
 * {@code maxLr/divFactor/finalDivFactor}; momentum (SGD/RMSprop {@code momentum}, Adam {@code beta1}) moves
 * the opposite way between {@code maxMomentum} and {@code baseMomentum}. Phase ends, annealing functions and
 * defaults (pct_start 0.3, div_factor 25, final_div_factor 1e4, cosine, momentum 0.85–0.95) are PyTorch's;
 * {@link #step()} may be called {@code totalSteps} times (the last call extrapolates past the final phase, as
 * PyTorch's does, so a linear schedule's rate then dips below the final rate). Call it after every batch.
 *
 * <pre>{@code LRScheduler s = new OneCycleLR(opt, 0.1, epochs * batchesPerEpoch).pctStart(0.25);}</pre>
 *
 * <p>NOTE: momentum cycling is on by default when the optimizer implements {@link HasMomentum} (all of
 * Janus's do) and off otherwise, where PyTorch raises; {@code cycleMomentum(false)} restores the momentum the
 * optimizer had. The options are configuration, not state: resume by building the same scheduler and loading
 * its state dict.
 */
public class OneCycleLR extends LRScheduler {
    private final long totalSteps;
    private final double originalMomentum;
    private double pctStart = 0.3;
    private double divFactor = 25;
    private double finalDivFactor = 1e4;
    private boolean cosine = true;
    private boolean threePhase;
    private boolean cycleMomentum;
    private double baseMomentum = 0.85;
    private double maxMomentum = 0.95;

    /** The same peak rate for every group. */
    public OneCycleLR(Optimizer optimizer, double maxLr, long totalSteps) {
        this(optimizer, filled(optimizer, maxLr), totalSteps);
    }

    /** A peak rate per group. */
    public OneCycleLR(Optimizer optimizer, double[] maxLrs, long totalSteps) {
        super(optimizer, maxLrs);
        if (totalSteps <= 0) {
            throw new IllegalArgumentException("OneCycleLR: totalSteps must be positive, got " + totalSteps);
        }
        this.totalSteps = totalSteps;
        cycleMomentum = optimizer instanceof HasMomentum;
        originalMomentum = cycleMomentum ? ((HasMomentum) optimizer).momentum() : Double.NaN;
        apply();
    }

    private static double[] filled(Optimizer optimizer, double maxLr) {
        double[] a = new double[optimizer.paramGroups().size()];
        Arrays.fill(a, maxLr);
        return a;
    }

    /** Fraction of the steps spent raising the rate (default 0.3). Returns this. */
    public OneCycleLR pctStart(double pctStart) {
        if (!(pctStart >= 0 && pctStart <= 1)) {
            throw new IllegalArgumentException("OneCycleLR: pctStart must be in [0, 1], got " + pctStart);
        }
        this.pctStart = pctStart;
        return reapply();
    }

    /** Initial rate = maxLr / divFactor (default 25). Returns this. */
    public OneCycleLR divFactor(double divFactor) {
        this.divFactor = divFactor;
        return reapply();
    }

    /** Final rate = initial rate / finalDivFactor (default 1e4). Returns this. */
    public OneCycleLR finalDivFactor(double finalDivFactor) {
        this.finalDivFactor = finalDivFactor;
        return reapply();
    }

    /** {@code "cos"} (default) or {@code "linear"} annealing. Returns this. */
    public OneCycleLR annealStrategy(String strategy) {
        if (!strategy.equals("cos") && !strategy.equals("linear")) {
            throw new IllegalArgumentException("OneCycleLR: annealStrategy must be 'cos' or 'linear', got '" + strategy + "'");
        }
        cosine = strategy.equals("cos");
        return reapply();
    }

    /** Fast.ai's three phases: up, back down to the initial rate, then down to the final rate. Returns this. */
    public OneCycleLR threePhase(boolean threePhase) {
        this.threePhase = threePhase;
        return reapply();
    }

    /** Whether momentum cycles inversely to the rate. Returns this. */
    public OneCycleLR cycleMomentum(boolean on) {
        if (on && !(optimizer instanceof HasMomentum)) {
            throw new IllegalArgumentException("OneCycleLR: " + optimizer.getClass().getSimpleName()
                    + " has no momentum or beta1 to cycle");
        }
        cycleMomentum = on;
        if (!on && optimizer instanceof HasMomentum m) {
            m.setMomentum(originalMomentum);
        }
        return reapply();
    }

    /** The momentum range (default 0.85 to 0.95). Returns this. */
    public OneCycleLR momentumRange(double baseMomentum, double maxMomentum) {
        this.baseMomentum = baseMomentum;
        this.maxMomentum = maxMomentum;
        return reapply();
    }

    private OneCycleLR reapply() {
        apply();
        return this;
    }

    @Override
    public void step() {
        if (lastEpoch() + 1 > totalSteps) {
            throw new IllegalStateException("OneCycleLR: tried to step " + (lastEpoch() + 1)
                    + " times; the specified number of total steps is " + totalSteps);
        }
        super.step();
    }

    @Override
    protected void apply() {
        super.apply();
        if (cycleMomentum) {
            ((HasMomentum) optimizer).setMomentum(interpolate(new double[] {maxMomentum, baseMomentum, maxMomentum,
                maxMomentum}, lastEpoch()));
        }
    }

    @Override
    protected double lrAt(double maxLr, long epoch) {
        double initial = maxLr / divFactor;
        double min = initial / finalDivFactor;
        return interpolate(new double[] {initial, maxLr, threePhase ? initial : min, min}, epoch);
    }

    /**
     * The value at {@code step} of the phased schedule: phase k runs from {@code points[k]} to
     * {@code points[k + 1]} and ends at PyTorch's {@code end_step} (two phases use points 0–2, three use 0–3).
     */
    private double interpolate(double[] points, long step) {
        double[] ends = threePhase
                ? new double[] {pctStart * totalSteps - 1, 2 * pctStart * totalSteps - 2, totalSteps - 1}
                : new double[] {pctStart * totalSteps - 1, totalSteps - 1};
        double start = 0;
        for (int i = 0; i < ends.length; i++) {
            if (step <= ends[i] || i == ends.length - 1) {
                double pct = (step - start) / (ends[i] - start);
                return anneal(points[i], points[i + 1], pct);
            }
            start = ends[i];
        }
        throw new AssertionError("unreachable");
    }

    private double anneal(double from, double to, double pct) {
        return cosine ? to + (from - to) / 2.0 * (Math.cos(Math.PI * pct) + 1) : (to - from) * pct + from;
    }
}
