package dev.janus.graph;

import dev.janus.Tensor;
import dev.janus.graph.passes.PassManager;
import dev.janus.nn.Module;
import dev.janus.ops.Dispatch;
import dev.janus.ops.TensorSpec;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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
    private final Graph graph;
    private final List<Tensor> targets;
    private final CompiledGraph executable;

    private TrainingStep(Graph graph, List<Tensor> targets) {
        this.graph = graph;
        this.targets = targets;
        this.executable = new CompiledGraph(PassManager.forExecution().apply(graph));
    }

    /** Captures {@code step} (which returns the loss) with {@code model}'s parameters named by path. */
    public static TrainingStep capture(Module model, Function<Tensor[], Tensor> step, TensorSpec... inputSpecs) {
        Map<Tensor, String> names = new IdentityHashMap<>();
        model.namedParameters().forEach((k, v) -> names.put(v, k));
        model.namedBuffers().forEach((k, v) -> names.put(v, k));
        GraphBuilder b = new GraphBuilder(names);
        Tensor[] inputs = new Tensor[inputSpecs.length];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = b.input("x" + i, inputSpecs[i]);
        }
        Tensor loss;
        try (var rec = Dispatch.record(b)) {
            loss = step.apply(inputs);
        } finally {
            for (Tensor p : model.parameters()) {
                if (p.grad() instanceof SymbolicTensor) {
                    p.setGrad(null); // recorded gradients must not leak into eager code
                }
            }
        }
        List<Tensor> outs = new ArrayList<>();
        outs.add(loss);
        for (Value v : b.updateValues()) {
            outs.add(b.symbolic(v));
        }
        Graph g = b.buildWith(new ArrayList<>(), outs);
        g.verify();
        return new TrainingStep(g, b.updateTargets());
    }

    /**
     * The captured graph (before optimization; each run executes it optimized and fused): outputs are the
     * loss, then the new value of each updated tensor.
     */
    public Graph graph() {
        return graph;
    }

    /** The live tensors each run writes (parameters, optimizer state), in output order. */
    public List<Tensor> targets() {
        return List.copyOf(targets);
    }

    /** Runs one step: returns the loss and updates the parameters and optimizer state in place. */
    public Tensor run(Tensor... inputs) {
        Tensor[] out = executable.run(inputs);
        for (int i = 0; i < targets.size(); i++) {
            targets.get(i).assign(out[1 + i]);
        }
        return out[0];
    }
}
