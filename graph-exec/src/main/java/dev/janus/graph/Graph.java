package dev.janus.graph;

import dev.janus.Tensor;
import dev.janus.ops.ShapeRules;
import dev.janus.ops.TensorSpec;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A static SSA graph in the style of ONNX: named inputs, parameters (live tensors, held by reference so the
 * graph always sees the current weights), constants, nodes in topological order, and outputs. Immutable once
 * built; passes make new graphs.
 *
 * <p>The text form ({@link #toString()}) is one node a line:
 * <pre>
 * graph(%x:f32[2, 3]) -&gt; (%4)
 *   param %fc.weight:f32[4, 3]
 *   %3:f32[2, 4] = matmul(%x, %fc.weight) {transA=false, transB=true}   # Net.java:18
 *   %4:f32[2, 4] = relu(%3)   # Net.java:18
 *   return %4
 * </pre>
 */
public final class Graph {
    private final List<Value> inputs;
    private final Map<Value, Tensor> parameters;
    private final Map<Value, Tensor> constants;
    private final List<Node> nodes;
    private final List<Value> outputs;

    public Graph(List<Value> inputs, Map<Value, Tensor> parameters, Map<Value, Tensor> constants, List<Node> nodes,
            List<Value> outputs) {
        this.inputs = List.copyOf(inputs);
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.constants = Collections.unmodifiableMap(new LinkedHashMap<>(constants));
        this.nodes = List.copyOf(nodes);
        this.outputs = List.copyOf(outputs);
    }

    public List<Value> inputs() {
        return inputs;
    }

    /** Parameter values and the live tensors they read (trainable weights, by reference). */
    public Map<Value, Tensor> parameters() {
        return parameters;
    }

    /** Constant values and their (frozen) tensors. */
    public Map<Value, Tensor> constants() {
        return constants;
    }

    public List<Node> nodes() {
        return nodes;
    }

    public List<Value> outputs() {
        return outputs;
    }

    /**
     * The enclosing values this graph reads (a subgraph's captures, ONNX style), in first-use order; empty
     * for a top-level graph.
     */
    public List<Value> capturedValues() {
        Set<Value> own = Collections.newSetFromMap(new IdentityHashMap<>());
        own.addAll(inputs);
        own.addAll(parameters.keySet());
        own.addAll(constants.keySet());
        Set<Value> captured = new java.util.LinkedHashSet<>();
        for (Node n : nodes) {
            for (Value v : n.uses()) {
                if (!own.contains(v)) {
                    captured.add(v);
                }
            }
            own.addAll(n.outputs());
        }
        for (Value v : outputs) {
            if (!own.contains(v)) {
                captured.add(v);
            }
        }
        return List.copyOf(captured);
    }

    /**
     * Checks the graph's invariants: every value defined exactly once and before its uses, every node's type
     * equal to what the op's shape rule infers from its inputs, and every output defined. Throws
     * {@link IllegalStateException} naming the node, its source line and the fix.
     */
    public void verify() {
        verify(Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    /**
     * Verifies this graph as a subgraph that may read {@code outer} (the values of the enclosing graphs
     * defined before the node that owns it). Values it defines do not leak out.
     */
    void verify(Set<Value> outer) {
        Set<Value> defined = Collections.newSetFromMap(new IdentityHashMap<>());
        defined.addAll(outer);
        for (Value v : inputs) {
            define(defined, v, "graph input");
        }
        for (Value v : parameters.keySet()) {
            define(defined, v, "parameter");
        }
        for (Map.Entry<Value, Tensor> c : constants.entrySet()) {
            define(defined, c.getKey(), "constant");
            TensorSpec actual = new TensorSpec(c.getValue().dtype(), c.getValue().shape());
            if (!actual.equals(c.getKey().spec())) {
                throw new IllegalStateException("graph verification: constant " + c.getKey() + " holds a tensor of type " + actual);
            }
        }
        for (Node n : nodes) {
            TensorSpec[] specs = new TensorSpec[n.inputs().size()];
            for (int i = 0; i < specs.length; i++) {
                Value in = n.inputs().get(i);
                if (!defined.contains(in)) {
                    throw new IllegalStateException("graph verification: node '" + n + "' uses " + in.ref()
                            + " before it is defined (nodes must be in topological order, values defined once)");
                }
                specs[i] = in.spec();
            }
            if (n.isControl()) {
                ControlFlowTypes.verify(n, defined);
            } else {
                TensorSpec inferred;
                try {
                    inferred = ShapeRules.infer(n.op(), n.attrs(), specs);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("graph verification: node '" + n + "' is ill-typed: " + e.getMessage(), e);
                }
                if (!inferred.equals(n.output().spec())) {
                    throw new IllegalStateException("graph verification: node '" + n + "' declares " + n.output().spec()
                            + " but its inputs give " + inferred);
                }
            }
            for (Value out : n.outputs()) {
                define(defined, out, "node '" + n + "'");
            }
        }
        for (Value v : outputs) {
            if (!defined.contains(v)) {
                throw new IllegalStateException("graph verification: output " + v.ref() + " is never defined");
            }
        }
    }

    private static void define(Set<Value> defined, Value v, String by) {
        if (!defined.add(v)) {
            throw new IllegalStateException("graph verification: " + v.ref() + " is defined twice (again by " + by
                    + "); SSA values are defined once");
        }
    }

    /** The text form: a header with the inputs, parameters and constants, one line a node, then the outputs. */
    @Override
    public String toString() {
        return toString("");
    }

    /** The text form with every line after the header prefixed by {@code indent} (subgraphs nest). */
    String toString(String indent) {
        StringBuilder sb = new StringBuilder("graph(");
        for (int i = 0; i < inputs.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(inputs.get(i));
        }
        sb.append(") -> (");
        for (int i = 0; i < outputs.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(outputs.get(i).ref());
        }
        sb.append(")\n");
        for (Value p : parameters.keySet()) {
            sb.append(indent).append("  param ").append(p).append('\n');
        }
        for (Map.Entry<Value, Tensor> c : constants.entrySet()) {
            sb.append(indent).append("  const ").append(c.getKey())
                    .append(c.getValue().numel() == 1 ? " = " + c.getValue().item() : "").append('\n');
        }
        for (Node n : nodes) {
            sb.append(indent).append("  ").append(n.toString(indent + "  ")).append('\n');
        }
        sb.append(indent).append("  return ");
        for (int i = 0; i < outputs.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(outputs.get(i).ref());
        }
        return sb.append('\n').toString();
    }

    /**
     * Graphviz DOT: one box per node labelled with op, type and source line; values as edges; subgraphs as
     * clusters. The same text {@code janus graph --out x.dot} writes ({@link dev.janus.graph.view.GraphPictures}).
     */
    public String toDot() {
        return dev.janus.graph.view.GraphPictures.dot(this, "janus");
    }
}
