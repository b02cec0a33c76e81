package dev.janus.io.tensorboard;

import dev.janus.DType;
import dev.janus.graph.Graph;
import dev.janus.graph.Node;
import dev.janus.graph.Value;
import dev.janus.ops.Op;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Encodes a Janus {@link Graph} as a TensorFlow {@code GraphDef} for TensorBoard's graph dashboard. Field numbers
 * are those of TensorFlow's {@code graph.proto}, {@code node_def.proto}, {@code attr_value.proto} and
 * {@code types.proto}.
 *
 * <p>Each node is named {@code <op>_<id>} after its first value ({@code matmul_7}); inputs, parameters and
 * constants are {@code input}, {@code param} and {@code const} nodes named by their value ({@code fc1/weight}:
 * dots become slashes, so TensorBoard groups a module's parameters). The nodes of an {@code if}, {@code loop}
 * or {@code fused} subgraph live under the control node's name and the subgraph's role
 * ({@code loop_9/body/neg_6}), which TensorBoard draws as one collapsible group; the control node gets a
 * control edge ({@code ^name}) from each subgraph output. Every node carries {@code _output_shapes} (dynamic
 * dims as -1), its output dtype as {@code T}, its Janus attributes and its source line as {@code _source}.
 */
final class GraphDefEncoder {
    // GraphDef, NodeDef and its attr map entry
    private static final int GRAPH_NODE = 1;
    private static final int NODE_NAME = 1;
    private static final int NODE_OP = 2;
    private static final int NODE_INPUT = 3;
    private static final int NODE_ATTR = 5;
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;
    // AttrValue (its oneof) and AttrValue.ListValue
    private static final int ATTR_LIST = 1;
    private static final int ATTR_S = 2;
    private static final int ATTR_I = 3;
    private static final int ATTR_F = 4;
    private static final int ATTR_B = 5;
    private static final int ATTR_TYPE = 6;
    private static final int LIST_I = 3;
    private static final int LIST_TYPE = 6;
    private static final int LIST_SHAPE = 7;

    private final ProtoMessage graphDef = new ProtoMessage();
    /** What a NodeDef input says for a value: {@code node} or {@code node:k} for output k. */
    private final Map<Value, String> refs = new IdentityHashMap<>();
    private final Set<String> usedNames = new HashSet<>();

    private GraphDefEncoder() {}

    /** The serialized {@code GraphDef} of {@code graph}, its outputs as {@code output_<k>} nodes. */
    static byte[] encode(Graph graph) {
        GraphDefEncoder e = new GraphDefEncoder();
        e.addGraph(graph, "");
        for (int k = 0; k < graph.outputs().size(); k++) {
            Value v = graph.outputs().get(k);
            e.emit(e.unique("output_" + k), "output", List.of(e.ref(v)), List.of(v), Map.of(), null);
        }
        return e.graphDef.toByteArray();
    }

    private void addGraph(Graph g, String scope) {
        for (Value v : g.inputs()) {
            define(v, scope, "input");
        }
        for (Value v : g.parameters().keySet()) {
            define(v, scope, "param");
        }
        for (Value v : g.constants().keySet()) {
            define(v, scope, "const");
        }
        for (Node n : g.nodes()) {
            addNode(n, scope);
        }
    }

    /** A node for a value with no producing op (an input, parameter or constant). */
    private void define(Value v, String scope, String op) {
        String name = unique(scope + (v.name() != null ? sanitize(v.name()) : op + "_" + v.id()));
        refs.put(v, name);
        emit(name, op, List.of(), List.of(v), Map.of(), null);
    }

    private void addNode(Node n, String scope) {
        String name = unique(scope + n.op().opName() + "_" + n.outputs().get(0).id());
        List<String> inputs = new ArrayList<>();
        for (Value in : n.inputs()) {
            inputs.add(ref(in));
        }
        Set<String> fromSubgraphs = new LinkedHashSet<>();
        for (int k = 0; k < n.subgraphs().size(); k++) {
            Graph sub = n.subgraphs().get(k);
            addGraph(sub, name + "/" + role(n.op(), k) + "/");
            for (Value out : sub.outputs()) {
                fromSubgraphs.add("^" + nodeName(ref(out)));
            }
        }
        inputs.addAll(fromSubgraphs);
        for (int i = 0; i < n.outputs().size(); i++) {
            refs.put(n.outputs().get(i), i == 0 ? name : name + ":" + i);
        }
        emit(name, n.op().opName(), inputs, n.outputs(), n.attrs().asMap(), n.location().line() < 0 ? null : n.location().toString());
    }

    private void emit(String name, String op, List<String> inputs, List<Value> outputs, Map<String, Object> attrs, String source) {
        ProtoMessage node = new ProtoMessage().string(NODE_NAME, name).string(NODE_OP, op);
        for (String in : inputs) {
            node.string(NODE_INPUT, in);
        }
        attrs.forEach((key, value) -> node.message(NODE_ATTR, entry(key, attrValue(value))));
        node.message(NODE_ATTR, entry("_output_shapes", outputShapes(outputs)));
        node.message(NODE_ATTR, entry("T", outputTypes(outputs)));
        if (source != null) {
            node.message(NODE_ATTR, entry("_source", new ProtoMessage().string(ATTR_S, source)));
        }
        graphDef.message(GRAPH_NODE, node);
    }

    private static ProtoMessage entry(String key, ProtoMessage value) {
        return new ProtoMessage().string(ENTRY_KEY, key).message(ENTRY_VALUE, value);
    }

    private static ProtoMessage outputShapes(List<Value> outputs) {
        ProtoMessage list = new ProtoMessage();
        for (Value v : outputs) {
            ProtoMessage shape = new ProtoMessage();
            long[] dims = v.spec().shape().dims();
            for (int d = 0; d < dims.length; d++) {
                long size = v.isDynamic(d) ? -1 : dims[d];
                shape.message(EventProtos.SHAPE_DIM, new ProtoMessage().int64(EventProtos.DIM_SIZE, size));
            }
            list.message(LIST_SHAPE, shape);
        }
        return new ProtoMessage().message(ATTR_LIST, list);
    }

    /** One output: a {@code type}; several: a {@code list(type)}. */
    private static ProtoMessage outputTypes(List<Value> outputs) {
        if (outputs.size() == 1) {
            return new ProtoMessage().int32(ATTR_TYPE, dataType(outputs.get(0).spec().dtype()));
        }
        long[] types = outputs.stream().mapToLong(v -> dataType(v.spec().dtype())).toArray();
        return new ProtoMessage().message(ATTR_LIST, new ProtoMessage().packedVarint(LIST_TYPE, types));
    }

    /** A Janus attribute (see {@code Attrs}) as the closest AttrValue; anything else as its text. */
    private static ProtoMessage attrValue(Object v) {
        ProtoMessage a = new ProtoMessage();
        if (v instanceof Integer || v instanceof Long) {
            return a.int64(ATTR_I, ((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            return a.float32(ATTR_F, ((Number) v).floatValue());
        } else if (v instanceof Boolean b) {
            return a.bool(ATTR_B, b);
        } else if (v instanceof DType t) {
            return a.int32(ATTR_TYPE, dataType(t));
        } else if (v instanceof int[] ints) {
            return a.message(ATTR_LIST, new ProtoMessage().packedVarint(LIST_I, java.util.Arrays.stream(ints).asLongStream().toArray()));
        } else if (v instanceof long[] longs) {
            return a.message(ATTR_LIST, new ProtoMessage().packedVarint(LIST_I, longs));
        }
        return a.string(ATTR_S, String.valueOf(v));
    }

    /** types.proto's DataType number for a Janus dtype. */
    private static int dataType(DType t) {
        return switch (t) {
            case BOOL -> 10;    // DT_BOOL
            case INT32 -> 3;    // DT_INT32
            case INT64 -> 9;    // DT_INT64
            case FLOAT32 -> 1;  // DT_FLOAT
            case FLOAT64 -> 2;  // DT_DOUBLE
        };
    }

    private static String role(Op op, int k) {
        return switch (op) {
            case IF -> k == 0 ? "then" : "else";
            case LOOP -> "body";
            case FUSED -> "kernel";
            default -> "subgraph_" + k;
        };
    }

    private String ref(Value v) {
        String r = refs.get(v);
        if (r == null) {
            throw new IllegalArgumentException("graph value " + v + " is used before it is defined; run Graph.verify() "
                    + "to find the node");
        }
        return r;
    }

    private static String nodeName(String ref) {
        int colon = ref.lastIndexOf(':');
        return colon < 0 ? ref : ref.substring(0, colon);
    }

    /** {@code name}, or {@code name_2}, {@code name_3}... when a node already has it. */
    private String unique(String name) {
        String candidate = name;
        for (int k = 2; !usedNames.add(candidate); k++) {
            candidate = name + "_" + k;
        }
        return candidate;
    }

    /** A value name in TensorFlow's node-name alphabet ({@code [A-Za-z0-9.][A-Za-z0-9_>./]*}), dots as scopes. */
    private static String sanitize(String name) {
        String s = name.replace('.', '/').replaceAll("[^A-Za-z0-9_>./]", "_");
        return s.isEmpty() || !Character.isLetterOrDigit(s.charAt(0)) ? "v" + s : s;
    }
}
