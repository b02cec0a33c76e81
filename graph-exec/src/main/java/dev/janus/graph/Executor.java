package dev.janus.graph;

import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.ops.Dispatch;
import dev.janus.ops.TensorSpec;
import java.util.List;
import java.util.Map;

/**
 * Runs a verified graph: an interpreter with one overridable method per node ({@link #runNode}), in the
 * style of torch.fx's Interpreter, so profiling and debugging are subclasses. Each call keeps its values in a
 * local array, so many threads may run one executor at once. No autograd bookkeeping; a failing node is
 * reported with its source line ({@link GraphExecutionException}).
 */
public class Executor {
    private final Graph graph;
    private final int slots;

    public Executor(Graph graph) {
        graph.verify();
        this.graph = graph;
        this.slots = GraphRewriter.maxId(graph) + 1;
    }

    public Graph graph() {
        return graph;
    }

    /** Runs the graph on {@code inputs} (types must match the graph's inputs) and returns its outputs. */
    public Tensor[] run(Tensor... inputs) {
        List<Value> formal = graph.inputs();
        if (inputs.length != formal.size()) {
            throw new IllegalArgumentException("the graph takes " + formal.size() + " inputs, got " + inputs.length);
        }
        Tensor[] env = new Tensor[slots];
        for (int i = 0; i < inputs.length; i++) {
            TensorSpec actual = new TensorSpec(inputs[i].dtype(), inputs[i].shape());
            if (!actual.equals(formal.get(i).spec())) {
                throw new IllegalArgumentException("graph input " + formal.get(i).ref() + " expects " + formal.get(i).spec()
                        + ", got " + actual);
            }
            env[formal.get(i).id()] = inputs[i];
        }
        for (Map.Entry<Value, Tensor> p : graph.parameters().entrySet()) {
            env[p.getKey().id()] = p.getValue().detach();
        }
        for (Map.Entry<Value, Tensor> c : graph.constants().entrySet()) {
            env[c.getKey().id()] = c.getValue();
        }
        try (var g = Janus.noGrad()) {
            for (Node n : graph.nodes()) {
                Tensor[] args = new Tensor[n.inputs().size()];
                for (int i = 0; i < args.length; i++) {
                    args[i] = env[n.inputs().get(i).id()];
                }
                try {
                    env[n.output().id()] = runNode(n, args);
                } catch (GraphExecutionException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new GraphExecutionException(n, e);
                }
            }
        }
        Tensor[] out = new Tensor[graph.outputs().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = env[graph.outputs().get(i).id()];
        }
        return out;
    }

    /** Runs one node on concrete inputs; override to observe or replace node execution. */
    protected Tensor runNode(Node node, Tensor[] args) {
        return Dispatch.apply(node.op(), node.attrs(), args);
    }
}
