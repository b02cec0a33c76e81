package dev.janus.graph;

import dev.janus.Tensor;
import dev.janus.ops.Attrs;
import dev.janus.ops.Dispatch;
import dev.janus.ops.Op;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reverse-mode rules of the control ops, for {@link Autodiff}: what {@link dev.janus.ops.Gradients} is for
 * primitives. Each gives the gradients of the values a control node reads (its inputs and the enclosing values
 * its subgraphs capture) from the gradients of its outputs.
 *
 * <ul>
 * <li>IF: an IF on the same condition whose branches each re-record their forward branch and differentiate
 *     it (the forward's inner values are not visible outside its branch, so they are recomputed).
 * <li>LOOP with a constant trip count and a condition that stays true, and FUSED: recorded again inline
 *     (unrolled, or the kernel's nodes), then differentiated.
 * <li>Other loops fail with {@link UnsupportedOperationException} naming the node and its line.
 * </ul>
 */
final class ControlFlowGradients {
    private ControlFlowGradients() {}

    /** Gradients of the values {@code n} reads, given {@code grads} of (some of) its outputs. */
    static Map<Value, Tensor> vjp(GraphBuilder b, Node n, Map<Value, Tensor> grads, Set<Value> needed) {
        List<Value> targets = new ArrayList<>();
        for (Value v : n.uses()) {
            if (needed.contains(v) && v.spec().dtype().isFloating()) {
                targets.add(v);
            }
        }
        if (targets.isEmpty()) {
            return Map.of();
        }
        return switch (n.op()) {
            case IF -> ifVjp(b, n, outputGradients(n, grads, needed), targets);
            case LOOP, FUSED -> inlinedVjp(b, n, outputGradients(n, grads, needed), targets);
            default -> throw new IllegalArgumentException("not a control op: " + n.op().opName());
        };
    }

    private static List<Tensor> outputGradients(Node n, Map<Value, Tensor> grads, Set<Value> needed) {
        List<Tensor> out = new ArrayList<>(n.outputs().size());
        for (Value v : n.outputs()) {
            out.add(needed.contains(v) ? grads.get(v) : null);
        }
        return out;
    }

    /** An IF whose branch k computes the gradients of {@code targets} through forward branch k. */
    private static Map<Value, Tensor> ifVjp(GraphBuilder b, Node n, List<Tensor> outGrads, List<Value> targets) {
        List<Graph> branches = new ArrayList<>(2);
        for (Graph forward : n.subgraphs()) {
            branches.add(branchVjp(b, n, forward, outGrads, targets));
        }
        List<Value> outs = new ArrayList<>(targets.size());
        for (Value t : targets) {
            outs.add(b.newValue(t.spec(), t.dynamicDims()));
        }
        b.append(new Node(Op.IF, Attrs.NONE, List.of(n.inputs().get(0)), outs, branches, n.location()));
        Map<Value, Tensor> result = new IdentityHashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            result.put(targets.get(i), b.symbolic(outs.get(i)));
        }
        return result;
    }

    private static Graph branchVjp(GraphBuilder b, Node n, Graph forward, List<Tensor> outGrads, List<Value> targets) {
        GraphBuilder child = b.child();
        try (var rec = Dispatch.record(child)) {
            Replay replay = new Replay(child, x -> true);
            List<Tensor> results = replay.runBody(forward);
            Map<Value, Tensor> seeds = seeds(child, n, results, outGrads);
            Map<Value, Tensor> grads = Autodiff.reverse(child, child.recordedNodes(), seeds, targets);
            List<Tensor> outs = new ArrayList<>(targets.size());
            for (Value t : targets) {
                Tensor g = grads.get(t);
                outs.add(g != null ? g.cast(t.spec().dtype()) : Tensor.zerosLike(child.symbolic(t)));
            }
            return child.buildSubgraph(outs, n.location());
        } finally {
            b.endChild(child);
        }
    }

    /** Records {@code n} again inline (a loop unrolled, a kernel's nodes) and differentiates that. */
    private static Map<Value, Tensor> inlinedVjp(GraphBuilder b, Node n, List<Tensor> outGrads, List<Value> targets) {
        Replay replay = new Replay(b, x -> true);
        if (n.op() == Op.LOOP) {
            String why = replay.whyNotUnrollable(n);
            if (why != null) {
                throw new UnsupportedOperationException("graph autodiff cannot differentiate through the loop recorded at "
                        + n.location() + ": " + why + ". Gradients flow through loops with a constant trip count and a "
                        + "condition that stays true (they are unrolled); compute a data-dependent loop without gradients "
                        + "(detach its inputs) or give it a fixed trip count");
            }
        }
        int start = b.recordedNodes().size();
        replay.run(List.of(n));
        List<Tensor> results = new ArrayList<>();
        for (Value v : n.outputs()) {
            results.add(replay.get(v));
        }
        List<Node> inlined = b.recordedNodes().subList(start, b.recordedNodes().size());
        Map<Value, Tensor> grads = Autodiff.reverse(b, inlined, seeds(b, n, results, outGrads), targets);
        Map<Value, Tensor> result = new IdentityHashMap<>();
        for (Value t : targets) {
            Tensor g = grads.get(t);
            if (g != null) {
                result.put(t, g);
            }
        }
        return result;
    }

    /** The output gradients, keyed by the values the re-recorded outputs are (equal ones add up). */
    private static Map<Value, Tensor> seeds(GraphBuilder b, Node n, List<Tensor> results, List<Tensor> outGrads) {
        Map<Value, Tensor> seeds = new IdentityHashMap<>();
        for (int k = 0; k < results.size(); k++) {
            Tensor g = outGrads.get(k);
            if (g != null) {
                Value v = b.lift(results.get(k), n.location());
                seeds.merge(v, g, Tensor::add);
            }
        }
        return seeds;
    }
}
