package dev.janus.train;

import dev.janus.optim.LRScheduler;
import java.util.Map;

/** Steps a learning-rate scheduler after every epoch, or after every batch (for warmup and one-cycle). */
public final class LRSchedulerCallback implements Callback {
    private final LRScheduler scheduler;
    private final boolean perBatch;

    public LRSchedulerCallback(LRScheduler scheduler, boolean perBatch) {
        this.scheduler = scheduler;
        this.perBatch = perBatch;
    }

    @Override
    public void onBatchEnd(Trainer trainer, int epoch, int batch, Map<String, Double> logs) {
        if (perBatch) {
            scheduler.step();
        }
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {
        if (!perBatch) {
            scheduler.step();
        }
    }
}
