package dev.janus.nn;

import dev.janus.Tensor;

/**
 * Softmax along {@code dim} (which PyTorch also requires in practice).
 *
 * <pre>{@code Tensor probs = new Softmax(-1).forward(logits);}</pre>
 */
public class Softmax extends Module {
    private final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.softmax(dim);
    }

    @Override
    protected String describe() {
        return "Softmax(dim " + dim + ")";
    }
}
