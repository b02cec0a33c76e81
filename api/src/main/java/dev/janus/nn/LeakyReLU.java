package dev.janus.nn;

import dev.janus.Tensor;

/**
 * {@code x} where positive, else {@code negativeSlope · x} (default slope 0.01).
 *
 * <pre>{@code Module act = new LeakyReLU(0.2);}</pre>
 */
public class LeakyReLU extends Module {
    private final double negativeSlope;

    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.leakyRelu(x, negativeSlope);
    }

    @Override
    protected String describe() {
        return "LeakyReLU(negative slope " + negativeSlope + ")";
    }
}
