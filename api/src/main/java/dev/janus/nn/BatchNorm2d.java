package dev.janus.nn;

import dev.janus.Tensor;

/**
 * Batch normalization over input [N, C, H, W], per channel C (eps 1e-5, momentum 0.1, affine, tracking
 * running statistics, as in PyTorch).
 *
 * <pre>{@code Module block = new Sequential(new Conv2d(3, 16, 3).padding(1), new BatchNorm2d(16), new ReLU());}</pre>
 */
public class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    public BatchNorm2d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    public Tensor forward(Tensor x) {
        checkInput(x, x.rank() == 4, "[N, C, H, W]");
        return super.forward(x);
    }
}
