package dev.janus.train;

import dev.janus.data.Example;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Turns a trainer's step (model forward, loss, backward, optimizer step) into a faster {@link TrainStep}, such as
 * one traced graph. janus-tracer provides one; {@link #find()} looks it up with {@link ServiceLoader}, so this
 * module does not depend on the tracer. {@link Trainer#traced(boolean)} and {@link TrainingReport}'s speed
 * figures use it.
 *
 * <pre>{@code
 * StepCompiler c = StepCompiler.find().orElseThrow();
 * TrainStep fast = c.compile(trainer, firstBatch);   // after one eager step: the optimizer has its state
 * }</pre>
 */
public interface StepCompiler {
    /** A short name for logs and reports, e.g. {@code "bytecode tracer"}. */
    String name();

    /**
     * Compiles {@code trainer}'s step for batches like {@code example} (same dtypes and shapes). Call it after
     * the optimizer has taken a step, so its state exists. The returned step must run any batch correctly:
     * one it was not compiled for (a smaller last batch) may run eagerly. Throws when the step cannot be
     * compiled, naming the reason.
     */
    TrainStep compile(Trainer trainer, Example example);

    /** The first compiler on the class path, or empty when there is none (janus-tracer is absent). */
    static Optional<StepCompiler> find() {
        return ServiceLoader.load(StepCompiler.class).findFirst();
    }
}
