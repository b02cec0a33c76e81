package dev.janus.train;

import java.util.Map;

/**
 * Hooks into {@link Trainer#fit}. Every method has an empty default, so a callback overrides only what it
 * needs; {@code logs} holds the figures so far ({@code loss}, metric names, {@code val_loss}, ...).
 *
 * <pre>{@code trainer.callback(new Callback() {
 *     public void onEpochEnd(Trainer t, int epoch, Map<String, Double> logs) { System.out.println(logs); }
 * });}</pre>
 */
public interface Callback {
    default void onTrainBegin(Trainer trainer) {}

    default void onEpochBegin(Trainer trainer, int epoch) {}

    default void onBatchEnd(Trainer trainer, int epoch, int batch, Map<String, Double> logs) {}

    default void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {}

    default void onTrainEnd(Trainer trainer) {}
}
