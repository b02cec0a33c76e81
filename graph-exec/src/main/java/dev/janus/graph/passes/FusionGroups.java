package dev.janus.graph.passes;

import dev.janus.DType;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphRewriter;
import dev.janus.graph.Node;
import dev.janus.graph.Value;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the groups the fusion passes turn into {@link Op#FUSED} nodes and rewrites them. A group is grown
 * from a sink (a float elementwise node) towards its producers: a producer joins when it is elementwise with
 * the sink's type, and every reader of its value is already in the group, so the group has one output and no
 * path leaves it and comes back. Optionally one rank-2 {@link Op#MATMUL} whose operands come from outside
 * joins as the group's head (a GEMM epilogue: the bias add and activation run on the product in place).
 */
final class FusionGroups {
    private FusionGroups() {}

    /** The float elementwise ops a fused kernel computes (the same set backends compile). */
    static boolean isFusible(Node n) {
        if (n.isControl()) {
            return false;
        }
        boolean op = switch (n.op()) {
            case NEG, ABS, SIGN, EXP, LOG, LOG1P, EXPM1, SQRT, RSQRT, SIN, COS, TAN, TANH, SIGMOID, RELU, ERF, FLOOR,
                    CEIL, ROUND, ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM -> true;
            default -> false;
        };
        DType t = n.output().spec().dtype();
        if (!op || (t != DType.FLOAT32 && t != DType.FLOAT64)) {
            return false;
        }
        for (Value in : n.inputs()) {
            if (in.spec().dtype() != t) {
                return false;
            }
        }
        return true;
    }

    private static boolean isMatmulHead(Node n, TensorSpec type) {
        return n.op() == Op.MATMUL && n.output().spec().equals(type) && n.inputs().get(0).spec().shape().rank() == 2
                && n.inputs().get(1).spec().shape().rank() == 2 && n.inputs().get(1).spec().dtype() == type.dtype();
    }

    static Graph fuse(Graph graph, boolean matmulHeads) {
        Map<Value, Node> producer = new IdentityHashMap<>();
        Map<Value, Integer> readers = new IdentityHashMap<>();
        for (Node n : graph.nodes()) {
            for (Value out : n.outputs()) {
                producer.put(out, n);
            }
            for (Value v : n.uses()) {
                readers.merge(v, 1, Integer::sum);
            }
        }
        Set<Value> outputs = Collections.newSetFromMap(new IdentityHashMap<>());
        outputs.addAll(graph.outputs());

        Set<Node> grouped = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Node, List<Node>> groupOfSink = new IdentityHashMap<>();
        List<Node> nodes = graph.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node sink = nodes.get(i);
            if (grouped.contains(sink) || !isFusible(sink)) {
                continue;
            }
            List<Node> members = grow(sink, producer, readers, outputs, grouped, matmulHeads);
            boolean hasHead = members.stream().anyMatch(m -> m.op() == Op.MATMUL);
            if (members.size() >= 2 && (!matmulHeads || hasHead)) {
                grouped.addAll(members);
                groupOfSink.put(sink, members);
            }
        }
        if (groupOfSink.isEmpty()) {
            return graph;
        }
        GraphRewriter r = new GraphRewriter(graph);
        for (Node n : nodes) {
            List<Node> members = groupOfSink.get(n);
            if (members != null) {
                emitFused(r, members, nodes);
            } else if (!grouped.contains(n)) {
                r.emit(n);
            }
        }
        return r.build();
    }

    /** The members of the group whose sink is {@code sink}, in any order. */
    private static List<Node> grow(Node sink, Map<Value, Node> producer, Map<Value, Integer> readers, Set<Value> outputs,
            Set<Node> taken, boolean matmulHeads) {
        TensorSpec type = sink.output().spec();
        Set<Node> group = Collections.newSetFromMap(new IdentityHashMap<>());
        group.add(sink);
        Map<Value, Integer> readsInGroup = new IdentityHashMap<>();
        sink.inputs().forEach(v -> readsInGroup.merge(v, 1, Integer::sum));
        boolean head = false;
        for (boolean grew = true; grew; ) {
            grew = false;
            for (Value v : new ArrayList<>(readsInGroup.keySet())) {
                Node p = producer.get(v);
                if (p == null || group.contains(p) || taken.contains(p) || outputs.contains(v) || p.outputs().size() != 1
                        || !readsInGroup.get(v).equals(readers.get(v)) || !p.output().spec().equals(type)) {
                    continue;
                }
                boolean elementwise = isFusible(p);
                boolean asHead = matmulHeads && !head && isMatmulHead(p, type);
                if (!elementwise && !asHead) {
                    continue;
                }
                group.add(p);
                head |= asHead;
                if (elementwise) {
                    p.inputs().forEach(in -> readsInGroup.merge(in, 1, Integer::sum));
                }
                grew = true;
            }
        }
        return new ArrayList<>(group);
    }

    /** Emits one fused node for {@code members} at the sink's place; its kernel holds the members in order. */
    private static void emitFused(GraphRewriter r, List<Node> members, List<Node> order) {
        Set<Node> in = Collections.newSetFromMap(new IdentityHashMap<>());
        in.addAll(members);
        List<Node> ordered = new ArrayList<>();
        for (Node n : order) {
            if (in.contains(n) && n.op() == Op.MATMUL) {
                ordered.add(n); // the head first: its operands come from outside the group
            }
        }
        for (Node n : order) {
            if (in.contains(n) && n.op() != Op.MATMUL) {
                ordered.add(n);
            }
        }
        Set<Value> defined = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node n : ordered) {
            defined.add(n.output());
        }
        Map<Value, Value> formal = new LinkedHashMap<>();
        for (Node n : ordered) {
            for (Value v : n.inputs()) {
                if (!defined.contains(v) && !formal.containsKey(v)) {
                    formal.put(v, r.fresh(v.spec()));
                }
            }
        }
        Node sink = ordered.get(ordered.size() - 1);
        Value kernelOut = r.fresh(sink.output().spec());
        List<Node> body = new ArrayList<>();
        for (Node n : ordered) {
            List<Value> ins = new ArrayList<>();
            for (Value v : n.inputs()) {
                ins.add(formal.getOrDefault(v, v));
            }
            body.add(new Node(n.op(), n.attrs(), ins, n == sink ? kernelOut : n.output(), n.location()));
        }
        Graph kernel = new Graph(new ArrayList<>(formal.values()), Map.of(), Map.of(), body, List.of(kernelOut));
        r.emit(new Node(Op.FUSED, Attrs.of(), new ArrayList<>(formal.keySet()), List.of(sink.output()), List.of(kernel),
                sink.location()));
    }
}
