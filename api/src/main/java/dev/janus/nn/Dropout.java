package dev.janus.nn;

import dev.janus.Tensor;

/**
 * Inverted dropout: in training mode zeroes each element with probability {@code p} and scales the rest by
 * {@code 1/(1-p)}; in evaluation mode ({@link Module#eval()}) it is the identity.
 *
 * <pre>{@code Module head = new Sequential(new Dropout(0.5), new Linear(512, 10));}</pre>
 */
public class Dropout extends Module {
    private final double p;

    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + p);
        }
        this.p = p;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.dropout(x, p, isTraining());
    }

    @Override
    protected String describe() {
        return "Dropout(p " + p + ")";
    }
}
