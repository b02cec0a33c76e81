package dev.janus.optim;

import dev.janus.DType;
import dev.janus.Janus;
import dev.janus.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient clipping in place, as PyTorch's {@code torch.nn.utils.clip_grad_norm_} and
 * {@code clip_grad_value_}. Parameters without a gradient are ignored.
 *
 * <pre>{@code
 * loss.backward();
 * Tensor norm = GradClip.clipGradNorm(model.parameters(), 1.0);
 * opt.step();
 * }</pre>
 */
public final class GradClip {
    private GradClip() {}

    /** {@link #clipGradNorm(List, double, double)} with the 2-norm. */
    public static Tensor clipGradNorm(List<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2);
    }

    /**
     * Scales all gradients together so that the {@code normType}-norm of their concatenation is at most
     * {@code maxNorm}: each is multiplied by {@code min(1, maxNorm / (total + 1e-6))}. {@code normType} is
     * any p &gt;= 0 or {@code Double.POSITIVE_INFINITY} (largest magnitude). Returns the total norm before
     * clipping as a 0-d tensor (0 when no parameter has a gradient).
     */
    public static Tensor clipGradNorm(List<Tensor> params, double maxNorm, double normType) {
        if (!(normType >= 0)) {
            throw new IllegalArgumentException("clipGradNorm: normType must be >= 0 or infinity, got " + normType);
        }
        List<Tensor> grads = grads(params);
        if (grads.isEmpty()) {
            return Tensor.scalar(0, DType.FLOAT32);
        }
        try (var off = Janus.noGrad()) {
            DType dtype = grads.get(0).dtype();
            List<Tensor> norms = new ArrayList<>();
            for (Tensor g : grads) {
                dtype = DType.promote(dtype, g.dtype());
                if (g.numel() > 0) {
                    norms.add(norm(g.reshape(-1), normType));
                }
            }
            if (norms.isEmpty()) {
                return Tensor.scalar(0, dtype);
            }
            final DType t = dtype;
            Tensor total = norm(Tensor.stack(0, norms.stream().map(n -> n.cast(t)).toList()), normType);
            Tensor coef = total.add(1e-6).rdiv(maxNorm).clampMax(1.0);
            assignAll(grads, grads.stream().map(g -> g.mul(coef.cast(g.dtype()))).toList());
            return total;
        }
    }

    /** Clamps every gradient element into {@code [-clip, clip]}. */
    public static void clipGradValue(List<Tensor> params, double clip) {
        if (!(clip >= 0)) {
            throw new IllegalArgumentException("clipGradValue: clip must be >= 0, got " + clip);
        }
        List<Tensor> grads = grads(params);
        try (var off = Janus.noGrad()) {
            assignAll(grads, grads.stream().map(g -> g.clamp(-clip, clip)).toList());
        }
    }

    /** The vector norm of a 1-D tensor: PyTorch's {@code linalg.vector_norm}. */
    private static Tensor norm(Tensor x, double p) {
        if (p == Double.POSITIVE_INFINITY) {
            return x.abs().max();
        }
        if (p == 0) {
            return x.ne(0.0).cast(x.dtype()).sum();
        }
        if (p == 1) {
            return x.abs().sum();
        }
        if (p == 2) {
            return x.mul(x).sum().sqrt();
        }
        return x.abs().pow(p).sum().pow(1 / p);
    }

    private static List<Tensor> grads(List<Tensor> params) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : params) {
            if (p.grad() != null) {
                out.add(p.grad());
            }
        }
        return out;
    }

    // NOTE: every new value is computed before any is written: autograd may hand two parameters gradients that
    // share one buffer (both inputs of an add get the same tensor), and writing in turn would scale it twice.
    private static void assignAll(List<Tensor> targets, List<Tensor> values) {
        for (int i = 0; i < targets.size(); i++) {
            targets.get(i).assign(values.get(i));
        }
    }
}
