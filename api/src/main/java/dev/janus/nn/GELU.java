package dev.janus.nn;

import dev.janus.Tensor;

/**
 * Gaussian error linear unit: exact ({@code approximate = "none"}, the default) or the tanh approximation.
 *
 * <pre>{@code Module act = new GELU("tanh");}</pre>
 */
public class GELU extends Module {
    private final String approximate;

    public GELU() {
        this("none");
    }

    /** {@code "none"} or {@code "tanh"}. */
    public GELU(String approximate) {
        if (!"none".equals(approximate) && !"tanh".equals(approximate)) {
            throw new IllegalArgumentException("GELU approximate must be 'none' or 'tanh', got '" + approximate + "'");
        }
        this.approximate = approximate;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.gelu(x, approximate);
    }

    @Override
    protected String describe() {
        return "none".equals(approximate) ? "GELU" : "GELU(approximate " + approximate + ")";
    }
}
