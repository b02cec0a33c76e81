package dev.janus.io;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphFunction;
import dev.janus.graph.Node;
import dev.janus.graph.Value;
import dev.janus.io.onnx.OnnxProto;
import dev.janus.io.onnx.OnnxProto.AttributeProto;
import dev.janus.io.onnx.OnnxProto.Dim;
import dev.janus.io.onnx.OnnxProto.GraphProto;
import dev.janus.io.onnx.OnnxProto.ModelProto;
import dev.janus.io.onnx.OnnxProto.NodeProto;
import dev.janus.io.onnx.OnnxProto.OperatorSetId;
import dev.janus.io.onnx.OnnxProto.TensorProto;
import dev.janus.io.onnx.OnnxProto.TypeProto;
import dev.janus.io.onnx.OnnxProto.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a Janus {@link Graph} into an ONNX model (opset {@value #OPSET}, IR version {@value #IR_VERSION}): the
 * graph structure, names, initializers and control flow here; the op-by-op mapping in {@link OnnxExportOps}.
 *
 * <p>Parameters become initializers named by their parameter names, constants initializers named
 * {@code const<id>}; graph inputs keep their names, and a dynamic dim becomes {@code dim_param} {@code batch}
 * (axis 0) or {@code N<axis>}. {@code if} and {@code loop} become ONNX If and Loop with their bodies as graph
 * attributes (bodies read enclosing values by name, as ONNX allows); a {@code fused} kernel is inlined.
 */
final class OnnxExporter {
    static final long OPSET = 17;
    static final long IR_VERSION = 8;

    private final Map<Value, String> names = new IdentityHashMap<>();
    private final Set<String> taken = new HashSet<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private int fresh;
    /** The nodes of the graph being written (the innermost subgraph while a body is written). */
    private List<NodeProto> nodes;

    private OnnxExporter() {}

    /** The ONNX model of {@code fn}'s graph. */
    static ModelProto export(GraphFunction fn) {
        OnnxExporter x = new OnnxExporter();
        GraphProto g = x.mainGraph(fn.graph(), fn.name());
        return new ModelProto(IR_VERSION, List.of(new OperatorSetId("", OPSET)), "janus", "0.1.0", g, Map.of());
    }

    private GraphProto mainGraph(Graph g, String name) {
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (Value v : g.inputs()) {
            inputs.add(valueInfo(define(v, v.name()), v, true));
        }
        for (Map.Entry<Value, Tensor> p : g.parameters().entrySet()) {
            String n = define(p.getKey(), p.getKey().name() != null ? p.getKey().name() : "param" + p.getKey().id());
            initializers.add(OnnxTensors.toProto(n, p.getValue()));
        }
        for (Map.Entry<Value, Tensor> c : g.constants().entrySet()) {
            initializers.add(OnnxTensors.toProto(define(c.getKey(), "const" + c.getKey().id()), c.getValue()));
        }
        int k = 0;
        for (Value out : g.outputs()) { // top-level outputs get readable names when they have none
            if (!names.containsKey(out)) {
                define(out, g.outputs().size() == 1 ? "output" : "output" + k);
            }
            k++;
        }
        nodes = new ArrayList<>();
        emitNodes(g);
        List<ValueInfoProto> outputs = outputs(g.outputs(), Set.copyOf(producedNames()));
        return new GraphProto(name, nodes, initializers, inputs, outputs, List.of());
    }

    /** Writes a subgraph (a branch or loop body) with its own node list; it reads enclosing values by name. */
    private GraphProto subgraph(Graph g, String name) {
        List<NodeProto> saved = nodes;
        nodes = new ArrayList<>();
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (Value v : g.inputs()) {
            inputs.add(valueInfo(define(v, "v" + v.id()), v, false));
        }
        for (Map.Entry<Value, Tensor> c : g.constants().entrySet()) {
            constantNode(define(c.getKey(), "const" + c.getKey().id()), c.getValue());
        }
        for (Map.Entry<Value, Tensor> c : g.parameters().entrySet()) {
            constantNode(define(c.getKey(), "param" + c.getKey().id()), c.getValue());
        }
        emitNodes(g);
        List<ValueInfoProto> outputs = outputs(g.outputs(), Set.copyOf(producedNames()));
        GraphProto sub = new GraphProto(name, nodes, List.of(), inputs, outputs, List.of());
        nodes = saved;
        return sub;
    }

    private List<String> producedNames() {
        List<String> out = new ArrayList<>();
        for (NodeProto n : nodes) {
            out.addAll(n.outputs());
        }
        return out;
    }

    /**
     * Graph outputs must be produced by this graph's nodes and be distinct (ONNX Runtime refuses a subgraph
     * that returns an enclosing value directly): anything else goes through an Identity.
     */
    private List<ValueInfoProto> outputs(List<Value> outs, Set<String> produced) {
        List<ValueInfoProto> infos = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (Value v : outs) {
            String n = name(v);
            if (!produced.contains(n) || !used.add(n)) {
                String copy = freshName("out");
                add("Identity", List.of(n), List.of(copy));
                n = copy;
                used.add(n);
            }
            infos.add(valueInfo(n, v, false));
        }
        return infos;
    }

    private void emitNodes(Graph g) {
        for (Node n : g.nodes()) {
            try {
                switch (n.op()) {
                    case IF -> emitIf(n);
                    case LOOP -> emitLoop(n);
                    case FUSED -> emitFused(n);
                    default -> {
                        for (Value out : n.outputs()) {
                            if (!names.containsKey(out)) {
                                define(out, "v" + out.id());
                            }
                        }
                        OnnxExportOps.emit(this, n);
                    }
                }
            } catch (OnnxExportOps.NotExportable e) {
                throw new UnsupportedOperationException("ONNX export: cannot export node '" + firstLine(n) + "' (recorded at "
                        + n.location() + "): " + e.getMessage());
            }
        }
    }

    private void emitIf(Node n) {
        defineOutputs(n);
        GraphProto then = subgraph(n.subgraphs().get(0), "then" + n.outputs().get(0).id());
        GraphProto other = subgraph(n.subgraphs().get(1), "else" + n.outputs().get(0).id());
        add("If", List.of(name(n.inputs().get(0))), outNames(n), AttributeProto.ofGraph("then_branch", then),
                AttributeProto.ofGraph("else_branch", other));
    }

    /** Janus's loop is ONNX's: inputs (M, cond, carried...), body (i, cond, carried...) → (cond, carried..., scans...). */
    private void emitLoop(Node n) {
        defineOutputs(n);
        GraphProto body = subgraph(n.subgraphs().get(0), "body" + n.outputs().get(0).id());
        List<String> ins = new ArrayList<>();
        for (Value v : n.inputs()) {
            ins.add(name(v));
        }
        add("Loop", ins, outNames(n), AttributeProto.ofGraph("body", body));
    }

    /** A fused kernel is written as its member ops: its inputs are the node's inputs, its outputs the node's. */
    private void emitFused(Node n) {
        Graph kernel = n.subgraphs().get(0);
        for (int i = 0; i < kernel.inputs().size(); i++) {
            names.put(kernel.inputs().get(i), name(n.inputs().get(i)));
        }
        for (Map.Entry<Value, Tensor> c : kernel.constants().entrySet()) {
            constantNode(define(c.getKey(), "const" + c.getKey().id()), c.getValue());
        }
        Set<Value> producedInside = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        kernel.nodes().forEach(k -> producedInside.addAll(k.outputs()));
        defineOutputs(n);
        List<Value> aliased = new ArrayList<>();
        for (int i = 0; i < kernel.outputs().size(); i++) {
            Value inner = kernel.outputs().get(i);
            if (producedInside.contains(inner) && !names.containsKey(inner)) {
                names.put(inner, name(n.outputs().get(i)));
                aliased.add(inner);
            }
        }
        emitNodes(kernel);
        for (int i = 0; i < kernel.outputs().size(); i++) {
            Value inner = kernel.outputs().get(i);
            if (!aliased.contains(inner)) {
                add("Identity", List.of(name(inner)), List.of(name(n.outputs().get(i))));
            }
        }
    }

    private void defineOutputs(Node n) {
        for (Value out : n.outputs()) {
            if (!names.containsKey(out)) {
                define(out, "v" + out.id());
            }
        }
    }

    private List<String> outNames(Node n) {
        List<String> out = new ArrayList<>();
        for (Value v : n.outputs()) {
            out.add(name(v));
        }
        return out;
    }

    // ---- names and helpers used by OnnxExportOps ----

    /** Gives {@code v} a unique name (its preferred one when free). */
    private String define(Value v, String preferred) {
        String n = preferred == null || preferred.isEmpty() ? "v" + v.id() : preferred;
        if (!taken.add(n)) {
            n = freshName(n + "_");
        }
        names.put(v, n);
        return n;
    }

    String name(Value v) {
        String n = names.get(v);
        if (n == null) {
            throw new IllegalStateException("ONNX export: " + v.ref() + " is used before it is defined");
        }
        return n;
    }

    String freshName(String prefix) {
        String n;
        do {
            n = prefix + fresh++;
        } while (!taken.add(n));
        return n;
    }

    /** Appends a node. */
    void add(String opType, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        nodes.add(new NodeProto("", opType, "", inputs, outputs, List.of(attrs)));
    }

    /** Appends a node with one new output and returns that output's name. */
    String add(String opType, List<String> inputs, AttributeProto... attrs) {
        String out = freshName("t");
        add(opType, inputs, List.of(out), attrs);
        return out;
    }

    /** A 1-D int64 initializer holding {@code values} (shapes, axes, pads). */
    String ints(long... values) {
        return initializer(OnnxTensors.toProto(freshName("k"), Tensor.of(values.clone())));
    }

    /** An int64 scalar initializer. */
    String intScalar(long value) {
        return initializer(TensorProto.raw(freshName("k"), OnnxProto.INT64, new long[0],
                java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(value).array()));
    }

    /** A scalar initializer of {@code dtype} holding {@code value}. */
    String scalar(DType dtype, double value) {
        Tensor t = OnnxTensors.shaped(Tensor.full(value, dtype, 1), dev.janus.Shape.scalar());
        return initializer(OnnxTensors.toProto(freshName("k"), t));
    }

    /** A 1-D initializer of {@code dtype}. */
    String vector(DType dtype, double... values) {
        Tensor t;
        try (var eager = dev.janus.ops.Dispatch.record(null)) {
            t = Tensor.of(values).cast(dtype);
        }
        return initializer(OnnxTensors.toProto(freshName("k"), t));
    }

    private String initializer(TensorProto t) {
        initializers.add(t);
        return t.name();
    }

    /** {@code x} converted to {@code to} when {@code from} differs. */
    String cast(String x, DType from, DType to) {
        return from == to ? x : add("Cast", List.of(x), AttributeProto.ofInt("to", OnnxTensors.code(to)));
    }

    private void constantNode(String name, Tensor t) {
        add("Constant", List.of(), List.of(name), AttributeProto.ofTensor("value", OnnxTensors.toProto("", t)));
    }

    /** A value's declared type; graph inputs name their dynamic dims, other values leave them unknown. */
    private static ValueInfoProto valueInfo(String name, Value v, boolean nameDynamicDims) {
        long[] dims = v.spec().shape().dims();
        List<Dim> ds = new ArrayList<>(dims.length);
        for (int i = 0; i < dims.length; i++) {
            if (!v.isDynamic(i)) {
                ds.add(Dim.of(dims[i]));
            } else {
                ds.add(nameDynamicDims ? Dim.named(i == 0 ? "batch" : "N" + i) : new Dim(-1, null));
            }
        }
        return new ValueInfoProto(name, TypeProto.tensor(OnnxTensors.code(v.spec().dtype()), ds));
    }

    static String firstLine(Node n) {
        String s = n.toString();
        int nl = s.indexOf('\n');
        s = nl < 0 ? s : s.substring(0, nl);
        int hash = s.lastIndexOf("   # ");
        return hash < 0 ? s : s.substring(0, hash);
    }
}
