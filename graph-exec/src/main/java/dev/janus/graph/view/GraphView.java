package dev.janus.graph.view;

import java.util.List;
import java.util.Map;

/**
 * What a picture of a {@link dev.janus.graph.Graph} shows, independent of how it is drawn: one item per graph
 * input, parameter, constant, node and output; the clusters (a control node's subgraphs); and the edges from
 * each value's producer to its readers. The DOT text, the JSON of the HTML view and the tests all read this
 * one model, so they show the same thing.
 *
 * <pre>{@code
 * GraphView v = GraphView.of(traced.graph());
 * long ops = v.items().stream().filter(i -> i.kind() == GraphView.Kind.OP).count();   // every node, subgraphs too
 * }</pre>
 *
 * @param title    a caption (the function's name, or the file it came from)
 * @param items    every drawn box, producers before readers
 * @param clusters every subgraph, enclosing clusters before the ones inside them
 * @param edges    producer to reader, one per (value, reader) pair
 */
public record GraphView(String title, List<Item> items, List<Cluster> clusters, List<Edge> edges) {
    public GraphView {
        items = List.copyOf(items);
        clusters = List.copyOf(clusters);
        edges = List.copyOf(edges);
    }

    /** The view of {@code graph}, titled {@code "graph"}. */
    public static GraphView of(dev.janus.graph.Graph graph) {
        return of(graph, "graph");
    }

    /** The view of {@code graph} with a caption. */
    public static GraphView of(dev.janus.graph.Graph graph, String title) {
        return ViewBuilder.build(graph, title);
    }

    /** What an item stands for. */
    public enum Kind {
        /** A graph (or subgraph) input: a model input, a loop body's counter or carried value. */
        INPUT,
        /** A live weight the graph reads by reference. */
        PARAMETER,
        /** A frozen tensor baked into the graph. */
        CONSTANT,
        /** A node: one op application (a control op's subgraphs are clusters). */
        OP,
        /** A result of the top-level graph. */
        OUTPUT;

        /** The lower-case name used in JSON and in the HTML's {@code data-kind}. */
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One drawn box.
     *
     * @param id      unique within the view ({@code n7} for the node defining {@code %7}, {@code v3} for value 3)
     * @param kind    what it stands for
     * @param op      the op name for nodes, else the kind's name
     * @param label   the value reference(s) it defines ({@code %7}, {@code %fc1.weight})
     * @param type    dtype and shape of what it defines ({@code f32[?, 10]}; comma-joined for several outputs)
     * @param source  the Java line that recorded a node ({@code Net.java:18}), or empty
     * @param method  the class and method of that line ({@code dev.example.Net.forward}), or empty
     * @param attrs   a node's attributes as text, in order
     * @param inputs  the references a node reads, in order
     * @param cluster the id of the innermost cluster holding it, or null at the top level
     */
    public record Item(String id, Kind kind, String op, String label, String type, String source, String method,
            Map<String, String> attrs, List<String> inputs, String cluster) {
        public Item {
            attrs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attrs));
            inputs = List.copyOf(inputs);
        }
    }

    /**
     * One subgraph of a control node, drawn as a box around its items.
     *
     * @param id     unique within the view ({@code c7_0}: subgraph 0 of the node defining {@code %7})
     * @param label  {@code loop body}, {@code if then}, {@code fused kernel}
     * @param op     the control op's name ({@code loop})
     * @param owner  the item id of the control node
     * @param parent the enclosing cluster's id, or null at the top level
     */
    public record Cluster(String id, String label, String op, String owner, String parent) {}

    /**
     * A value flowing from its producer to a reader.
     *
     * @param from   the producer's item id
     * @param to     the reader's item id
     * @param result true for a subgraph's result returning to its control node (drawn dashed)
     */
    public record Edge(String from, String to, boolean result) {}
}
