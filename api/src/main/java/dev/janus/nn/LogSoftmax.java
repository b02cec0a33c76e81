package dev.janus.nn;

import dev.janus.Tensor;

/**
 * Log-softmax along {@code dim}, the input {@link F#nllLoss} expects.
 *
 * <pre>{@code Module head = new Sequential(new Linear(128, 10), new LogSoftmax(1));}</pre>
 */
public class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.logSoftmax(dim);
    }

    @Override
    protected String describe() {
        return "LogSoftmax(dim " + dim + ")";
    }
}
