package dev.janus.optim;

import dev.janus.Tensor;

/** Helpers that give parameters exact, chosen gradients through the public autograd API. */
final class TestGrads {
    private TestGrads() {}

    /** Sets {@code p.grad()} to exactly {@code g}: the gradient of {@code sum(p * g)}. */
    static void set(Tensor p, double... g) {
        p.zeroGrad();
        p.mul(Tensor.of(g, p.shape().dims()).cast(p.dtype())).sum().backward();
    }

    /** A float64 parameter (so the checks can be tight) holding {@code values}. */
    static Tensor param(double... values) {
        return Tensor.of(values.clone()).requiresGrad(true);
    }
}
