package dev.janus.optim;

/**
 * Multiplies the rate by {@code gamma} every epoch: {@code lr = base · gamma^epoch} (PyTorch's
 * {@code ExponentialLR}).
 *
 * <pre>{@code LRScheduler s = new ExponentialLR(opt, 0.95);}</pre>
 */
public class ExponentialLR extends LRScheduler {
    private final double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        this.gamma = gamma;
        apply();
    }

    @Override
    protected double lrAt(double baseLr, long epoch) {
        return baseLr * Math.pow(gamma, epoch);
    }
}
