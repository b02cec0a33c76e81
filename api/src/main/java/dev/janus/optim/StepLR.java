package dev.janus.optim;

/**
 * Multiplies the rate by {@code gamma} every {@code stepSize} epochs: {@code lr = base · gamma^⌊epoch / stepSize⌋}
 * (PyTorch's {@code StepLR}).
 *
 * <pre>{@code LRScheduler s = new StepLR(opt, 30, 0.1);}</pre>
 */
public class StepLR extends LRScheduler {
    private final long stepSize;
    private final double gamma;

    /** With PyTorch's default gamma 0.1. */
    public StepLR(Optimizer optimizer, long stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    public StepLR(Optimizer optimizer, long stepSize, double gamma) {
        super(optimizer);
        if (stepSize <= 0) {
            throw new IllegalArgumentException("StepLR: stepSize must be positive, got " + stepSize);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        apply();
    }

    @Override
    protected double lrAt(double baseLr, long epoch) {
        return baseLr * Math.pow(gamma, Math.floorDiv(epoch, stepSize));
    }
}
