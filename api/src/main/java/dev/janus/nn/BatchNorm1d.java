package dev.janus.nn;

import dev.janus.Tensor;

/**
 * Batch normalization over input [N, C] or [N, C, L], per channel C (eps 1e-5, momentum 0.1, affine, tracking
 * running statistics, as in PyTorch).
 *
 * <pre>{@code Module mlp = new Sequential(new Linear(64, 32), new BatchNorm1d(32), new ReLU());}</pre>
 */
public class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    public BatchNorm1d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    public Tensor forward(Tensor x) {
        checkInput(x, x.rank() == 2 || x.rank() == 3, "[N, C] or [N, C, L]");
        return super.forward(x);
    }
}
