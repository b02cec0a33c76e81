package dev.janus.optim;

import dev.janus.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and (L2) weight decay,
 * exactly as PyTorch's {@code torch.optim.SGD}:
 * <pre>
 * g ← grad + weight_decay·p
 * b ← g (first step), else momentum·b + (1 − dampening)·g          (when momentum ≠ 0)
 * g ← g + momentum·b (nesterov), else b
 * p ← p − lr·g
 * </pre>
 *
 * <pre>{@code Optimizer opt = new SGD(model.parameters(), 0.1).momentum(0.9).nesterov(true).weightDecay(5e-4);}</pre>
 */
public class SGD extends Optimizer implements HasMomentum {
    private double momentum;
    private double dampening;
    private boolean nesterov;

    public SGD(List<Tensor> params, double lr) {
        super(params, lr, 0);
    }

    /** Momentum factor (default 0: plain SGD). Returns this. */
    public SGD momentum(double momentum) {
        setMomentum(momentum);
        return this;
    }

    /** Dampening of the gradient entering the momentum buffer (default 0). Returns this. */
    public SGD dampening(double dampening) {
        this.dampening = dampening;
        return this;
    }

    /** Nesterov momentum (needs momentum &gt; 0 and dampening 0). Returns this. */
    public SGD nesterov(boolean nesterov) {
        this.nesterov = nesterov;
        return this;
    }

    /** L2 penalty added to the gradient (default 0). Returns this. */
    public SGD weightDecay(double weightDecay) {
        setDefaultWeightDecay(weightDecay);
        return this;
    }

    @Override
    public double momentum() {
        return momentum;
    }

    @Override
    public void setMomentum(double momentum) {
        if (!(momentum >= 0)) {
            throw new IllegalArgumentException("Invalid momentum value: " + momentum);
        }
        this.momentum = momentum;
    }

    @Override
    protected void validate() {
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalStateException("Nesterov momentum requires a momentum and zero dampening, got momentum="
                    + momentum + ", dampening=" + dampening);
        }
    }

    @Override
    protected void update(Tensor p, Tensor grad, State s, double lr, double weightDecay) {
        Tensor g = weightDecay != 0 ? grad.add(p.mul(weightDecay)) : grad;
        if (momentum != 0) {
            Tensor buf = s.get("momentum_buffer");
            if (buf == null) {
                buf = s.put("momentum_buffer", Optimizer.copyOf(g));
            } else {
                buf.assign(buf.mul(momentum).add(g.mul(1 - dampening)));
            }
            g = nesterov ? g.add(buf.mul(momentum)) : buf;
        }
        p.assign(p.sub(g.mul(lr)));
    }

    @Override
    protected Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("momentum", momentum);
        m.put("dampening", dampening);
        m.put("nesterov", nesterov);
        return m;
    }

    @Override
    protected void loadOptions(Map<?, ?> o) {
        momentum = StateDictReader.number(o, "momentum");
        dampening = StateDictReader.number(o, "dampening");
        nesterov = StateDictReader.flag(o, "nesterov");
    }
}
