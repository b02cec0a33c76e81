package dev.janus.train;

import dev.janus.Tensor;
import dev.janus.nn.Module;
import java.util.Map;

/**
 * Keeps the weights of the best epoch by {@code monitor}, and hands them to a {@link Saver} each time they
 * improve (for example one that writes a safetensors file). {@link #bestState()} gives the kept copy.
 */
public final class ModelCheckpoint implements Callback {
    /** Persists a model's state; called with the model after an improving epoch. */
    @FunctionalInterface
    public interface Saver {
        void save(Module model, int epoch, double value) throws java.io.IOException;
    }

    private final String monitor;
    private final boolean minimize;
    private final Saver saver;
    private double best;
    private int bestEpoch = -1;
    private Map<String, Tensor> bestState;

    public ModelCheckpoint(String monitor, Saver saver) {
        this(monitor, monitor.contains("loss"), saver);
    }

    public ModelCheckpoint(String monitor, boolean minimize, Saver saver) {
        this.monitor = monitor;
        this.minimize = minimize;
        this.saver = saver;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        best = minimize ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        bestEpoch = -1;
        bestState = null;
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {
        Double v = logs.get(monitor);
        if (v == null) {
            throw new IllegalArgumentException("ModelCheckpoint monitors '" + monitor + "' but the logs have " + logs.keySet());
        }
        if (minimize ? v < best : v > best) {
            best = v;
            bestEpoch = epoch;
            bestState = EarlyStopping.snapshot(trainer);
            if (saver != null) {
                try {
                    saver.save(trainer.model(), epoch, v);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("checkpoint after epoch " + (epoch + 1) + " failed", e);
                }
            }
        }
    }

    public int bestEpoch() {
        return bestEpoch;
    }

    public double bestValue() {
        return best;
    }

    /** A copy of the best epoch's parameters and buffers, or null before the first epoch. */
    public Map<String, Tensor> bestState() {
        return bestState;
    }
}
