package dev.janus.graph;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.ops.Dispatch;
import dev.janus.ops.Op;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Re-records nodes into a builder, every value they define becoming a fresh one: how graph autodiff gets
 * primitives it can differentiate out of control nodes. A node {@code inline} accepts is recorded inline when
 * it can be: a loop with a constant trip count and a constant condition once per iteration, a fused node as its
 * kernel's nodes, an IF with a constant condition as its taken branch. Other control nodes are re-created with
 * re-recorded subgraphs, copied as they are.
 */
final class Replay {
    /** Loops longer than this are not unrolled (the graph would hold every iteration). */
    static final long MAX_UNROLLED_ITERATIONS = 1L << 16;

    private final GraphBuilder b;
    private final Map<Value, Tensor> env;
    private final Predicate<Node> inline;

    /** Replays into {@code b}; a value not bound here is read as it is (an enclosing value in scope in {@code b}). */
    Replay(GraphBuilder b, Predicate<Node> inline) {
        this(b, new IdentityHashMap<>(), inline);
    }

    private Replay(GraphBuilder b, Map<Value, Tensor> env, Predicate<Node> inline) {
        this.b = b;
        this.env = env;
        this.inline = inline;
    }

    /** What the replayed code computes for the original value {@code v}. */
    Tensor get(Value v) {
        Tensor t = env.get(v);
        return t != null ? t : b.symbolic(v);
    }

    void bind(Value v, Tensor t) {
        env.put(v, t);
    }

    /** Replays {@code nodes} in order. */
    void run(List<Node> nodes) {
        try (var rec = Dispatch.record(b)) {
            for (Node n : nodes) {
                node(n);
            }
        }
    }

    /** Replays a subgraph's body: binds its own constants and parameters, then its nodes; returns its outputs. */
    List<Tensor> runBody(Graph g) {
        g.constants().forEach(this::bind);
        g.parameters().forEach(this::bind);
        run(g.nodes());
        List<Tensor> outs = new ArrayList<>(g.outputs().size());
        for (Value v : g.outputs()) {
            outs.add(get(v));
        }
        return outs;
    }

    private void node(Node n) {
        switch (n.op()) {
            case IF -> replayIf(n);
            case LOOP -> replayLoop(n);
            case FUSED -> replayFused(n);
            default -> primitive(n);
        }
    }

    private void primitive(Node n) {
        Tensor[] args = new Tensor[n.inputs().size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = get(n.inputs().get(i));
        }
        b.locationOverride(n.location());
        try {
            bind(n.output(), b.apply(n.op(), n.attrs(), args));
        } finally {
            b.locationOverride(null);
        }
    }

    private void replayIf(Node n) {
        Tensor cond = constant(get(n.inputs().get(0)));
        if (cond != null && inline.test(n)) {
            bindOutputs(n, runBody(n.subgraphs().get(cond.toBooleanArray()[0] ? 0 : 1)));
        } else {
            recreate(n);
        }
    }

    private void replayFused(Node n) {
        if (!inline.test(n)) {
            recreate(n);
            return;
        }
        Graph kernel = n.subgraphs().get(0);
        for (int i = 0; i < kernel.inputs().size(); i++) {
            bind(kernel.inputs().get(i), get(n.inputs().get(i)));
        }
        bindOutputs(n, runBody(kernel));
    }

    private void replayLoop(Node n) {
        if (inline.test(n) && whyNotUnrollable(n) == null) {
            unroll(n);
        } else {
            recreate(n);
        }
    }

    /**
     * Why loop {@code n} cannot be unrolled here, or null when it can: its trip count and condition must be
     * constants, and the body's condition output its condition input or a constant.
     */
    String whyNotUnrollable(Node n) {
        Tensor trip = constant(get(n.inputs().get(0)));
        if (trip == null) {
            return "its trip count is computed at run time";
        }
        Tensor cond = constant(get(n.inputs().get(1)));
        if (cond == null) {
            return "its condition is computed at run time";
        }
        Graph body = n.subgraphs().get(0);
        Value next = body.outputs().get(0);
        if (next != body.inputs().get(1) && body.constants().get(next) == null && constant(get(next)) == null) {
            return "its body computes the condition of the next iteration";
        }
        if (trip.itemLong() > MAX_UNROLLED_ITERATIONS && cond.toBooleanArray()[0]) {
            return "its trip count " + trip.itemLong() + " is over " + MAX_UNROLLED_ITERATIONS + " iterations";
        }
        return null;
    }

    /** Records the body once per iteration, the iteration number a constant each time. */
    private void unroll(Node n) {
        Graph body = n.subgraphs().get(0);
        int carriedCount = n.inputs().size() - 2;
        long trip = constant(get(n.inputs().get(0))).itemLong();
        Tensor cond = get(n.inputs().get(1));
        List<Tensor> carried = new ArrayList<>();
        for (Value v : n.inputs().subList(2, n.inputs().size())) {
            carried.add(get(v));
        }
        List<List<Tensor>> scans = new ArrayList<>();
        for (long i = 0; i < trip && constant(cond).toBooleanArray()[0]; i++) {
            bind(body.inputs().get(0), Tensor.scalar(i, DType.INT64));
            bind(body.inputs().get(1), cond);
            for (int k = 0; k < carriedCount; k++) {
                bind(body.inputs().get(2 + k), carried.get(k));
            }
            List<Tensor> out = runBody(body);
            cond = out.get(0);
            carried = out.subList(1, 1 + carriedCount);
            scans.add(out.subList(1 + carriedCount, out.size()));
        }
        List<Tensor> outs = new ArrayList<>(carried);
        for (int s = 0; s < n.outputs().size() - carriedCount; s++) {
            outs.add(stacked(scans, s, body.outputs().get(1 + carriedCount + s)));
        }
        bindOutputs(n, outs);
    }

    private Tensor stacked(List<List<Tensor>> scans, int s, Value each) {
        if (scans.isEmpty()) {
            long[] dims = each.spec().shape().dims();
            long[] empty = new long[dims.length + 1];
            System.arraycopy(dims, 0, empty, 1, dims.length);
            return Tensor.zeros(each.spec().dtype(), empty);
        }
        List<Tensor> per = new ArrayList<>(scans.size());
        for (List<Tensor> iteration : scans) {
            per.add(iteration.get(s));
        }
        try (var rec = Dispatch.record(b)) {
            return Tensor.stack(0, per);
        }
    }

    /** The same control node with fresh outputs, its subgraphs re-recorded (copied, nothing inlined). */
    private void recreate(Node n) {
        List<Graph> subs = new ArrayList<>(n.subgraphs().size());
        for (Graph g : n.subgraphs()) {
            subs.add(n.op() == Op.FUSED ? g : copy(g, n));
        }
        List<Value> in = new ArrayList<>(n.inputs().size());
        for (Value v : n.inputs()) {
            in.add(b.lift(get(v), n.location()));
        }
        List<Value> outs = new ArrayList<>(n.outputs().size());
        for (Value v : n.outputs()) {
            outs.add(b.newValue(v.spec(), v.dynamicDims()));
        }
        b.append(new Node(n.op(), n.attrs(), in, outs, subs, n.location()));
        for (int i = 0; i < outs.size(); i++) {
            bind(n.outputs().get(i), b.symbolic(outs.get(i)));
        }
    }

    private Graph copy(Graph g, Node owner) {
        GraphBuilder child = b.child();
        try {
            Replay inner = new Replay(child, new IdentityHashMap<>(env), x -> false);
            for (Value v : g.inputs()) {
                inner.bind(v, child.subgraphInput(v.spec(), v.dynamicDims()));
            }
            return child.buildSubgraph(inner.runBody(g), owner.location());
        } finally {
            b.endChild(child);
        }
    }

    private void bindOutputs(Node n, List<Tensor> values) {
        for (int i = 0; i < values.size(); i++) {
            bind(n.outputs().get(i), values.get(i));
        }
    }

    /** The value of {@code t} when it is known now: an eager tensor, or a constant of the graph being built. */
    private Tensor constant(Tensor t) {
        return t instanceof SymbolicTensor s ? b.constantValue(s.value()) : t;
    }
}
