package dev.janus.graph.view;

import dev.janus.Tensor;
import dev.janus.graph.Graph;
import dev.janus.graph.Node;
import dev.janus.graph.SourceLocation;
import dev.janus.graph.Value;
import dev.janus.graph.view.GraphView.Cluster;
import dev.janus.graph.view.GraphView.Edge;
import dev.janus.graph.view.GraphView.Item;
import dev.janus.graph.view.GraphView.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Walks a graph and its subgraphs once, in order, and collects the {@link GraphView}. */
final class ViewBuilder {
    private final List<Item> items = new ArrayList<>();
    private final List<Cluster> clusters = new ArrayList<>();
    private final List<Edge> edges = new ArrayList<>();
    private final Set<String> edgeKeys = new HashSet<>();
    /** The item that defines each value: value ids are unique across a graph and its subgraphs. */
    private final Map<Value, String> producer = new IdentityHashMap<>();

    private ViewBuilder() {}

    static GraphView build(Graph graph, String title) {
        ViewBuilder b = new ViewBuilder();
        b.body(graph, null);
        for (int k = 0; k < graph.outputs().size(); k++) {
            Value v = graph.outputs().get(k);
            String id = "out" + k;
            b.items.add(new Item(id, Kind.OUTPUT, "output", v.ref(), v.typeString(), "", "", Map.of(), List.of(v.ref()),
                    null));
            b.edge(v, id, false);
        }
        return new GraphView(title, b.items, b.clusters, b.edges);
    }

    private void body(Graph g, String cluster) {
        for (Value v : g.inputs()) {
            value(v, Kind.INPUT, Map.of(), cluster);
        }
        for (Value v : g.parameters().keySet()) {
            value(v, Kind.PARAMETER, Map.of(), cluster);
        }
        for (Map.Entry<Value, Tensor> c : g.constants().entrySet()) {
            Tensor t = c.getValue();
            value(c.getKey(), Kind.CONSTANT, t.numel() == 1 ? Map.of("value", String.valueOf(t.item())) : Map.of(), cluster);
        }
        for (Node n : g.nodes()) {
            node(n, cluster);
        }
    }

    private void value(Value v, Kind kind, Map<String, String> attrs, String cluster) {
        String id = "v" + v.id();
        producer.put(v, id);
        items.add(new Item(id, kind, kind.jsonName(), v.ref(), v.typeString(), "", "", attrs, List.of(), cluster));
    }

    /** A control node's subgraphs come first, as clusters, so every item follows the items it reads. */
    private void node(Node n, String cluster) {
        int first = n.outputs().get(0).id();
        String id = "n" + first;
        for (int k = 0; k < n.subgraphs().size(); k++) {
            Graph sub = n.subgraphs().get(k);
            String cid = "c" + first + "_" + k;
            clusters.add(new Cluster(cid, n.op().opName() + " " + subgraphName(n, k), n.op().opName(), id, cluster));
            body(sub, cid);
            for (Value v : sub.outputs()) {
                edge(v, id, true);
            }
        }
        List<String> refs = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<String> types = new ArrayList<>();
        n.inputs().forEach(v -> refs.add(v.ref()));
        n.outputs().forEach(v -> labels.add(v.ref()));
        n.outputs().forEach(v -> types.add(v.typeString()));
        SourceLocation at = n.location();
        items.add(new Item(id, Kind.OP, n.op().opName(), String.join(", ", labels), String.join(", ", types),
                at.line() < 0 ? "" : at.toString(), at.line() < 0 ? "" : at.className() + "." + at.method(),
                attrText(n.attrs().asMap()), refs, cluster));
        for (Value in : n.inputs()) {
            edge(in, id, false);
        }
        for (Value out : n.outputs()) {
            producer.put(out, id);
        }
    }

    private void edge(Value v, String to, boolean result) {
        String from = producer.get(v);
        if (from == null) {
            throw new IllegalStateException("graph view: " + v.ref() + " is read by " + to + " before it is defined; "
                    + "run Graph.verify() to find the broken node");
        }
        if (edgeKeys.add(from + ">" + to)) {
            edges.add(new Edge(from, to, result));
        }
    }

    private static String subgraphName(Node n, int k) {
        return switch (n.op()) {
            case IF -> k == 0 ? "then" : "else";
            case LOOP -> "body";
            case FUSED -> "kernel";
            default -> "subgraph " + k;
        };
    }

    private static Map<String, String> attrText(Map<String, Object> attrs) {
        Map<String, String> out = new LinkedHashMap<>();
        attrs.forEach((k, v) -> out.put(k, v instanceof int[] a ? Arrays.toString(a)
                : v instanceof long[] a ? Arrays.toString(a) : v instanceof double[] a ? Arrays.toString(a) : String.valueOf(v)));
        return out;
    }
}
