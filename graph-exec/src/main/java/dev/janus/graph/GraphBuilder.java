package dev.janus.graph;

import dev.janus.Tensor;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.ShapeRules;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Engine;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recording side of one capture: the engine of its {@link SymbolicTensor}s. Each op on them runs the
 * op's shape rule (so a bad shape fails now, naming the op and the source line) and appends a node. Eager
 * tensors that meet symbolic ones become parameters (when they require gradients or have a known name; held
 * by reference) or constants.
 */
final class GraphBuilder implements Engine {
    /** Outranks the eager engine (0), so eager weights meeting a symbolic input are recorded, not run. */
    static final int PRIORITY = 10;

    private final List<Value> inputs = new ArrayList<>();
    private final Map<Value, Tensor> parameters = new LinkedHashMap<>();
    private final Map<Value, Tensor> constants = new LinkedHashMap<>();
    private final Map<Tensor, Value> lifted = new IdentityHashMap<>();
    private final Map<Tensor, String> parameterNames;
    private final List<Node> nodes = new ArrayList<>();
    private int nextId;
    /** When set, new nodes carry this location (gradient nodes inherit their forward node's line). */
    private SourceLocation locationOverride;

    GraphBuilder(Map<Tensor, String> parameterNames) {
        this.parameterNames = parameterNames;
    }

    /** A builder that continues {@code g}: same values, nodes and parameters; new nodes are appended. */
    static GraphBuilder continuing(Graph g) {
        GraphBuilder b = new GraphBuilder(Map.of());
        b.inputs.addAll(g.inputs());
        b.parameters.putAll(g.parameters());
        b.constants.putAll(g.constants());
        g.parameters().forEach((v, t) -> b.lifted.put(t, v));
        b.nodes.addAll(g.nodes());
        int max = -1;
        for (Value v : g.inputs()) {
            max = Math.max(max, v.id());
        }
        for (Value v : g.parameters().keySet()) {
            max = Math.max(max, v.id());
        }
        for (Value v : g.constants().keySet()) {
            max = Math.max(max, v.id());
        }
        for (Node n : g.nodes()) {
            max = Math.max(max, n.output().id());
        }
        b.nextId = max + 1;
        return b;
    }

    /** A symbolic tensor for an existing value of this builder's graph. */
    SymbolicTensor symbolic(Value v) {
        return new SymbolicTensor(v, this);
    }

    void locationOverride(SourceLocation where) {
        this.locationOverride = where;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    SymbolicTensor input(String name, TensorSpec spec) {
        Value v = new Value(nextId++, spec, name);
        inputs.add(v);
        return new SymbolicTensor(v, this);
    }

    @Override
    public Tensor apply(Op op, Attrs attrs, Tensor... in) {
        SourceLocation where = locationOverride != null ? locationOverride : SourceLocation.ofCaller();
        List<Value> values = new ArrayList<>(in.length);
        TensorSpec[] specs = new TensorSpec[in.length];
        for (int i = 0; i < in.length; i++) {
            Value v = valueOf(in[i], op, where);
            values.add(v);
            specs[i] = v.spec();
        }
        TensorSpec out;
        try {
            out = ShapeRules.infer(op, attrs, specs);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (recorded at " + where + ")", e);
        }
        Node n = new Node(op, attrs, values, new Value(nextId++, out, null), where);
        nodes.add(n);
        return new SymbolicTensor(n.output(), this);
    }

    private Value valueOf(Tensor t, Op op, SourceLocation where) {
        if (t instanceof SymbolicTensor s) {
            if (s.builder() != this) {
                throw new IllegalArgumentException("op '" + op.opName() + "' at " + where
                        + " mixes tensors of two different graph captures");
            }
            return s.value();
        }
        return lifted.computeIfAbsent(t, x -> {
            TensorSpec spec = new TensorSpec(x.dtype(), x.shape());
            String name = parameterNames.get(x);
            if (name != null || x.requiresGrad()) {
                Value v = new Value(nextId++, spec, name != null ? name : "param" + parameters.size());
                parameters.put(v, x);
                return v;
            }
            Value v = new Value(nextId++, spec, null);
            constants.put(v, x.detach().copy());
            return v;
        });
    }

    Graph build(List<Tensor> outputs) {
        return buildWith(new ArrayList<>(), outputs);
    }

    /** Builds with {@code outs} (already values of this graph) followed by {@code outputs}. */
    Graph buildWith(List<Value> outs, List<Tensor> outputs) {
        for (Tensor t : outputs) {
            if (t instanceof SymbolicTensor s && s.builder() != this) {
                throw new IllegalArgumentException("a graph output belongs to another graph capture");
            }
            // an output computed without the inputs (a constant gradient, say) becomes a constant of the graph
            outs.add(valueOf(t, Op.CAST, SourceLocation.UNKNOWN));
        }
        return new Graph(inputs, parameters, constants, nodes, outs);
    }
}
