package dev.janus.optim;

import dev.janus.Tensor;
import java.util.List;

/**
 * Parameters that share a learning rate and a weight decay, as in PyTorch's {@code param_groups}. The other
 * hyper-parameters (momentum, betas, ...) belong to the optimizer and apply to every group.
 *
 * <pre>{@code
 * SGD opt = new SGD(backbone.parameters(), 0.01).momentum(0.9);
 * opt.addParamGroup(ParamGroup.of(head.parameters()).lr(0.1).weightDecay(0));
 * }</pre>
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private double lr = Double.NaN;
    private double weightDecay = Double.NaN;

    private ParamGroup(List<Tensor> params) {
        this.params = List.copyOf(params);
    }

    /** A group of {@code params} that takes the optimizer's learning rate and weight decay until set. */
    public static ParamGroup of(List<Tensor> params) {
        return new ParamGroup(params);
    }

    /** The parameters, in the order the state dict numbers them. */
    public List<Tensor> params() {
        return params;
    }

    /** This group's learning rate; schedulers change it with {@link #lr(double)}. */
    public double lr() {
        return lr;
    }

    /**
     * Sets this group's learning rate. Returns this. Only NaN is refused here: a schedule may step past its end
     * (PyTorch's OneCycleLR does on its last call); optimizers check for a negative rate when a group is added.
     */
    public ParamGroup lr(double lr) {
        if (Double.isNaN(lr)) {
            throw new IllegalArgumentException("Invalid learning rate: " + lr);
        }
        this.lr = lr;
        return this;
    }

    /** This group's own weight decay, or NaN when it takes the optimizer's. */
    public double weightDecay() {
        return weightDecay;
    }

    /** Sets this group's weight decay (NaN: the optimizer's). Returns this. */
    public ParamGroup weightDecay(double weightDecay) {
        if (weightDecay < 0) {
            throw new IllegalArgumentException("Invalid weight_decay value: " + weightDecay);
        }
        this.weightDecay = weightDecay;
        return this;
    }
}
