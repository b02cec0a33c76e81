package dev.janus.trace;

import dev.janus.data.Example;
import dev.janus.train.StepCompiler;
import dev.janus.train.TrainStep;
import dev.janus.train.Trainer;

/**
 * The tracer as the {@link StepCompiler} behind {@code Trainer.traced(true)} (registered in
 * {@code META-INF/services}): a trainer's whole step — forward, loss, backward, optimizer step — traced into one
 * graph that updates the weights and optimizer state in place.
 */
public final class TracerStepCompiler implements StepCompiler {
    @Override
    public String name() {
        return "bytecode tracer";
    }

    @Override
    public TrainStep compile(Trainer trainer, Example example) {
        return new TracedTrainStep(trainer.model(), trainer.optimizer(), trainer.loss(), example);
    }
}
