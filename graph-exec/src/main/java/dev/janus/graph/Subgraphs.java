package dev.janus.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Rewrites of the enclosing values a subgraph captures (used when a pass replaces a value it reads). */
final class Subgraphs {
    private Subgraphs() {}

    /**
     * {@code g} with every captured value {@code v} read as {@code map(v)}, recursively through nested
     * subgraphs; {@code g} itself when nothing changes.
     */
    static Graph substitute(Graph g, UnaryOperator<Value> map) {
        boolean changed = false;
        List<Node> nodes = new ArrayList<>(g.nodes().size());
        for (Node n : g.nodes()) {
            List<Value> in = new ArrayList<>(n.inputs().size());
            boolean same = true;
            for (Value v : n.inputs()) {
                Value r = map.apply(v);
                same &= r == v;
                in.add(r);
            }
            List<Graph> subs = new ArrayList<>(n.subgraphs().size());
            for (Graph sub : n.subgraphs()) {
                Graph r = substitute(sub, map);
                same &= r == sub;
                subs.add(r);
            }
            nodes.add(same ? n : new Node(n.op(), n.attrs(), in, n.outputs(), subs, n.location()));
            changed |= !same;
        }
        List<Value> outs = new ArrayList<>(g.outputs().size());
        for (Value v : g.outputs()) {
            Value r = map.apply(v);
            changed |= r != v;
            outs.add(r);
        }
        return changed ? new Graph(g.inputs(), g.parameters(), g.constants(), nodes, outs) : g;
    }
}
