package dev.janus.train;

import dev.janus.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops training when {@code monitor} has not improved by more than {@code minDelta} for {@code patience}
 * epochs; optionally restores the best weights at the end. Quantities whose name contains "loss" improve
 * downwards, others (accuracy) upwards, unless a mode is given.
 */
public final class EarlyStopping implements Callback {
    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final boolean minimize;
    private boolean restoreBest;
    private double best;
    private int wait;
    private int stoppedEpoch = -1;
    private Map<String, Tensor> bestState;

    public EarlyStopping(String monitor, int patience) {
        this(monitor, patience, 0, monitor.contains("loss"));
    }

    public EarlyStopping(String monitor, int patience, double minDelta, boolean minimize) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be ≥ 0, got " + patience);
        }
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = Math.abs(minDelta);
        this.minimize = minimize;
    }

    /** Restores the weights of the best epoch when training ends. Returns this. */
    public EarlyStopping restoreBestWeights() {
        restoreBest = true;
        return this;
    }

    /** The epoch after which training stopped, or -1 if it ran to the end. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        best = minimize ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        wait = 0;
        stoppedEpoch = -1;
        bestState = null;
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {
        Double v = logs.get(monitor);
        if (v == null) {
            throw new IllegalArgumentException("EarlyStopping monitors '" + monitor + "' but the logs have " + logs.keySet());
        }
        boolean improved = minimize ? v < best - minDelta : v > best + minDelta;
        if (improved) {
            best = v;
            wait = 0;
            if (restoreBest) {
                bestState = snapshot(trainer);
            }
        } else if (++wait > patience) {
            stoppedEpoch = epoch;
            trainer.stop();
        }
    }

    @Override
    public void onTrainEnd(Trainer trainer) {
        if (restoreBest && bestState != null) {
            trainer.model().loadStateDict(bestState, true);
        }
    }

    static Map<String, Tensor> snapshot(Trainer trainer) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        trainer.model().stateDict().forEach((k, t) -> copy.put(k, t.detach().copy()));
        return copy;
    }
}
