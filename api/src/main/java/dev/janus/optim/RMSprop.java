package dev.janus.optim;

import dev.janus.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMSprop, exactly as PyTorch's {@code torch.optim.RMSprop} (eps added outside the square root):
 * <pre>
 * g ← grad + weight_decay·p
 * v ← α·v + (1 − α)·g²
 * a ← √(v − ḡ²) + eps with ḡ ← ḡ + (1 − α)·(g − ḡ) (centered), else √v + eps
 * b ← momentum·b + g / a;  p ← p − lr·b           (momentum &gt; 0)
 * p ← p − lr·g / a                                (otherwise)
 * </pre>
 *
 * <pre>{@code Optimizer opt = new RMSprop(model.parameters(), 1e-3).alpha(0.9).centered(true).momentum(0.9);}</pre>
 */
public class RMSprop extends Optimizer implements HasMomentum {
    private double alpha = 0.99;
    private double eps = 1e-8;
    private double momentum;
    private boolean centered;

    /** RMSprop with PyTorch's default learning rate 1e-2. */
    public RMSprop(List<Tensor> params) {
        this(params, 1e-2);
    }

    public RMSprop(List<Tensor> params, double lr) {
        super(params, lr, 0);
    }

    /** Smoothing constant of the squared-gradient average (default 0.99). Returns this. */
    public RMSprop alpha(double alpha) {
        if (!(alpha >= 0)) {
            throw new IllegalArgumentException("Invalid alpha value: " + alpha);
        }
        this.alpha = alpha;
        return this;
    }

    /** Term added to the denominator (default 1e-8). Returns this. */
    public RMSprop eps(double eps) {
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("Invalid epsilon value: " + eps);
        }
        this.eps = eps;
        return this;
    }

    /** Momentum factor (default 0). Returns this. */
    public RMSprop momentum(double momentum) {
        setMomentum(momentum);
        return this;
    }

    /** Normalizes by the estimated variance of the gradient instead of its second moment. Returns this. */
    public RMSprop centered(boolean centered) {
        this.centered = centered;
        return this;
    }

    /** L2 penalty added to the gradient (default 0). Returns this. */
    public RMSprop weightDecay(double weightDecay) {
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
    protected void update(Tensor p, Tensor grad, State s, double lr, double weightDecay) {
        Tensor g = weightDecay != 0 ? grad.add(p.mul(weightDecay)) : grad;
        Tensor v = s.zeros("square_avg", p);
        v.assign(v.mul(alpha).add(g.mul(1 - alpha).mul(g)));
        Tensor avg;
        if (centered) {
            Tensor gAvg = s.zeros("grad_avg", p);
            gAvg.assign(gAvg.add(g.sub(gAvg).mul(1 - alpha)));
            avg = v.add(gAvg.neg().mul(gAvg)).sqrt();
        } else {
            avg = v.sqrt();
        }
        avg = avg.add(eps);
        if (momentum > 0) {
            Tensor buf = s.zeros("momentum_buffer", p);
            buf.assign(buf.mul(momentum).add(g.div(avg)));
            p.assign(p.sub(buf.mul(lr)));
        } else {
            p.assign(p.add(g.mul(-lr).div(avg)));
        }
    }

    @Override
    protected Map<String, Object> options() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("alpha", alpha);
        o.put("eps", eps);
        o.put("momentum", momentum);
        o.put("centered", centered);
        return o;
    }

    @Override
    protected void loadOptions(Map<?, ?> o) {
        alpha = StateDictReader.number(o, "alpha");
        eps = StateDictReader.number(o, "eps");
        momentum = StateDictReader.number(o, "momentum");
        centered = StateDictReader.flag(o, "centered");
    }
}
