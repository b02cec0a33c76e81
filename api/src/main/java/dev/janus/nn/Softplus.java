package dev.janus.nn;

import dev.janus.Tensor;

/**
 * {@code log(1 + e^(beta·x)) / beta}, linear where {@code beta·x > threshold} (defaults 1 and 20).
 *
 * <pre>{@code Module act = new Softplus(2, 20);}</pre>
 */
public class Softplus extends Module {
    private final double beta;
    private final double threshold;

    public Softplus() {
        this(1, 20);
    }

    public Softplus(double beta, double threshold) {
        if (!(beta > 0)) {
            throw new IllegalArgumentException("Softplus beta must be positive, got " + beta);
        }
        this.beta = beta;
        this.threshold = threshold;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.softplus(x, beta, threshold);
    }

    @Override
    protected String describe() {
        return "Softplus(beta " + beta + ", threshold " + threshold + ")";
    }
}
