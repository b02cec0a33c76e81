package dev.janus.train;

import dev.janus.Tensor;
import dev.janus.data.Example;
import dev.janus.nn.Module;
import dev.janus.optim.Optimizer;
import java.util.function.BiFunction;

/**
 * One training step on a batch: clear the gradients, forward, loss, backward, optimizer step. {@link Trainer#fit}
 * runs one per batch, eagerly ({@link #eager}) or as a compiled graph that a {@link StepCompiler} made.
 *
 * <pre>{@code
 * TrainStep step = TrainStep.eager(model, opt, F::crossEntropy);
 * TrainStep.Result r = step.run(new Example(x, y));   // the parameters are updated
 * double loss = r.loss().item();
 * }</pre>
 */
public interface TrainStep {
    /**
     * What a step gives back.
     *
     * @param loss   the batch's loss, a scalar
     * @param output the model's output for the batch (what the metrics read)
     */
    record Result(Tensor loss, Tensor output) {}

    /** Runs one step on {@code batch}, updating the parameters and the optimizer state in place. */
    Result run(Example batch);

    /** The step as eager code: every op runs at once and autograd computes the gradients. */
    static TrainStep eager(Module model, Optimizer optimizer, BiFunction<Tensor, Tensor, Tensor> loss) {
        return batch -> {
            optimizer.zeroGrad();
            Tensor output = model.forward(batch.input());
            Tensor l = loss.apply(output, batch.target());
            l.backward();
            optimizer.step();
            return new Result(l, output);
        };
    }
}
