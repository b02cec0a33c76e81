package dev.janus.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.janus.Tensor;
import dev.janus.graph.Graph;
import dev.janus.graph.Node;
import dev.janus.graph.SourceLocation;
import dev.janus.graph.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a graph into graph.json's tree (layout in {@code docs/formats.md}) and collects the tensors of its
 * parameters and constants, keyed by parameter name or a generated {@code const.<id>} / {@code param.<id>},
 * for weights.safetensors. Value ids are kept when they are unique in the whole graph (capture makes them so,
 * and the loaded graph then prints the same); otherwise every value is renumbered in definition order.
 */
final class GraphWriter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** graph.json's tree, the weights to store, and the signature it declares. */
    record Written(ObjectNode json, Map<String, Tensor> weights, Signature signature) {}

    private final Map<Value, Integer> ids = new IdentityHashMap<>();
    private final Map<String, Tensor> weights = new LinkedHashMap<>();

    private GraphWriter() {}

    /** graph.json for {@code g}; throws {@link IllegalArgumentException} when {@code g} cannot be saved. */
    static Written write(Graph g) {
        try {
            g.verify();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("cannot save an invalid graph: " + e.getMessage(), e);
        }
        GraphWriter w = new GraphWriter();
        w.numberValues(g);
        ObjectNode root = F.objectNode();
        Signature signature = signatureOf(g);
        root.set("signature", w.signature(g, signature));
        root.set("graph", w.graph(g, "graph"));
        return new Written(root, w.weights, signature);
    }

    /** Input names are the input values' (else {@code input<i>}); outputs are named by their values or {@code output<i>}. */
    static Signature signatureOf(Graph g) {
        return new Signature(slots(g.inputs(), "input"), slots(g.outputs(), "output"));
    }

    private static List<Signature.Slot> slots(List<Value> values, String prefix) {
        Set<String> used = new HashSet<>();
        for (Value v : values) {
            used.add(v.name());
        }
        List<Signature.Slot> out = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            Value v = values.get(i);
            String name = v.name();
            if (name == null || name.isEmpty() || !taken.add(name)) {
                name = prefix + i;
                while (used.contains(name) || !taken.add(name)) {
                    name = name + "_";
                }
            }
            out.add(new Signature.Slot(name, v.spec(), v.dynamicDims()));
        }
        return out;
    }

    private void numberValues(Graph g) {
        List<Value> all = new ArrayList<>();
        collect(g, all);
        Set<Integer> seen = new HashSet<>();
        boolean unique = true;
        for (Value v : all) {
            unique &= seen.add(v.id());
        }
        for (int i = 0; i < all.size(); i++) {
            ids.put(all.get(i), unique ? all.get(i).id() : i);
        }
    }

    /** Every value the graph defines, in definition order, subgraphs included. */
    private static void collect(Graph g, List<Value> out) {
        out.addAll(g.inputs());
        out.addAll(g.parameters().keySet());
        out.addAll(g.constants().keySet());
        for (Node n : g.nodes()) {
            for (Graph sub : n.subgraphs()) {
                collect(sub, out);
            }
            out.addAll(n.outputs());
        }
    }

    private ObjectNode signature(Graph g, Signature s) {
        ObjectNode out = F.objectNode();
        out.set("inputs", slots(s.inputs(), g.inputs()));
        out.set("outputs", slots(s.outputs(), g.outputs()));
        return out;
    }

    private ArrayNode slots(List<Signature.Slot> slots, List<Value> values) {
        ArrayNode a = F.arrayNode();
        for (int i = 0; i < slots.size(); i++) {
            Signature.Slot s = slots.get(i);
            ObjectNode o = a.addObject();
            o.put("name", s.name());
            o.put("value", id(values.get(i)));
            type(o, values.get(i));
        }
        return a;
    }

    private ObjectNode graph(Graph g, String where) {
        ObjectNode out = F.objectNode();
        ArrayNode inputs = out.putArray("inputs");
        g.inputs().forEach(v -> inputs.add(value(v)));
        ArrayNode params = out.putArray("parameters");
        g.parameters().forEach((v, t) -> params.add(stored(v, t, v.name() != null ? v.name() : "param." + id(v))));
        ArrayNode consts = out.putArray("constants");
        g.constants().forEach((v, t) -> consts.add(stored(v, t, "const." + id(v))));
        ArrayNode nodes = out.putArray("nodes");
        for (int i = 0; i < g.nodes().size(); i++) {
            nodes.add(node(g.nodes().get(i), where + ".nodes[" + i + "]"));
        }
        ArrayNode outputs = out.putArray("outputs");
        g.outputs().forEach(v -> outputs.add(id(v)));
        return out;
    }

    private ObjectNode stored(Value v, Tensor t, String preferredKey) {
        String key = preferredKey;
        for (int k = 1; weights.containsKey(key); k++) {
            key = preferredKey + "#" + k;
        }
        weights.put(key, t);
        ObjectNode o = F.objectNode();
        o.set("value", value(v));
        o.put("tensor", key);
        return o;
    }

    private ObjectNode node(Node n, String where) {
        ObjectNode o = F.objectNode();
        o.put("op", n.op().opName());
        if (!n.attrs().asMap().isEmpty()) {
            o.set("attrs", AttrCodec.encode(n.op(), n.attrs(), where + " (" + n.op().opName() + ")"));
        }
        ArrayNode in = o.putArray("inputs");
        n.inputs().forEach(v -> in.add(id(v)));
        ArrayNode out = o.putArray("outputs");
        n.outputs().forEach(v -> out.add(value(v)));
        if (!n.subgraphs().isEmpty()) {
            ArrayNode subs = o.putArray("subgraphs");
            for (int k = 0; k < n.subgraphs().size(); k++) {
                subs.add(graph(n.subgraphs().get(k), where + ".subgraphs[" + k + "]"));
            }
        }
        if (!n.location().equals(SourceLocation.UNKNOWN)) {
            o.set("location", location(n.location()));
        }
        return o;
    }

    private static ObjectNode location(SourceLocation l) {
        ObjectNode o = F.objectNode();
        o.put("class", l.className());
        o.put("method", l.method());
        if (l.file() != null) {
            o.put("file", l.file());
        }
        o.put("line", l.line());
        return o;
    }

    private ObjectNode value(Value v) {
        ObjectNode o = F.objectNode();
        o.put("id", id(v));
        if (v.name() != null) {
            o.put("name", v.name());
        }
        type(o, v);
        return o;
    }

    private static void type(ObjectNode o, Value v) {
        o.put("dtype", v.spec().dtype().shortName());
        ArrayNode shape = o.putArray("shape");
        for (long d : v.spec().shape().dims()) {
            shape.add(d);
        }
        if (v.dynamicDims() != 0) {
            ArrayNode dyn = o.putArray("dynamic");
            for (int i = 0; i < v.spec().shape().rank(); i++) {
                if (v.isDynamic(i)) {
                    dyn.add(i);
                }
            }
        }
    }

    private int id(Value v) {
        Integer id = ids.get(v);
        if (id == null) {
            throw new IllegalArgumentException("cannot save: " + v + " is used but defined nowhere in the graph");
        }
        return id;
    }
}
