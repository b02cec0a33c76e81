package dev.janus.nn;

import dev.janus.DType;
import dev.janus.Janus;
import dev.janus.Tensor;

/**
 * What {@link BatchNorm1d} and {@link BatchNorm2d} share (PyTorch's {@code _BatchNorm}): weight = 1 and
 * bias = 0 when affine, buffers {@code running_mean} = 0, {@code running_var} = 1 and
 * {@code num_batches_tracked} when tracking running statistics. Training normalizes with the batch's
 * statistics and updates the running ones with {@code momentum}; evaluation uses the running ones.
 */
public abstract class BatchNorm extends Module {
    public final Tensor weight;
    public final Tensor bias;
    public final Tensor runningMean;
    public final Tensor runningVar;
    public final Tensor numBatchesTracked;
    private final int numFeatures;
    private final double eps;
    private final double momentum;

    protected BatchNorm(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0 || !(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " needs numFeatures > 0, eps > 0 and momentum"
                    + " in [0, 1], got " + numFeatures + ", " + eps + ", " + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        weight = affine ? registerParameter("weight", Tensor.ones(numFeatures)) : null;
        bias = affine ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
        runningMean = trackRunningStats ? registerBuffer("running_mean", Tensor.zeros(numFeatures)) : null;
        runningVar = trackRunningStats ? registerBuffer("running_var", Tensor.ones(numFeatures)) : null;
        numBatchesTracked = trackRunningStats ? registerBuffer("num_batches_tracked", Tensor.zeros(DType.INT64)) : null;
    }

    /** Throws unless {@code x} has a rank this layer accepts; {@code expected} names them for the message. */
    protected void checkInput(Tensor x, boolean rankOk, String expected) {
        if (!rankOk || x.dim(1) != numFeatures) {
            throw new IllegalArgumentException(describe() + " needs input " + expected + " with C = " + numFeatures
                    + ", got " + x.shape());
        }
        if (isTraining() && x.numel() == numFeatures) {
            throw new IllegalArgumentException(describe() + ": training needs more than one value per channel, got input "
                    + x.shape());
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        boolean batchStats = isTraining() || runningMean == null;
        if (isTraining() && numBatchesTracked != null) {
            try (var g = Janus.noGrad()) {
                numBatchesTracked.assign(numBatchesTracked.add(1L));
            }
        }
        return F.batchNorm(x, runningMean, runningVar, weight, bias, batchStats, momentum, eps);
    }

    @Override
    protected String describe() {
        return getClass().getSimpleName() + "(" + numFeatures + ", eps " + eps + ", momentum " + momentum
                + (weight == null ? ", no affine" : "") + (runningMean == null ? ", no running stats" : "") + ")";
    }
}
