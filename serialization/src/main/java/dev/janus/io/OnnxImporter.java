package dev.janus.io;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.graph.ControlFlow;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import dev.janus.graph.InputSpec;
import dev.janus.graph.SourceLocation;
import dev.janus.graph.SymbolicTensor;
import dev.janus.io.onnx.OnnxProto.AttributeProto;
import dev.janus.io.onnx.OnnxProto.AttributeType;
import dev.janus.io.onnx.OnnxProto.Dim;
import dev.janus.io.onnx.OnnxProto.GraphProto;
import dev.janus.io.onnx.OnnxProto.ModelProto;
import dev.janus.io.onnx.OnnxProto.NodeProto;
import dev.janus.io.onnx.OnnxProto.OperatorSetId;
import dev.janus.io.onnx.OnnxProto.TensorProto;
import dev.janus.io.onnx.OnnxProto.TypeProto;
import dev.janus.io.onnx.OnnxProto.ValueInfoProto;
import dev.janus.ops.Dispatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a Janus {@link Graph} from an ONNX model by running a {@link GraphCapture} that interprets the ONNX
 * nodes in order: each ONNX op becomes Janus primitives ({@link OnnxImportOps}, {@link OnnxImportNn}), so every
 * shape rule runs and the graph verifies. Nodes whose inputs are all constants are computed at import
 * (constant folding), which is how shape arithmetic ({@code Shape → Gather → Concat → Reshape}) resolves.
 * Floating initializers become parameters named as in the model; the rest constants. If and Loop are recorded
 * with {@link ControlFlow}. A graph input's unknown or symbolic dims are dynamic, recorded with size 1.
 * Recorded nodes carry the ONNX node as their location: {@code model.onnx:12} is the 12th node of its graph.
 */
final class OnnxImporter {
    private final long opset;
    private final String file;
    private final Deque<Map<String, Tensor>> scopes = new ArrayDeque<>();
    private final Set<Tensor> parameters = Collections.newSetFromMap(new IdentityHashMap<>());

    private OnnxImporter(long opset, String file) {
        this.opset = opset;
        this.file = file;
    }

    /** Carries a checked format error out of the capture's function. */
    private static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(ModelFormatException cause) {
            super(cause);
        }
    }

    /** {@code fixed}: graph inputs given values, which become constants of the graph (not inputs). */
    static Graph importModel(ModelProto m, String file, Map<String, Tensor> fixed) throws ModelFormatException {
        long opset = m.defaultOpset();
        if (opset == 0 && !m.opsets().isEmpty()) {
            throw new UnsupportedOperationException(file + ": the model uses only the operator sets "
                    + m.opsets().stream().map(o -> o.domain() + " v" + o.version()).toList() + ", not the default ONNX one");
        } else if (opset == 0) {
            throw new ModelFormatException(file + ": the model imports no operator set");
        }
        for (OperatorSetId id : m.opsets()) {
            if (!id.domain().isEmpty() && !id.domain().equals("ai.onnx") && usesDomain(m.graph(), id.domain())) {
                throw new UnsupportedOperationException(file + ": operators of domain '" + id.domain() + "' are not supported");
            }
        }
        OnnxImporter im = new OnnxImporter(opset, file);
        GraphProto g = m.graph();
        Map<String, Tensor> inits = im.initializers(g);
        Map<Tensor, String> names = new IdentityHashMap<>();
        for (Map.Entry<String, Tensor> f : fixed.entrySet()) {
            if (g.inputs().stream().noneMatch(v -> v.name().equals(f.getKey()))) {
                throw new IllegalArgumentException(file + ": fixed input '" + f.getKey() + "' is not a graph input");
            }
        }
        inits.forEach((name, t) -> {
            if (t.dtype().isFloating()) {
                names.put(t, name);
                im.parameters.add(t);
            }
        });
        inits.putAll(fixed);
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.inputs()) {
            if (!inits.containsKey(v.name())) {
                inputs.add(v);
            }
        }
        InputSpec[] specs = new InputSpec[inputs.size()];
        for (int i = 0; i < specs.length; i++) {
            specs[i] = inputSpec(inputs.get(i));
        }
        try {
            return GraphCapture.captureAll(names, in -> {
                Map<String, Tensor> scope = new HashMap<>(inits);
                for (int i = 0; i < in.length; i++) {
                    scope.put(inputs.get(i).name(), in[i]);
                }
                im.scopes.push(scope);
                try {
                    return im.runGraph(g);
                } catch (ModelFormatException e) {
                    throw new Failure(e);
                }
            }, specs);
        } catch (Failure f) {
            throw (ModelFormatException) f.getCause();
        }
    }

    private static boolean usesDomain(GraphProto g, String domain) {
        for (NodeProto n : g.nodes()) {
            if (n.domain().equals(domain)) {
                return true;
            }
            for (AttributeProto a : n.attributes()) {
                if (a.g() != null && usesDomain(a.g(), domain)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Map<String, Tensor> initializers(GraphProto g) throws ModelFormatException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorProto t : g.initializers()) {
            if (t.name().isEmpty()) {
                throw new ModelFormatException(file + ": an initializer of graph '" + g.name() + "' has no name");
            }
            out.put(t.name(), OnnxTensors.fromProto(t, file + ": initializer '" + t.name() + "'"));
        }
        return out;
    }

    private static InputSpec inputSpec(ValueInfoProto v) throws ModelFormatException {
        TypeProto t = v.type();
        if (t == null || !t.kind().equals("tensor")) {
            throw new UnsupportedOperationException("graph input '" + v.name() + "' is "
                    + (t == null ? "untyped" : "a " + t.kind()) + "; Janus imports tensor inputs of known rank");
        }
        if (t.dims() == null) {
            throw new UnsupportedOperationException("graph input '" + v.name() + "' has no declared shape (unknown rank)");
        }
        DType dtype = OnnxTensors.dtype(t.elemType(), "graph input '" + v.name() + "'");
        long[] dims = new long[t.dims().size()];
        List<Integer> dynamic = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            Dim d = t.dims().get(i);
            dims[i] = d.isKnown() ? d.value() : 1;
            if (!d.isKnown()) {
                dynamic.add(i);
            }
        }
        InputSpec s = InputSpec.of(dtype, dims).named(v.name());
        return s.dynamic(dynamic.stream().mapToInt(Integer::intValue).toArray());
    }

    // ---- interpretation ----

    /** Runs the nodes of the graph whose scope is on top; returns its outputs. */
    private List<Tensor> runGraph(GraphProto g) throws ModelFormatException {
        for (int k = 0; k < g.nodes().size(); k++) {
            runNode(g.nodes().get(k), k + 1);
        }
        List<Tensor> outs = new ArrayList<>();
        for (ValueInfoProto v : g.outputs()) {
            outs.add(lookup(v.name(), "graph output of '" + g.name() + "'"));
        }
        return outs;
    }

    private Tensor lookup(String name, String user) throws ModelFormatException {
        for (Map<String, Tensor> s : scopes) {
            Tensor t = s.get(name);
            if (t != null) {
                return t;
            }
        }
        throw new ModelFormatException(file + ": " + user + " reads '" + name + "', which is not defined before it");
    }

    private void runNode(NodeProto n, int index) throws ModelFormatException {
        String where = "node " + index + " ('" + n.opType() + "'" + (n.name().isEmpty() ? "" : " " + n.name()) + ")";
        if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
            throw new UnsupportedOperationException("ONNX op '" + n.opType() + "' of domain '" + n.domain() + "' is not supported");
        }
        Tensor[] ins = new Tensor[n.inputs().size()];
        boolean constant = true;
        for (int i = 0; i < ins.length; i++) {
            String name = n.inputs().get(i);
            if (!name.isEmpty()) {
                ins[i] = lookup(name, where);
                constant &= !(ins[i] instanceof SymbolicTensor) && !parameters.contains(ins[i]);
            }
        }
        for (AttributeProto a : n.attributes()) {
            constant &= a.type() != AttributeType.GRAPH && a.type() != AttributeType.GRAPHS;
        }
        OnnxNode node = new OnnxNode(n, opset, ins);
        List<Tensor> outs;
        try (var at = SourceLocation.withOverride(new SourceLocation("onnx", n.opType(), file, index))) {
            if (constant) {
                try (var eager = Dispatch.record(null)) {
                    outs = apply(node);
                }
            } else {
                outs = apply(node);
            }
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": " + where + ": " + e.getMessage(), e);
        }
        for (int k = 0; k < n.outputs().size(); k++) {
            String name = n.outputs().get(k);
            if (name.isEmpty()) {
                continue;
            }
            if (k >= outs.size() || outs.get(k) == null) {
                throw node.unsupported("output " + k + " ('" + name + "') is not supported");
            }
            scopes.peek().put(name, outs.get(k));
        }
    }

    private List<Tensor> apply(OnnxNode n) throws ModelFormatException {
        return switch (n.op()) {
            case "If" -> importIf(n);
            case "Loop" -> importLoop(n);
            default -> OnnxImportOps.apply(n);
        };
    }

    private List<Tensor> importIf(OnnxNode n) throws ModelFormatException {
        Tensor cond = scalar(n, n.in(0));
        GraphProto then = graphAttr(n, "then_branch");
        GraphProto other = graphAttr(n, "else_branch");
        if (!(cond instanceof SymbolicTensor)) {
            try (var eager = Dispatch.record(null)) {
                return runSubgraph(cond.cast(DType.BOOL).item() != 0 ? then : other, List.of());
            }
        }
        return ControlFlow.ifThenElse(cond, () -> runSubgraphUnchecked(then, List.of()),
                () -> runSubgraphUnchecked(other, List.of()));
    }

    /** ONNX Loop is Janus's loop: (M, cond, carried...), body (i, cond, carried...) → (cond, carried..., scans...). */
    private List<Tensor> importLoop(OnnxNode n) throws ModelFormatException {
        Tensor trip = n.has(0) ? scalar(n, n.in(0)) : null;
        Tensor cond = n.has(1) ? scalar(n, n.in(1)) : null;
        List<Tensor> carried = new ArrayList<>();
        for (int i = 2; i < n.inputCount(); i++) {
            carried.add(n.in(i));
        }
        GraphProto body = graphAttr(n, "body");
        if (body.inputs().size() != carried.size() + 2) {
            throw new ModelFormatException(file + ": Loop body takes " + body.inputs().size() + " inputs, expected "
                    + (carried.size() + 2));
        }
        Tensor alwaysTrue = Tensor.scalar(1, DType.BOOL); // the body runs only while its condition input is true
        return ControlFlow.loop(trip, cond, carried, (i, c) -> {
            List<Tensor> ins = new ArrayList<>(List.of(i, alwaysTrue));
            ins.addAll(c);
            List<Tensor> outs = runSubgraphUnchecked(body, ins);
            if (outs.size() < 1 + carried.size()) {
                throw n.malformed("the body returns " + outs.size() + " values, expected at least " + (1 + carried.size()));
            }
            return new ControlFlow.LoopStep(scalar(n, outs.get(0)), outs.subList(1, 1 + carried.size()),
                    outs.subList(1 + carried.size(), outs.size()));
        });
    }

    private List<Tensor> runSubgraph(GraphProto g, List<Tensor> inputs) throws ModelFormatException {
        Map<String, Tensor> scope = new HashMap<>(initializers(g));
        for (int i = 0; i < inputs.size(); i++) {
            scope.put(g.inputs().get(i).name(), inputs.get(i));
        }
        scopes.push(scope);
        try {
            return runGraph(g);
        } finally {
            scopes.pop();
        }
    }

    private List<Tensor> runSubgraphUnchecked(GraphProto g, List<Tensor> inputs) {
        try {
            return runSubgraph(g, inputs);
        } catch (ModelFormatException e) {
            throw new Failure(e);
        }
    }

    private GraphProto graphAttr(OnnxNode n, String name) throws ModelFormatException {
        AttributeProto a = n.attr(name);
        if (a == null || a.g() == null) {
            throw new ModelFormatException(file + ": " + n.op() + " needs graph attribute '" + name + "'");
        }
        return a.g();
    }

    /** A one-element tensor as a scalar (ONNX allows shape [1] for conditions and trip counts). */
    private static Tensor scalar(OnnxNode n, Tensor t) {
        if (t.shape().rank() == 0) {
            return t;
        }
        if (t.numel() != 1) {
            throw n.malformed("expects a scalar, got shape " + t.shape());
        }
        return OnnxPrims.reshape(t);
    }
}
