package dev.janus.graph;

import dev.janus.Tensor;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a new graph from an old one, node by node, for optimization passes. A pass walks the old graph's
 * nodes in order and, for each, either {@link #emit emits} it (its inputs are rewritten through the
 * replacements made so far) or {@link #replace replaces} its output by an equivalent value of the same type.
 * The new graph keeps the old one's inputs, parameters and output order; values keep their ids, so the text
 * forms before and after a pass line up.
 *
 * <pre>{@code
 * GraphRewriter r = new GraphRewriter(g);
 * for (Node n : g.nodes()) {
 *     Node m = r.producer(r.resolve(n.inputs().get(0)));
 *     if (n.op() == Op.NEG && m != null && m.op() == Op.NEG) {
 *         r.replace(n.output(), m.inputs().get(0));   // neg(neg(x)) is x
 *     } else {
 *         r.emit(n);
 *     }
 * }
 * Graph simpler = r.build();
 * }</pre>
 *
 * <p>A rewrite that changes a value's type must define a {@link #fresh fresh} value for it: a value's type is
 * part of its identity, and {@link Graph#verify()} rejects a node whose declared type disagrees with its inputs.
 */
public final class GraphRewriter {
    private final Graph source;
    private final Map<Value, Tensor> constants;
    private final Map<Value, Value> replacements = new IdentityHashMap<>();
    private final Map<Value, Node> producers = new IdentityHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private int nextId;

    /** While a subgraph is rewritten: the smallest id its new values may take (above the enclosing graph's). */
    private static final ThreadLocal<Integer> ID_FLOOR = new ThreadLocal<>();

    /** Starts a rewrite of {@code source}: no nodes yet, its constants, and fresh ids above all of its ids. */
    public GraphRewriter(Graph source) {
        this.source = source;
        this.constants = new LinkedHashMap<>(source.constants());
        Integer floor = ID_FLOOR.get();
        this.nextId = Math.max(maxId(source) + 1, floor == null ? 0 : floor);
    }

    /**
     * Runs {@code rewrite} (a pass applied to a subgraph) with fresh ids starting at {@code floor} or above, so
     * new values do not collide with the ids of the enclosing graph, which a subgraph cannot see.
     */
    public static Graph withIdFloor(int floor, java.util.function.Supplier<Graph> rewrite) {
        Integer previous = ID_FLOOR.get();
        ID_FLOOR.set(floor);
        try {
            return rewrite.get();
        } finally {
            if (previous == null) {
                ID_FLOOR.remove();
            } else {
                ID_FLOOR.set(previous);
            }
        }
    }

    /** The largest value id in {@code g}, or -1 for an empty graph. */
    public static int maxId(Graph g) {
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
            for (Value v : n.outputs()) {
                max = Math.max(max, v.id());
            }
            for (Graph sub : n.subgraphs()) {
                max = Math.max(max, maxId(sub));
            }
        }
        return max;
    }

    /** A new unnamed value of type {@code spec}, numbered above every value of the source graph. */
    public Value fresh(TensorSpec spec) {
        return new Value(nextId++, spec, null);
    }

    /** The value that now stands for {@code v}: {@code v} itself unless it was {@link #replace replaced}. */
    public Value resolve(Value v) {
        Value r = v;
        for (Value next = replacements.get(r); next != null; next = replacements.get(r)) {
            r = next;
        }
        return r;
    }

    /**
     * Makes every use of {@code old} emitted from now on (node inputs, and the graph outputs at {@link #build})
     * read {@code with} instead; nodes emitted earlier keep reading {@code old}. Both must have the same type.
     * A pass usually calls this instead of emitting {@code old}'s node; calling it after emitting that node
     * inserts code after it (emit {@code with}'s nodes reading {@code old}, then replace).
     */
    public void replace(Value old, Value with) {
        Value target = resolve(with);
        if (!old.spec().equals(target.spec())) {
            throw new IllegalArgumentException("cannot replace " + old + " by " + target + ": their types differ (define a "
                    + "fresh value for the new type instead)");
        }
        if (target == old) {
            throw new IllegalArgumentException("cannot replace " + old.ref() + " by itself");
        }
        replacements.put(old, target);
    }

    /** Appends {@code n} with its inputs resolved; returns the node appended ({@code n} itself when none changed). */
    public Node emit(Node n) {
        List<Value> in = new ArrayList<>(n.inputs().size());
        boolean same = true;
        for (Value v : n.inputs()) {
            Value r = resolve(v);
            same &= r == v;
            in.add(r);
        }
        if (n.isControl()) {
            // subgraphs may read enclosing values: substitute the replacements inside them too
            List<Graph> subs = new ArrayList<>(n.subgraphs().size());
            for (Graph g : n.subgraphs()) {
                Graph r = Subgraphs.substitute(g, this::resolve);
                same &= r == g;
                subs.add(r);
            }
            return append(same ? n : new Node(n.op(), n.attrs(), in, n.outputs(), subs, n.location()));
        }
        return append(same ? n : new Node(n.op(), n.attrs(), in, n.output(), n.location()));
    }

    /** Appends a new node defining {@code output}, with its inputs resolved, recorded at {@code location}. */
    public Node emit(Op op, Attrs attrs, List<Value> inputs, Value output, SourceLocation location) {
        List<Value> in = new ArrayList<>(inputs.size());
        for (Value v : inputs) {
            in.add(resolve(v));
        }
        return append(new Node(op, attrs, in, output, location));
    }

    private Node append(Node n) {
        nodes.add(n);
        for (Value v : n.outputs()) {
            producers.put(v, n);
        }
        return n;
    }

    /** The node of the new graph that defines {@code v}, or null when an input, parameter or constant does. */
    public Node producer(Value v) {
        return producers.get(v);
    }

    /** The tensor of constant {@code v}, or null when {@code v} is not a constant. */
    public Tensor constant(Value v) {
        return constants.get(v);
    }

    /** True when {@code v} is one of the graph's parameters (a live tensor, never a constant). */
    public boolean isParameter(Value v) {
        return source.parameters().containsKey(v);
    }

    /** Defines {@code v} as a constant holding {@code t} (whose type must be {@code v}'s). */
    public void addConstant(Value v, Tensor t) {
        constants.put(v, t);
    }

    /** The new graph: the source's inputs and parameters, the constants and nodes so far, the outputs resolved. */
    public Graph build() {
        List<Value> outputs = new ArrayList<>(source.outputs().size());
        for (Value v : source.outputs()) {
            outputs.add(resolve(v));
        }
        return new Graph(source.inputs(), source.parameters(), constants, nodes, outputs);
    }
}
