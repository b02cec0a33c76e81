package dev.janus.optim;

/**
 * Scales the rate by a factor that moves linearly from {@code startFactor} to {@code endFactor} over
 * {@code totalIters} epochs, then stays (PyTorch's {@code LinearLR}):
 * {@code lr = base · (start + (end − start)·min(epoch, totalIters)/totalIters)}. {@link #warmup} is the
 * common linear warm-up.
 *
 * <pre>{@code LRScheduler s = LinearLR.warmup(opt, 0.01, 500);   // 1% of the rate, rising to 100% at step 500}</pre>
 */
public class LinearLR extends LRScheduler {
    private final double startFactor;
    private final double endFactor;
    private final long totalIters;

    /** With PyTorch's defaults: from 1/3 to 1 over 5 epochs. */
    public LinearLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 1.0, 5);
    }

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, long totalIters) {
        super(optimizer);
        if (!(startFactor > 0 && startFactor <= 1) || !(endFactor >= 0 && endFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: need 0 < startFactor <= 1 and 0 <= endFactor <= 1, got "
                    + startFactor + " and " + endFactor);
        }
        if (totalIters <= 0) {
            throw new IllegalArgumentException("LinearLR: totalIters must be positive, got " + totalIters);
        }
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        apply();
    }

    /** A linear ramp from {@code startFactor}·base to the base rate over {@code steps} steps, then constant. */
    public static LinearLR warmup(Optimizer optimizer, double startFactor, long steps) {
        return new LinearLR(optimizer, startFactor, 1.0, steps);
    }

    @Override
    protected double lrAt(double baseLr, long epoch) {
        return baseLr * (startFactor + (endFactor - startFactor) * Math.min(totalIters, epoch) / totalIters);
    }
}
