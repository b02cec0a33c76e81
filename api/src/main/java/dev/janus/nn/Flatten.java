package dev.janus.nn;

import dev.janus.Tensor;

/**
 * Flattens axes {@code startDim..endDim} into one (defaults 1 and -1: everything but the batch axis).
 *
 * <pre>{@code Module head = new Sequential(new Flatten(), new Linear(16 * 5 * 5, 120));}</pre>
 */
public class Flatten extends Module {
    private final int startDim;
    private final int endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.flatten(startDim, endDim);
    }

    @Override
    protected String describe() {
        return "Flatten(" + startDim + ", " + endDim + ")";
    }
}
