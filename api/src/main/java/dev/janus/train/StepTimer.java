package dev.janus.train;

import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.data.Example;
import dev.janus.nn.Module;
import dev.janus.optim.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Times eager and compiled training steps on one batch, then puts the weights, the optimizer state and the
 * default generator back as they were, so the timing leaves no trace in the training.
 */
final class StepTimer {
    private StepTimer() {}

    static StepSpeed measure(Trainer trainer, Example batch, int steps, Optional<StepCompiler> compiler) {
        Module model = trainer.model();
        Optimizer opt = trainer.optimizer();
        Map<String, Tensor> weights = new LinkedHashMap<>();
        model.stateDict().forEach((k, t) -> weights.put(k, t.detach().copy()));
        Map<String, Object> optimizerState = opt.stateDict();
        Generator gen = Janus.defaultGenerator();
        long genState = gen.state();
        boolean wasTraining = model.isTraining();
        String shapes = type(batch.input()) + " -> " + type(batch.target());
        model.train();
        try {
            double eager = time(TrainStep.eager(model, opt, trainer.loss()), batch, steps);
            if (compiler.isEmpty()) {
                return new StepSpeed(steps, shapes, eager, Double.NaN, Double.NaN, null, "no StepCompiler on the class "
                        + "path, so only the eager step was timed (add janus-tracer to compare with a traced step)");
            }
            long start = System.nanoTime();
            TrainStep compiled;
            try {
                compiled = compiler.get().compile(trainer, batch);
            } catch (RuntimeException e) {
                return new StepSpeed(steps, shapes, eager, Double.NaN, Double.NaN, compiler.get().name(),
                        "compiling the step with the " + compiler.get().name() + " failed: " + e.getMessage());
            }
            double compileMillis = (System.nanoTime() - start) / 1e6;
            return new StepSpeed(steps, shapes, eager, time(compiled, batch, steps), compileMillis, compiler.get().name(),
                    null);
        } finally {
            model.loadStateDict(weights, true);
            opt.loadStateDict(optimizerState);
            gen.setState(genState);
            model.zeroGrad();
            if (!wasTraining) {
                model.eval();
            }
        }
    }

    /** Mean milliseconds per step after a warm-up; reading each loss waits for the step to finish. */
    private static double time(TrainStep step, Example batch, int steps) {
        int warmup = Math.max(2, steps / 5);
        for (int i = 0; i < warmup; i++) {
            step.run(batch).loss().item();
        }
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            step.run(batch).loss().item();
        }
        return (System.nanoTime() - start) / 1e6 / steps;
    }

    private static String type(Tensor t) {
        return t.dtype().shortName() + t.shape();
    }
}
