package dev.janus.graph.passes;

import dev.janus.Tensor;
import dev.janus.graph.Graph;
import dev.janus.graph.Node;
import dev.janus.graph.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes the nodes and constants that no output depends on:
 *
 * <pre>
 * before:
 *   const %1:f32[]
 *   %2:f32[2, 3] = exp(%x)   # Net.java:12
 *   %3:f32[2, 3] = mul(%x, %1)   # Net.java:13
 *   return %2
 * after:
 *   %2:f32[2, 3] = exp(%x)   # Net.java:12
 *   return %2
 * </pre>
 *
 * <p>Graph inputs are never removed: they are the graph's signature. Parameters are kept too, used or not,
 * unless the pass is made with {@link #includingParameters()}: they are the graph's binding to the model's
 * state (their dotted names line up with the model's state dict in archives and checkpoints, and graph
 * autodiff gives each one a gradient, zero for an unused one), and an unused one costs nothing at run time.
 * Export for serving, where only the weights the outputs need should be saved, is where to drop them.
 *
 * <p>Subgraphs (branches, loop bodies, fused kernels) are cleaned the same way, innermost first, so an
 * enclosing value that only dead code inside a subgraph read is removed as well. A value read only inside a
 * subgraph is live (it is a use of the control node).
 *
 * <p>Soundness limits: a node is dead when no output reads it, which assumes ops have no side effects; that
 * holds for every current primitive. A node that would fail at run time (an out-of-range index) is removed
 * with its failure when nothing reads it.
 */
public final class EliminateDeadCode implements Pass {
    private final boolean dropParameters;

    /** Removes dead nodes and constants, keeping every parameter. */
    public EliminateDeadCode() {
        this(false);
    }

    private EliminateDeadCode(boolean dropParameters) {
        this.dropParameters = dropParameters;
    }

    /** Removes dead parameters too (for export, where unused weights should not be saved). */
    public static EliminateDeadCode includingParameters() {
        return new EliminateDeadCode(true);
    }

    @Override
    public Graph apply(Graph graph) {
        Set<Value> live = Collections.newSetFromMap(new IdentityHashMap<>());
        live.addAll(graph.outputs());
        List<Node> kept = new ArrayList<>();
        boolean subgraphsChanged = false;
        for (int i = graph.nodes().size() - 1; i >= 0; i--) {
            Node n = graph.nodes().get(i);
            if (n.outputs().stream().anyMatch(live::contains)) {
                Node pruned = n.isControl() ? withLiveSubgraphs(n) : n;
                subgraphsChanged |= pruned != n;
                kept.add(pruned);
                live.addAll(pruned.uses()); // after pruning: a value only dead inner code read is dead too
            }
        }
        Collections.reverse(kept);
        Map<Value, Tensor> constants = liveOnly(graph.constants(), live);
        Map<Value, Tensor> parameters = dropParameters ? liveOnly(graph.parameters(), live) : graph.parameters();
        if (!subgraphsChanged && kept.size() == graph.nodes().size() && constants.size() == graph.constants().size()
                && parameters.size() == graph.parameters().size()) {
            return graph;
        }
        return new Graph(graph.inputs(), parameters, constants, kept, graph.outputs());
    }

    /** {@code n} with dead code removed from its subgraphs (their inputs and outputs stay: they are the op's signature). */
    private Node withLiveSubgraphs(Node n) {
        List<Graph> subs = new ArrayList<>(n.subgraphs().size());
        boolean same = true;
        for (Graph g : n.subgraphs()) {
            Graph pruned = apply(g);
            same &= pruned == g;
            subs.add(pruned);
        }
        return same ? n : new Node(n.op(), n.attrs(), n.inputs(), n.outputs(), subs, n.location());
    }

    private static Map<Value, Tensor> liveOnly(Map<Value, Tensor> values, Set<Value> live) {
        Map<Value, Tensor> out = new LinkedHashMap<>();
        values.forEach((v, t) -> {
            if (live.contains(v)) {
                out.put(v, t);
            }
        });
        return out;
    }
}
