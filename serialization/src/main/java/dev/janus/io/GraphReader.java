package dev.janus.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.graph.Graph;
import dev.janus.graph.Node;
import dev.janus.graph.SourceLocation;
import dev.janus.graph.Value;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds a graph from graph.json's tree, checking every field on the way: types of fields, op names,
 * attributes against the op set's table, dtypes, shapes (rank, element count), dynamic dims, that each value
 * id is defined once and every reference names a value defined before it, that parameters and constants
 * match their tensors in weights.safetensors, and that the signature matches the graph. It then runs
 * {@link Graph#verify()} (SSA order, scoping of subgraphs, every node's type against its op's shape rule).
 * Every problem is a {@link ModelFormatException} naming the entry and the path of the field
 * ({@code graph.json: graph.nodes[3].attrs.axis}).
 */
final class GraphReader {
    /** Subgraphs may nest this deep (an If in a Loop in an If ... ); deeper files are refused before recursing. */
    static final int MAX_DEPTH = 16;
    /** Ranks above this are refused. */
    static final int MAX_RANK = 32;
    private static final String ENTRY = "graph.json: ";

    private final Map<String, Tensor> weights;
    private final long maxElements;
    private final Map<Integer, Value> values = new HashMap<>();
    private final Set<String> usedWeights = new HashSet<>();

    /** The graph and the signature it declares. */
    record Read(Graph graph, Signature signature) {}

    private GraphReader(Map<String, Tensor> weights, long maxElements) {
        this.weights = weights;
        this.maxElements = maxElements;
    }

    /** The verified graph of {@code root}, its parameters and constants taken from {@code weights}. */
    static Read read(JsonNode root, Map<String, Tensor> weights, long maxElements) throws ModelFormatException {
        GraphReader r = new GraphReader(weights, maxElements);
        requireObject(root, "graph.json");
        Graph g = r.graph(field(root, "graph", ""), "graph", 0);
        for (String key : weights.keySet()) {
            if (!r.usedWeights.contains(key)) {
                throw new ModelFormatException("weights.safetensors: tensor '" + key + "' belongs to no parameter or "
                        + "constant of graph.json");
            }
        }
        try {
            g.verify();
        } catch (RuntimeException e) {
            // NOTE: verify reports IllegalStateException; anything else a shape rule throws on hostile input
            // (an arithmetic overflow) means the same thing here: the graph is not valid.
            throw new ModelFormatException(ENTRY + e.getMessage(), e);
        }
        Signature s = r.signature(field(root, "signature", ""), g);
        return new Read(g, s);
    }

    private Graph graph(JsonNode g, String at, int depth) throws ModelFormatException {
        requireObject(g, at);
        if (depth > MAX_DEPTH) {
            throw new ModelFormatException(ENTRY + at + ": subgraphs nest deeper than " + MAX_DEPTH + " levels");
        }
        List<Value> inputs = new ArrayList<>();
        JsonNode in = array(g, "inputs", at);
        for (int i = 0; i < in.size(); i++) {
            inputs.add(define(in.get(i), at + ".inputs[" + i + "]"));
        }
        Map<Value, Tensor> params = stored(array(g, "parameters", at), at + ".parameters");
        Map<Value, Tensor> consts = stored(array(g, "constants", at), at + ".constants");
        List<Node> nodes = new ArrayList<>();
        JsonNode ns = array(g, "nodes", at);
        for (int i = 0; i < ns.size(); i++) {
            nodes.add(node(ns.get(i), at + ".nodes[" + i + "]", depth));
        }
        List<Value> outputs = new ArrayList<>();
        JsonNode out = array(g, "outputs", at);
        for (int i = 0; i < out.size(); i++) {
            outputs.add(ref(out.get(i), at + ".outputs[" + i + "]"));
        }
        return new Graph(inputs, params, consts, nodes, outputs);
    }

    /** Parameters or constants: each a value and the key of its tensor, which must have the value's type. */
    private Map<Value, Tensor> stored(JsonNode list, String at) throws ModelFormatException {
        Map<Value, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String here = at + "[" + i + "]";
            JsonNode p = list.get(i);
            requireObject(p, here);
            Value v = define(field(p, "value", here), here + ".value");
            String key = text(p, "tensor", here);
            Tensor t = weights.get(key);
            if (t == null) {
                throw new ModelFormatException(ENTRY + here + ".tensor: no tensor '" + key + "' in weights.safetensors");
            }
            TensorSpec actual = new TensorSpec(t.dtype(), t.shape());
            if (!actual.equals(v.spec()) || v.dynamicDims() != 0) {
                throw new ModelFormatException(ENTRY + here + ": " + v + " is stored as tensor '" + key + "' of type "
                        + actual + " in weights.safetensors");
            }
            usedWeights.add(key);
            out.put(v, t);
        }
        return out;
    }

    private Node node(JsonNode n, String at, int depth) throws ModelFormatException {
        requireObject(n, at);
        String name = text(n, "op", at);
        Op op;
        try {
            op = Op.byName(name);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(ENTRY + at + ".op: unknown op '" + name + "' (not in op set "
                    + ModelArchive.OPSET_VERSION + ")");
        }
        String here = at + " (" + op.opName() + ")";
        Attrs attrs = AttrCodec.decode(op, n.get("attrs"), ENTRY + here + ".attrs");
        List<Value> inputs = new ArrayList<>();
        JsonNode in = array(n, "inputs", here);
        for (int i = 0; i < in.size(); i++) {
            inputs.add(ref(in.get(i), here + ".inputs[" + i + "]"));
        }
        List<Graph> subgraphs = new ArrayList<>();
        JsonNode subs = n.get("subgraphs");
        if (subs != null) {
            if (!subs.isArray()) {
                throw new ModelFormatException(ENTRY + here + ".subgraphs must be an array");
            }
            for (int k = 0; k < subs.size(); k++) {
                subgraphs.add(graph(subs.get(k), at + ".subgraphs[" + k + "]", depth + 1));
            }
        }
        List<Value> outputs = new ArrayList<>();
        JsonNode out = array(n, "outputs", here);
        for (int i = 0; i < out.size(); i++) {
            outputs.add(define(out.get(i), here + ".outputs[" + i + "]"));
        }
        SourceLocation location = n.has("location") ? location(n.get("location"), here + ".location")
                : SourceLocation.UNKNOWN;
        try {
            return new Node(op, attrs, inputs, outputs, subgraphs, location);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(ENTRY + here + ": " + e.getMessage(), e);
        }
    }

    private static SourceLocation location(JsonNode l, String at) throws ModelFormatException {
        requireObject(l, at);
        JsonNode file = l.get("file");
        if (file != null && !file.isTextual()) {
            throw new ModelFormatException(ENTRY + at + ".file must be a string");
        }
        return new SourceLocation(text(l, "class", at), text(l, "method", at), file == null ? null : file.textValue(),
                integer(l, "line", at));
    }

    /** A new value: {@code {"id", "name"?, "dtype", "shape", "dynamic"?}}; its id must be new. */
    private Value define(JsonNode v, String at) throws ModelFormatException {
        requireObject(v, at);
        int id = integer(v, "id", at);
        JsonNode name = v.get("name");
        if (name != null && !name.isTextual()) {
            throw new ModelFormatException(ENTRY + at + ".name must be a string");
        }
        TensorSpec spec = spec(v, at);
        long dynamic = dynamic(v, spec.shape().rank(), at);
        if (values.containsKey(id)) {
            throw new ModelFormatException(ENTRY + at + ".id: value id " + id + " is defined twice");
        }
        Value value = Value.of(id, spec, name == null ? null : name.textValue(), dynamic);
        values.put(id, value);
        return value;
    }

    private TensorSpec spec(JsonNode v, String at) throws ModelFormatException {
        DType dtype = AttrCodec.dtype(v.get("dtype"), ENTRY + at + ".dtype");
        long[] dims = AttrCodec.integers(v.get("shape"), ENTRY + at + ".shape", false);
        if (dims.length > MAX_RANK) {
            throw new ModelFormatException(ENTRY + at + ".shape: rank " + dims.length + " is over " + MAX_RANK);
        }
        Shape shape;
        try {
            shape = Shape.of(dims);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ModelFormatException(ENTRY + at + ".shape: invalid shape " + java.util.Arrays.toString(dims), e);
        }
        if (shape.numel() > maxElements) {
            throw new ModelFormatException(ENTRY + at + ".shape: " + shape + " has " + shape.numel()
                    + " elements, over the limit of " + maxElements + " (ModelArchive.Limits.maxElements)");
        }
        return new TensorSpec(dtype, shape);
    }

    private static long dynamic(JsonNode v, int rank, String at) throws ModelFormatException {
        JsonNode d = v.get("dynamic");
        if (d == null) {
            return 0;
        }
        long mask = 0;
        for (long axis : AttrCodec.integers(d, ENTRY + at + ".dynamic", true)) {
            if (axis < 0 || axis >= rank) {
                throw new ModelFormatException(ENTRY + at + ".dynamic: axis " + axis + " is outside rank " + rank);
            }
            mask |= 1L << axis;
        }
        return mask;
    }

    /** A reference to a value defined earlier (in this graph or an enclosing one). */
    private Value ref(JsonNode id, String at) throws ModelFormatException {
        if (id == null || !id.isIntegralNumber() || !id.canConvertToInt()) {
            throw new ModelFormatException(ENTRY + at + ": a value reference must be an int id, got " + id);
        }
        Value v = values.get(id.intValue());
        if (v == null) {
            throw new ModelFormatException(ENTRY + at + ": value id " + id.intValue() + " is not defined before it "
                    + "is used (dangling reference)");
        }
        return v;
    }

    private Signature signature(JsonNode s, Graph g) throws ModelFormatException {
        requireObject(s, "signature");
        return new Signature(slots(array(s, "inputs", "signature"), g.inputs(), "signature.inputs"),
                slots(array(s, "outputs", "signature"), g.outputs(), "signature.outputs"));
    }

    /** Signature slots: one per graph input (output), naming that value with its exact type. */
    private List<Signature.Slot> slots(JsonNode list, List<Value> values, String at) throws ModelFormatException {
        if (list.size() != values.size()) {
            throw new ModelFormatException(ENTRY + at + " lists " + list.size() + " values but the graph has "
                    + values.size());
        }
        List<Signature.Slot> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String here = at + "[" + i + "]";
            JsonNode s = list.get(i);
            requireObject(s, here);
            String name = text(s, "name", here);
            if (name.isEmpty() || !names.add(name)) {
                throw new ModelFormatException(ENTRY + here + ".name: '" + name + "' is empty or used twice");
            }
            Value v = values.get(i);
            int id = integer(s, "value", here);
            TensorSpec spec = spec(s, here);
            long dynamic = dynamic(s, spec.shape().rank(), here);
            if (id != v.id() || !spec.equals(v.spec()) || dynamic != v.dynamicDims()) {
                throw new ModelFormatException(ENTRY + here + ": declares value " + id + " of type " + spec
                        + " but the graph's is " + v);
            }
            out.add(new Signature.Slot(name, spec, dynamic));
        }
        return out;
    }

    private static void requireObject(JsonNode n, String at) throws ModelFormatException {
        if (n == null || !n.isObject()) {
            throw new ModelFormatException(ENTRY + at + " must be an object");
        }
    }

    private static JsonNode field(JsonNode obj, String name, String at) throws ModelFormatException {
        JsonNode f = obj.get(name);
        if (f == null) {
            throw new ModelFormatException(ENTRY + (at.isEmpty() ? "" : at + ".") + name + " is missing");
        }
        return f;
    }

    private static JsonNode array(JsonNode obj, String name, String at) throws ModelFormatException {
        JsonNode f = field(obj, name, at);
        if (!f.isArray()) {
            throw new ModelFormatException(ENTRY + at + "." + name + " must be an array");
        }
        return f;
    }

    private static String text(JsonNode obj, String name, String at) throws ModelFormatException {
        JsonNode f = field(obj, name, at);
        if (!f.isTextual()) {
            throw new ModelFormatException(ENTRY + at + "." + name + " must be a string, got " + f);
        }
        return f.textValue();
    }

    private static int integer(JsonNode obj, String name, String at) throws ModelFormatException {
        JsonNode f = field(obj, name, at);
        if (!f.isIntegralNumber() || !f.canConvertToInt()) {
            throw new ModelFormatException(ENTRY + at + "." + name + " must be an int, got " + f);
        }
        return f.intValue();
    }
}
