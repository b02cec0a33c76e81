package dev.janus.graph;

import dev.janus.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A capture of a function that may write into live tensors: {@code assign} into a concrete tensor (an
 * optimizer's update of a parameter or of its state) and {@code loss.backward()} on a symbolic loss are
 * recorded, not performed. The graph's outputs are the function's results followed by the new value of each
 * written tensor; {@link #writeBack} carries out a run's writes, so the graph updates the same tensors the
 * eager code would. This is what {@link TrainingStep} is made of, for callers (the bytecode tracer) that
 * capture functions whose writes are not known in advance.
 *
 * <pre>{@code
 * StatefulCapture c = StatefulCapture.capture(GraphCapture.namesOf(model), in -> {
 *     opt.zeroGrad(); Tensor l = F.crossEntropy(model.forward(in[0]), in[1]); l.backward(); opt.step();
 *     return List.of(l); }, xSpec, ySpec);
 * CompiledGraph g = new CompiledGraph(PassManager.forExecution().apply(c.graph()));
 * Tensor loss = c.writeBack(g.run(x, y))[0];   // the parameters and momentum buffers are updated
 * }</pre>
 *
 * @param graph       the captured graph, unoptimized: outputs are the results, then the written values
 * @param resultCount how many of the graph's outputs are the function's results
 * @param targets     the live tensors a run writes, in output order (after the results)
 */
public record StatefulCapture(Graph graph, int resultCount, List<Tensor> targets) {
    public StatefulCapture {
        targets = List.copyOf(targets);
    }

    /**
     * Captures {@code fn} on inputs of the given types, with the tensors of {@code parameterNames} named. A
     * gradient that {@code backward()} set during the capture is reset afterwards to what it was, so no
     * recorded value leaks into eager code.
     */
    public static StatefulCapture capture(Map<Tensor, String> parameterNames, Function<Tensor[], List<Tensor>> fn,
            InputSpec... inputSpecs) {
        GraphBuilder b = new GraphBuilder(parameterNames);
        Tensor[] inputs = GraphCapture.inputs(b, inputSpecs);
        List<Tensor> results;
        try (var rec = dev.janus.ops.Dispatch.record(b)) {
            results = fn.apply(inputs);
        } finally {
            b.restoreGradients();
        }
        List<Tensor> outs = new ArrayList<>(results);
        for (Value v : b.updateValues()) {
            outs.add(b.symbolic(v));
        }
        Graph g = b.build(outs);
        g.verify();
        return new StatefulCapture(g, results.size(), b.updateTargets());
    }

    /** True when running the graph writes live tensors. */
    public boolean writes() {
        return !targets.isEmpty();
    }

    /**
     * Writes the new values among {@code outputs} (one run's outputs of {@link #graph()} or of a graph
     * optimized from it) into {@link #targets()} and returns the results.
     */
    public Tensor[] writeBack(Tensor[] outputs) {
        if (outputs.length != resultCount + targets.size()) {
            throw new IllegalArgumentException("expected " + (resultCount + targets.size()) + " outputs (" + resultCount
                    + " results and " + targets.size() + " written tensors), got " + outputs.length);
        }
        for (int i = 0; i < targets.size(); i++) {
            targets.get(i).assign(outputs[resultCount + i]);
        }
        Tensor[] results = new Tensor[resultCount];
        System.arraycopy(outputs, 0, results, 0, resultCount);
        return results;
    }
}
