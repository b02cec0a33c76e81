package dev.janus.optim;

/**
 * Cosine annealing from the base rate to {@code etaMin} over {@code tMax} epochs (PyTorch's
 * {@code CosineAnnealingLR}, without restarts): {@code lr = etaMin + (base − etaMin)·(1 + cos(π·epoch/tMax))/2}.
 * Past {@code tMax} the cosine rises again, as in PyTorch.
 *
 * <pre>{@code LRScheduler s = new CosineAnnealingLR(opt, 100, 1e-5);}</pre>
 */
public class CosineAnnealingLR extends LRScheduler {
    private final long tMax;
    private final double etaMin;

    /** Annealing to 0. */
    public CosineAnnealingLR(Optimizer optimizer, long tMax) {
        this(optimizer, tMax, 0);
    }

    public CosineAnnealingLR(Optimizer optimizer, long tMax, double etaMin) {
        super(optimizer);
        if (tMax <= 0) {
            throw new IllegalArgumentException("CosineAnnealingLR: tMax must be positive, got " + tMax);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        apply();
    }

    @Override
    protected double lrAt(double baseLr, long epoch) {
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }
}
