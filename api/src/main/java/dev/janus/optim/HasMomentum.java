package dev.janus.optim;

/**
 * An optimizer whose momentum a scheduler may cycle ({@link OneCycleLR}): SGD's and RMSprop's
 * {@code momentum}, Adam's {@code beta1}, as PyTorch's {@code cycle_momentum} does.
 */
public interface HasMomentum {
    /** The momentum factor now in use. */
    double momentum();

    /** Sets the momentum factor for every parameter group. */
    void setMomentum(double momentum);
}
