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
import java.util.Optional;

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
    /** The builder of the enclosing graph while this one records a subgraph (a branch, a loop body), else null. */
    private GraphBuilder parent;
    /** Recorded writes into concrete tensors (parameters, optimizer state), carried out after a run. */
    private final List<Tensor> updateTargets = new ArrayList<>();
    private final List<Value> updateValues = new ArrayList<>();
    /** The gradient each tensor had before {@link #recordBackward} first set it, by identity. */
    private final Map<Tensor, Optional<Tensor>> gradientsBefore = new IdentityHashMap<>();
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
        b.nextId = GraphRewriter.maxId(g) + 1;
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
        return input(name, spec, 0L);
    }

    /** A graph input whose dims flagged in {@code dynamicDims} may change from call to call. */
    SymbolicTensor input(String name, TensorSpec spec, long dynamicDims) {
        Value v = new Value(nextId++, spec, name, dynamicDims);
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
        Attrs recorded = DynamicDims.generalize(op, attrs, values);
        long dynamic = DynamicDims.of(op, recorded, values, out);
        Node n = new Node(op, recorded, values, new Value(nextId++, out, null, dynamic), where);
        nodes.add(n);
        return new SymbolicTensor(n.output(), this);
    }

    private Value valueOf(Tensor t, Op op, SourceLocation where) {
        if (t instanceof SymbolicTensor s) {
            if (!s.builder().isSelfOrAncestorOf(this)) {
                throw foreignValue(s, op, where);
            }
            return s.value();
        }
        if (parent != null) {
            return liftAtRoot(t, op, where);
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
            try (var eager = dev.janus.ops.Dispatch.record(null)) { // the snapshot itself is not recorded
                constants.put(v, x.detach().copy());
            }
            return v;
        });
    }

    /**
     * {@code target.assign(value)} during a capture: the write is recorded, and later reads of {@code target}
     * in the same capture see {@code value}, as they would eagerly.
     */
    @Override
    public void recordAssign(Tensor target, Tensor value) {
        requireTopLevel("assign into a concrete tensor");
        Tensor v = value.cast(target.dtype()).expand(target.shape().dims());
        if (!v.shape().equals(target.shape())) {
            throw new IllegalArgumentException("assign: source " + value.shape() + " does not fit " + target.shape()
                    + " (recorded at " + SourceLocation.ofCaller() + ")");
        }
        Value newValue = valueOf(v, Op.CAST, SourceLocation.ofCaller());
        Value old = lifted.get(target);
        if (old != null && constants.containsKey(old)) {
            // a tensor the graph writes is state, not a constant: read it by reference on every run
            constants.remove(old);
            parameters.put(old, target);
        }
        int at = indexOfIdentity(updateTargets, target);
        if (at >= 0) {
            updateValues.set(at, newValue);
        } else {
            updateTargets.add(target);
            updateValues.add(newValue);
        }
        lifted.put(target, newValue);
    }

    private static int indexOfIdentity(List<Tensor> list, Tensor t) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == t) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code loss.backward()} during a capture: differentiates what was recorded so far and sets each
     * trainable parameter's gradient to its recorded value (accumulating onto an existing gradient).
     */
    void recordBackward(SymbolicTensor loss) {
        requireTopLevel("backward()");
        List<Value> wrt = new ArrayList<>();
        List<Tensor> live = new ArrayList<>();
        parameters.forEach((v, t) -> {
            if (t.requiresGrad() && lifted.get(t) == v) {
                wrt.add(v);
                live.add(t);
            }
        });
        Map<Value, Tensor> grads = Autodiff.reverse(this, List.copyOf(nodes), loss.value(), wrt);
        for (int i = 0; i < wrt.size(); i++) {
            Tensor g = grads.get(wrt.get(i));
            if (g != null) {
                Tensor p = live.get(i);
                Tensor old = p.grad();
                if (!gradientsBefore.containsKey(p)) {
                    gradientsBefore.put(p, Optional.ofNullable(old));
                }
                p.setGrad(old == null ? g : old.add(g));
            }
        }
    }

    /** Gives every gradient {@link #recordBackward} set back the value it had before (recorded values must not leak). */
    void restoreGradients() {
        gradientsBefore.forEach((p, old) -> p.setGrad(old.orElse(null)));
        gradientsBefore.clear();
    }

    /** The recorded writes: targets, in order, and the values to write. */
    List<Tensor> updateTargets() {
        return List.copyOf(updateTargets);
    }

    List<Value> updateValues() {
        return List.copyOf(updateValues);
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

    // ---- subgraphs: ControlFlow and Autodiff record branches and loop bodies into child builders ----
    // NOTE: value ids are unique across a graph and all its subgraphs (the executor keys its environment by
    // id), so only the innermost active builder draws ids; the counter is handed down to a child when it
    // starts and back when it ends.

    /** A builder for a subgraph of this graph: it may read this graph's values; eager tensors lift to the root. */
    GraphBuilder child() {
        GraphBuilder c = new GraphBuilder(parameterNames);
        c.parent = this;
        c.nextId = nextId;
        return c;
    }

    /** Takes the id counter back from a finished {@link #child()}. */
    void endChild(GraphBuilder child) {
        nextId = Math.max(nextId, child.nextId);
    }

    private void requireTopLevel(String what) {
        if (parent != null) {
            throw new UnsupportedOperationException(what + " inside a recorded branch or loop body (at "
                    + SourceLocation.ofCaller() + "): do it after the control flow, on its outputs");
        }
    }

    private boolean isSelfOrAncestorOf(GraphBuilder b) {
        for (GraphBuilder x = b; x != null; x = x.parent) {
            if (x == this) {
                return true;
            }
        }
        return false;
    }

    private GraphBuilder root() {
        GraphBuilder r = this;
        while (r.parent != null) {
            r = r.parent;
        }
        return r;
    }

    /** Parameters stay in one place: an eager tensor met inside a subgraph becomes a root parameter or constant. */
    private Value liftAtRoot(Tensor t, Op op, SourceLocation where) {
        GraphBuilder root = root();
        root.nextId = Math.max(root.nextId, nextId);
        Value v = root.valueOf(t, op, where);
        nextId = Math.max(nextId, root.nextId);
        return v;
    }

    private IllegalArgumentException foreignValue(SymbolicTensor s, Op op, SourceLocation where) {
        if (s.builder().root() == root()) {
            return new IllegalArgumentException("op '" + op.opName() + "' at " + where + " reads " + s.value().ref()
                    + ", which was recorded inside another branch or loop body; return it from that subgraph and use "
                    + "the control op's output instead");
        }
        return new IllegalArgumentException("op '" + op.opName() + "' at " + where
                + " mixes tensors of two different graph captures");
    }

    /** The value {@code t} stands for here: its own, an enclosing graph's, or a lifted parameter or constant. */
    Value lift(Tensor t, SourceLocation where) {
        return valueOf(t, Op.CAST, where);
    }

    /** A new value of this graph (a control node's output), numbered from the shared counter. */
    Value newValue(TensorSpec spec, long dynamicDims) {
        return new Value(nextId++, spec, null, dynamicDims);
    }

    /** A new input of this subgraph (a loop body's iteration number, condition or carried value). */
    SymbolicTensor subgraphInput(TensorSpec spec, long dynamicDims) {
        Value v = newValue(spec, dynamicDims);
        inputs.add(v);
        return new SymbolicTensor(v, this);
    }

    /** Appends a node built elsewhere (a control node whose subgraphs were recorded by child builders). */
    void append(Node n) {
        nodes.add(n);
    }

    /** The nodes recorded so far, in order. */
    List<Node> recordedNodes() {
        return List.copyOf(nodes);
    }

    /** The tensor of {@code v} when it is a constant of this graph or an enclosing one, else null. */
    Tensor constantValue(Value v) {
        for (GraphBuilder x = this; x != null; x = x.parent) {
            Tensor t = x.constants.get(v);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /** This child's subgraph: its inputs and nodes; outputs may be enclosing values (read, not copied). */
    Graph buildSubgraph(List<Tensor> outputs, SourceLocation where) {
        List<Value> outs = new ArrayList<>(outputs.size());
        for (Tensor t : outputs) {
            outs.add(valueOf(t, Op.CAST, where));
        }
        return new Graph(inputs, parameters, constants, nodes, outs);
    }
}
