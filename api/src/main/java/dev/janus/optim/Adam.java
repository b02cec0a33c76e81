package dev.janus.optim;

import dev.janus.DType;
import dev.janus.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with bias correction and optional AMSGrad, exactly as PyTorch's {@code torch.optim.Adam}; weight decay
 * is the L2 kind, added to the gradient ({@link AdamW} decouples it). At step t:
 * <pre>
 * g ← grad + weight_decay·p
 * m ← m + (1 − β1)·(g − m);   v ← β2·v + (1 − β2)·g²;   v̂max ← max(v̂max, v) (amsgrad)
 * p ← p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + eps)           (√v̂max with amsgrad)
 * </pre>
 *
 * <pre>{@code Optimizer opt = new Adam(model.parameters(), 1e-3).betas(0.9, 0.98).amsgrad(true);}</pre>
 */
public class Adam extends Optimizer implements HasMomentum {
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double eps = 1e-8;
    private boolean amsgrad;

    /** Adam with PyTorch's default learning rate 1e-3. */
    public Adam(List<Tensor> params) {
        this(params, 1e-3);
    }

    public Adam(List<Tensor> params, double lr) {
        this(params, lr, 0);
    }

    Adam(List<Tensor> params, double lr, double weightDecay) {
        super(params, lr, weightDecay);
    }

    /** Decay rates of the first and second moment averages (default 0.9, 0.999). Returns this. */
    public Adam betas(double beta1, double beta2) {
        checkBeta(beta1, 0);
        checkBeta(beta2, 1);
        this.beta1 = beta1;
        this.beta2 = beta2;
        return this;
    }

    /** Term added to the denominator (default 1e-8). Returns this. */
    public Adam eps(double eps) {
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("Invalid epsilon value: " + eps);
        }
        this.eps = eps;
        return this;
    }

    /** Weight decay (L2 penalty for Adam, decoupled for AdamW). Returns this. */
    public Adam weightDecay(double weightDecay) {
        setDefaultWeightDecay(weightDecay);
        return this;
    }

    /** Uses the maximum of past second moments (AMSGrad). Returns this. */
    public Adam amsgrad(boolean amsgrad) {
        this.amsgrad = amsgrad;
        return this;
    }

    private static void checkBeta(double beta, int index) {
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException("Invalid beta parameter at index " + index + ": " + beta);
        }
    }

    /** β1, which {@link OneCycleLR} cycles. */
    @Override
    public double momentum() {
        return beta1;
    }

    @Override
    public void setMomentum(double momentum) {
        checkBeta(momentum, 0);
        beta1 = momentum;
    }

    /** True for AdamW: decay scales the parameter instead of entering the gradient. */
    protected boolean decoupledWeightDecay() {
        return false;
    }

    @Override
    protected void update(Tensor p, Tensor grad, State s, double lr, double weightDecay) {
        Tensor g = grad;
        if (weightDecay != 0) {
            if (decoupledWeightDecay()) {
                p.assign(p.mul(1 - lr * weightDecay));
            } else {
                g = g.add(p.mul(weightDecay));
            }
        }
        Tensor m = s.zeros("exp_avg", p);
        Tensor v = s.zeros("exp_avg_sq", p);
        m.assign(m.add(g.sub(m).mul(1 - beta1)));
        v.assign(v.mul(beta2).add(g.mul(1 - beta2).mul(g)));
        // bias corrections from the step as a tensor (float64, rounded to p's dtype where a double scalar would
        // be), so a captured training step keeps counting; same values as Java double arithmetic
        Tensor t = s.countedStep();
        Tensor biasCorrection1 = Tensor.scalar(beta1, DType.FLOAT64).pow(t).neg().add(1.0);
        Tensor biasCorrection2Sqrt = Tensor.scalar(beta2, DType.FLOAT64).pow(t).neg().add(1.0).sqrt();
        Tensor second = v;
        if (amsgrad) {
            Tensor vmax = s.zeros("max_exp_avg_sq", p);
            second = vmax.assign(vmax.maximum(v));
        }
        Tensor denom = second.sqrt().div(biasCorrection2Sqrt.cast(p.dtype())).add(eps);
        Tensor negStepSize = Tensor.scalar(lr, DType.FLOAT64).div(biasCorrection1).neg().cast(p.dtype());
        p.assign(p.add(m.mul(negStepSize).div(denom)));
    }

    @Override
    protected Map<String, Object> options() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("beta1", beta1);
        o.put("beta2", beta2);
        o.put("eps", eps);
        o.put("amsgrad", amsgrad);
        return o;
    }

    @Override
    protected void loadOptions(Map<?, ?> o) {
        beta1 = StateDictReader.number(o, "beta1");
        beta2 = StateDictReader.number(o, "beta2");
        eps = StateDictReader.number(o, "eps");
        amsgrad = StateDictReader.flag(o, "amsgrad");
    }
}
