package dev.janus.optim;

import dev.janus.Tensor;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter), exactly as PyTorch's {@code torch.optim.AdamW}:
 * each step first scales the parameter by {@code 1 − lr·weight_decay}, then applies the {@link Adam} update to
 * the raw gradient. The default weight decay is 0.01.
 *
 * <pre>{@code Optimizer opt = new AdamW(model.parameters(), 3e-4).weightDecay(0.1);}</pre>
 */
public class AdamW extends Adam {
    /** AdamW with PyTorch's defaults: lr 1e-3, weight decay 0.01. */
    public AdamW(List<Tensor> params) {
        this(params, 1e-3);
    }

    public AdamW(List<Tensor> params, double lr) {
        super(params, lr, 0.01);
    }

    @Override
    public AdamW betas(double beta1, double beta2) {
        super.betas(beta1, beta2);
        return this;
    }

    @Override
    public AdamW eps(double eps) {
        super.eps(eps);
        return this;
    }

    /** Decoupled weight decay: each step scales parameters by {@code 1 − lr·weightDecay}. Returns this. */
    @Override
    public AdamW weightDecay(double weightDecay) {
        super.weightDecay(weightDecay);
        return this;
    }

    @Override
    public AdamW amsgrad(boolean amsgrad) {
        super.amsgrad(amsgrad);
        return this;
    }

    @Override
    protected boolean decoupledWeightDecay() {
        return true;
    }
}
