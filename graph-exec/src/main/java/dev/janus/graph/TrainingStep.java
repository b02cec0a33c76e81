package dev.janus.graph;

import dev.janus.Tensor;
import dev.janus.graph.passes.PassManager;
import dev.janus.nn.Module;
import dev.janus.ops.TensorSpec;
import java.util.List;
import java.util.function.Function;

/**
 * A whole training step — forward, loss, {@code loss.backward()}, {@code optimizer.step()} — captured as one
 * graph. Running it computes the loss and then writes the new parameter values and optimizer state into the
 * same live tensors the eager code updates, so eager and graph steps can be interleaved.
 *
 * <pre>{@code
 * step.run(x, y);                       // warm-up eagerly first, so the optimizer's state exists
 * TrainingStep s = TrainingStep.capture(model, in -> { opt.zeroGrad(); Tensor l = F.crossEntropy(model.forward(in[0]), in[1]);
 *                                                       l.backward(); opt.step(); return l; }, xSpec, ySpec);
 * Tensor loss = s.run(x, y);
 * }</pre>
 *
 * <p>Limits: capture after at least one eager step — an optimizer that creates its state on the first step
 * would otherwise record its first-step branch. Java values an optimizer computes are recorded as
 * constants, so the optimizers that replay exactly are those with no step-dependent Java arithmetic: SGD (momentum, dampening, Nesterov, weight decay) and Adam/AdamW, which
 * derive their bias corrections from a step tensor ({@code Optimizer.State#countedStep}). The learning rate
 * is recorded as a constant: capture again after a scheduler changes it.
 */
public final class TrainingStep {
    private final StatefulCapture capture;
    private final CompiledGraph executable;

    private TrainingStep(StatefulCapture capture) {
        this.capture = capture;
        this.executable = new CompiledGraph(PassManager.forExecution().apply(capture.graph()));
    }

    /** Captures {@code step} (which returns the loss) with {@code model}'s parameters named by path. */
    public static TrainingStep capture(Module model, Function<Tensor[], Tensor> step, TensorSpec... inputSpecs) {
        InputSpec[] specs = new InputSpec[inputSpecs.length];
        for (int i = 0; i < specs.length; i++) {
            specs[i] = InputSpec.of(inputSpecs[i]).named("x" + i);
        }
        return new TrainingStep(StatefulCapture.capture(GraphCapture.namesOf(model), in -> List.of(step.apply(in)),
                specs));
    }

    /**
     * The captured graph (before optimization; each run executes it optimized and fused): outputs are the
     * loss, then the new value of each updated tensor.
     */
    public Graph graph() {
        return capture.graph();
    }

    /** The live tensors each run writes (parameters, optimizer state), in output order. */
    public List<Tensor> targets() {
        return capture.targets();
    }

    /** Runs one step: returns the loss and updates the parameters and optimizer state in place. */
    public Tensor run(Tensor... inputs) {
        return capture.writeBack(executable.run(inputs))[0];
    }
}
