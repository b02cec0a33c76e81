package dev.janus.graph.view;

import dev.janus.graph.view.GraphView.Cluster;
import dev.janus.graph.view.GraphView.Edge;
import dev.janus.graph.view.GraphView.Item;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link GraphView} as Graphviz DOT text: nodes as boxes labelled with op, type and source line; inputs as
 * ellipses, parameters as notes, constants as dashed boxes, outputs as double ellipses; each subgraph as a
 * {@code cluster_} subgraph; a subgraph's results return to their control node as dashed edges.
 *
 * <pre>
 * digraph "forward" {
 *   n7 [label="matmul\nf32[4, 10]\nNet.java:18"];
 *   subgraph cluster_c9_0 { label="loop body"; ... }
 *   v0 -&gt; n7;
 * }
 * </pre>
 */
final class DotText {
    private final StringBuilder sb = new StringBuilder();
    private final Map<String, List<Item>> itemsIn = new HashMap<>();
    private final Map<String, List<Cluster>> clustersIn = new HashMap<>();

    private DotText(GraphView v) {
        for (Item i : v.items()) {
            itemsIn.computeIfAbsent(key(i.cluster()), k -> new ArrayList<>()).add(i);
        }
        for (Cluster c : v.clusters()) {
            clustersIn.computeIfAbsent(key(c.parent()), k -> new ArrayList<>()).add(c);
        }
    }

    private static String key(String cluster) {
        return cluster == null ? "" : cluster;
    }

    static String of(GraphView v) {
        DotText d = new DotText(v);
        d.sb.append("digraph ").append(quote(v.title())).append(" {\n  rankdir=TB;\n")
                .append("  node [shape=box, fontname=\"monospace\", fontsize=10];\n  edge [arrowsize=0.6];\n");
        d.contents("", "  ");
        for (Edge e : v.edges()) {
            d.sb.append("  ").append(e.from()).append(" -> ").append(e.to()).append(e.result() ? " [style=dashed];\n" : ";\n");
        }
        return d.sb.append("}\n").toString();
    }

    /** The items and clusters directly inside {@code cluster} ("" for the top level), clusters recursively. */
    private void contents(String cluster, String indent) {
        for (Cluster c : clustersIn.getOrDefault(cluster, List.of())) {
            sb.append(indent).append("subgraph cluster_").append(c.id()).append(" {\n").append(indent).append("  label=")
                    .append(quote(c.label())).append("; style=rounded; color=gray50;\n");
            contents(c.id(), indent + "  ");
            sb.append(indent).append("}\n");
        }
        for (Item i : itemsIn.getOrDefault(cluster, List.of())) {
            sb.append(indent).append(i.id()).append(" [label=").append(quote(label(i))).append(style(i)).append("];\n");
        }
    }

    private static String label(Item i) {
        return switch (i.kind()) {
            case OP -> i.op() + "\n" + i.type() + (i.source().isEmpty() ? "" : "\n" + i.source());
            case CONSTANT -> i.label() + ":" + i.type() + (i.attrs().containsKey("value") ? " = " + i.attrs().get("value") : "");
            case INPUT, PARAMETER, OUTPUT -> i.label() + ":" + i.type();
        };
    }

    private static String style(Item i) {
        return switch (i.kind()) {
            case INPUT -> ", shape=ellipse";
            case PARAMETER -> ", shape=note";
            case CONSTANT -> ", style=dashed";
            case OP -> "";
            case OUTPUT -> ", shape=doubleoctagon";
        };
    }

    /** A DOT string literal; newlines become DOT's centered line breaks. */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
