package dev.janus.graph.passes;

import dev.janus.graph.Graph;
import dev.janus.graph.GraphRewriter;
import dev.janus.graph.Node;
import dev.janus.ops.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a pass on a graph and then on the branches and bodies of its {@code if}/{@code loop} nodes, innermost
 * last. Fused kernels are left alone (they are what fusion made). Value ids must stay unique across a graph
 * and its subgraphs, so each rewrite of a subgraph numbers its new values above every id in use.
 */
final class InsideSubgraphs {
    private InsideSubgraphs() {}

    static Graph apply(Pass pass, Graph graph) {
        Graph top = pass.apply(graph);
        int[] floor = {GraphRewriter.maxId(top) + 1};
        return rewriteSubgraphs(pass, top, floor);
    }

    private static Graph rewriteSubgraphs(Pass pass, Graph g, int[] floor) {
        boolean changed = false;
        List<Node> nodes = new ArrayList<>(g.nodes().size());
        for (Node n : g.nodes()) {
            if (!n.isControl() || n.op() == Op.FUSED) {
                nodes.add(n);
                continue;
            }
            List<Graph> subs = new ArrayList<>(n.subgraphs().size());
            boolean same = true;
            for (Graph sub : n.subgraphs()) {
                Graph r = GraphRewriter.withIdFloor(floor[0], () -> pass.apply(sub));
                floor[0] = Math.max(floor[0], GraphRewriter.maxId(r) + 1);
                r = rewriteSubgraphs(pass, r, floor);
                same &= r == sub;
                subs.add(r);
            }
            nodes.add(same ? n : new Node(n.op(), n.attrs(), n.inputs(), n.outputs(), subs, n.location()));
            changed |= !same;
        }
        return changed ? new Graph(g.inputs(), g.parameters(), g.constants(), nodes, g.outputs()) : g;
    }
}
