package dev.janus.optim;

import java.util.Arrays;

/**
 * Multiplies the rate by {@code gamma} at each milestone: {@code lr = base · gamma^(milestones ≤ epoch)}
 * (PyTorch's {@code MultiStepLR}; a repeated milestone counts as often as it appears).
 *
 * <pre>{@code LRScheduler s = new MultiStepLR(opt, new long[] {30, 80}, 0.1);}</pre>
 */
public class MultiStepLR extends LRScheduler {
    private final long[] milestones;
    private final double gamma;

    /** With PyTorch's default gamma 0.1. */
    public MultiStepLR(Optimizer optimizer, long[] milestones) {
        this(optimizer, milestones, 0.1);
    }

    public MultiStepLR(Optimizer optimizer, long[] milestones, double gamma) {
        super(optimizer);
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        this.gamma = gamma;
        apply();
    }

    @Override
    protected double lrAt(double baseLr, long epoch) {
        int passed = 0;
        while (passed < milestones.length && milestones[passed] <= epoch) {
            passed++;
        }
        return baseLr * Math.pow(gamma, passed);
    }
}
