package dev.janus.graph.view;

import dev.janus.graph.view.GraphView.Cluster;
import dev.janus.graph.view.GraphView.Edge;
import dev.janus.graph.view.GraphView.Item;
import java.util.List;
import java.util.Map;

/**
 * A {@link GraphView} as JSON, the data the HTML view's script draws:
 * <pre>
 * {"title": "forward",
 *  "items": [{"id": "n7", "kind": "op", "op": "matmul", "label": "%7", "type": "f32[4, 10]",
 *             "source": "Net.java:18", "method": "dev.example.Net.forward", "attrs": {"transA": "false"},
 *             "inputs": ["%x", "%fc.weight"], "cluster": null}, ...],
 *  "clusters": [{"id": "c9_0", "label": "loop body", "op": "loop", "owner": "n9", "parent": null}, ...],
 *  "edges": [{"from": "v0", "to": "n7", "result": false}, ...]}
 * </pre>
 * Strings are escaped so the text can sit inside an HTML {@code <script>} element ({@code <} as a JSON unicode escape).
 */
final class ViewJson {
    private final StringBuilder sb = new StringBuilder();

    private ViewJson() {}

    static String of(GraphView v) {
        ViewJson j = new ViewJson();
        j.sb.append("{\"title\": ").append(quote(v.title())).append(",\n \"items\": [");
        j.list(v.items(), j::item);
        j.sb.append("],\n \"clusters\": [");
        j.list(v.clusters(), j::cluster);
        j.sb.append("],\n \"edges\": [");
        j.list(v.edges(), j::edge);
        return j.sb.append("]}\n").toString();
    }

    private <T> void list(List<T> xs, java.util.function.Consumer<T> each) {
        for (int i = 0; i < xs.size(); i++) {
            sb.append(i > 0 ? ",\n  " : "\n  ");
            each.accept(xs.get(i));
        }
    }

    private void item(Item i) {
        sb.append("{\"id\": ").append(quote(i.id())).append(", \"kind\": ").append(quote(i.kind().jsonName()))
                .append(", \"op\": ").append(quote(i.op())).append(", \"label\": ").append(quote(i.label()))
                .append(", \"type\": ").append(quote(i.type())).append(", \"source\": ").append(quote(i.source()))
                .append(", \"method\": ").append(quote(i.method())).append(", \"attrs\": {");
        int k = 0;
        for (Map.Entry<String, String> e : i.attrs().entrySet()) {
            sb.append(k++ > 0 ? ", " : "").append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
        }
        sb.append("}, \"inputs\": [");
        for (int n = 0; n < i.inputs().size(); n++) {
            sb.append(n > 0 ? ", " : "").append(quote(i.inputs().get(n)));
        }
        sb.append("], \"cluster\": ").append(quote(i.cluster())).append('}');
    }

    private void cluster(Cluster c) {
        sb.append("{\"id\": ").append(quote(c.id())).append(", \"label\": ").append(quote(c.label())).append(", \"op\": ")
                .append(quote(c.op())).append(", \"owner\": ").append(quote(c.owner())).append(", \"parent\": ")
                .append(quote(c.parent())).append('}');
    }

    private void edge(Edge e) {
        sb.append("{\"from\": ").append(quote(e.from())).append(", \"to\": ").append(quote(e.to())).append(", \"result\": ")
                .append(e.result()).append('}');
    }

    /** A JSON string literal, or {@code null}; HTML-significant characters become escapes. */
    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
