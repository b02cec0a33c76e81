package dev.janus.graph;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.ops.Attrs;
import dev.janus.ops.Dispatch;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Records real control flow into the graph being captured: an {@link Op#IF} node whose branches are both
 * recorded, or an {@link Op#LOOP} node whose body is recorded once. Use it inside {@link GraphCapture} where a
 * Java {@code if} or {@code for} would be followed for the example values and recorded unrolled.
 *
 * <pre>{@code
 * Graph g = GraphCapture.captureAll(Map.of(), in -> ControlFlow.ifThenElse(in[0].sum().gt(0.0),
 *         () -> List.of(in[0].exp()),
 *         () -> List.of(in[0].neg())), spec);
 * }</pre>
 *
 * <p>Each branch or body is recorded into its own subgraph. Inside it, symbolic tensors of the enclosing
 * capture are read directly (they become the subgraph's captured values, not new inputs), and eager tensors
 * become parameters or constants of the top-level graph, so a model's weights are in one place whether a loop
 * body or straight-line code reads them. A tensor recorded inside a branch or body belongs to it: use the
 * control op's outputs after it. Nodes carry the source line of the user's call.
 */
public final class ControlFlow {
    private static final TensorSpec I64_SCALAR = new TensorSpec(DType.INT64, Shape.scalar());
    private static final TensorSpec BOOL_SCALAR = new TensorSpec(DType.BOOL, Shape.scalar());

    private ControlFlow() {}

    /** A loop body: given the iteration number (i64 scalar) and the carried values, one step. */
    @FunctionalInterface
    public interface LoopBody {
        LoopStep step(Tensor i, List<Tensor> carried);
    }

    /**
     * What one iteration returns: whether to go on ({@code cond}, a bool scalar, or null for always), the next
     * carried values (same types as on entry) and the values to scan (stacked over the iterations).
     */
    public record LoopStep(Tensor cond, List<Tensor> carried, List<Tensor> scanned) {
        public LoopStep {
            carried = List.copyOf(carried);
            scanned = List.copyOf(scanned);
        }
    }

    /**
     * Records {@code if (cond) then else}: both branches are recorded, one runs. {@code cond} is a bool scalar;
     * the branches return values of the same types (a dim may differ only where one side is dynamic), which
     * are the returned tensors. A branch may return an enclosing or eager tensor unchanged.
     *
     * <pre>{@code
     * List<Tensor> y = ControlFlow.ifThenElse(x.sum().gt(0.0), () -> List.of(x.exp()), () -> List.of(x));
     * }</pre>
     */
    public static List<Tensor> ifThenElse(Tensor cond, Supplier<List<Tensor>> thenBranch,
            Supplier<List<Tensor>> elseBranch) {
        SourceLocation where = SourceLocation.ofCaller();
        GraphBuilder outer = recorder("ifThenElse", where, cond);
        Value c = outer.lift(cond, where);
        requireScalar(c, BOOL_SCALAR, "ifThenElse condition", where);
        Graph thenGraph = record(outer, where, outer.child(), thenBranch);
        Graph elseGraph = record(outer, where, outer.child(), elseBranch);
        List<Value> outs = branchOutputs(outer, thenGraph.outputs(), elseGraph.outputs(), where);
        return append(outer, new Node(Op.IF, Attrs.NONE, List.of(c), outs, List.of(thenGraph, elseGraph), where));
    }

    /**
     * Records an ONNX-style loop: while {@code i < tripCount && cond}, {@code step = body(i, carried)}. Returns
     * the final carried values, then each scanned value stacked along a new first axis. {@code tripCount} (an
     * i64 scalar) or {@code cond} (a bool scalar) may be null for "no limit" and "always". With zero iterations
     * the results are the initial carried values and scans of length 0.
     *
     * <p>A scanned output's first dim is dynamic: it prints as {@code ?}, and its recorded size is the trip
     * count when that is a constant and the loop has no condition, else 0.
     *
     * <pre>{@code
     * List<Tensor> out = ControlFlow.loop(steps, null, List.of(h0), (i, c) -> {
     *     Tensor h = c.get(0).matmul(w).tanh();
     *     return new ControlFlow.LoopStep(null, List.of(h), List.of(h));   // carry h, scan h
     * });
     * }</pre>
     */
    public static List<Tensor> loop(Tensor tripCount, Tensor cond, List<Tensor> carried, LoopBody body) {
        SourceLocation where = SourceLocation.ofCaller();
        GraphBuilder outer = recorder("loop", where, tripCount, cond);
        Value trip = outer.lift(tripCount != null ? tripCount : Tensor.scalar(Long.MAX_VALUE, DType.INT64), where);
        Value c = outer.lift(cond != null ? cond : Tensor.scalar(1, DType.BOOL), where);
        requireScalar(trip, I64_SCALAR, "loop trip count", where);
        requireScalar(c, BOOL_SCALAR, "loop condition", where);
        List<Value> inputs = new ArrayList<>(List.of(trip, c));
        for (Tensor t : carried) {
            inputs.add(outer.lift(t, where));
        }
        List<Value> initial = inputs.subList(2, inputs.size());
        boolean[] bodyHasCondition = {false};
        Graph bodyGraph = recordBody(outer, initial, body, bodyHasCondition, where);
        List<Value> outs = new ArrayList<>();
        for (int k = 0; k < initial.size(); k++) {
            Value in = initial.get(k);
            requireSameType(in, bodyGraph.outputs().get(1 + k), "loop at " + where + ": carried value " + k
                    + " enters the body as %s but the body returns %s; a carried value keeps its type");
            outs.add(outer.newValue(in.spec(), in.dynamicDims()));
        }
        long recordedLength = scanLength(outer, trip, cond != null || bodyHasCondition[0]);
        for (Value each : bodyGraph.outputs().subList(1 + initial.size(), bodyGraph.outputs().size())) {
            outs.add(outer.newValue(stacked(each.spec(), recordedLength), 1L | each.dynamicDims() << 1));
        }
        return append(outer, new Node(Op.LOOP, Attrs.NONE, inputs, outs, List.of(bodyGraph), where));
    }

    /**
     * The body subgraph: inputs (i, cond, carried...), outputs (cond, carried..., scanned...). Sets
     * {@code hasCondition[0]} when the body computes its own condition (else it passes its input through).
     */
    private static Graph recordBody(GraphBuilder outer, List<Value> initial, LoopBody body, boolean[] hasCondition,
            SourceLocation where) {
        GraphBuilder child = outer.child();
        Tensor i = child.subgraphInput(I64_SCALAR, 0);
        Tensor condIn = child.subgraphInput(BOOL_SCALAR, 0);
        List<Tensor> carriedIn = new ArrayList<>(initial.size());
        for (Value v : initial) {
            carriedIn.add(child.subgraphInput(v.spec(), v.dynamicDims()));
        }
        Graph g = record(outer, where, child, () -> {
            LoopStep step = body.step(i, carriedIn);
            if (step == null || step.carried().size() != initial.size()) {
                throw new IllegalArgumentException("loop at " + where + ": the body must return " + initial.size()
                        + " carried values, returned " + (step == null ? "null" : step.carried().size()));
            }
            hasCondition[0] = step.cond() != null;
            List<Tensor> outs = new ArrayList<>();
            outs.add(step.cond() != null ? step.cond() : condIn);
            outs.addAll(step.carried());
            outs.addAll(step.scanned());
            return outs;
        });
        requireScalar(g.outputs().get(0), BOOL_SCALAR, "loop body condition", where);
        return g;
    }

    /**
     * Records {@code for (i = 0; i < tripCount; i++) carried = body(i, carried)} and returns the final carried
     * values.
     *
     * <pre>{@code
     * Tensor sum = ControlFlow.forLoop(n, List.of(zero), (i, c) -> List.of(c.get(0).add(x))).get(0);
     * }</pre>
     */
    public static List<Tensor> forLoop(Tensor tripCount, List<Tensor> carried,
            BiFunction<Tensor, List<Tensor>, List<Tensor>> body) {
        return loop(tripCount, null, carried, (i, c) -> new LoopStep(null, body.apply(i, c), List.of()));
    }

    /**
     * Records {@code while (condition(carried)) carried = body(carried)} and returns the final carried values.
     * {@code condition} is recorded twice: before the loop and at the end of the body.
     *
     * <pre>{@code
     * Tensor halved = ControlFlow.whileLoop(List.of(x), c -> c.get(0).sum().gt(1.0),
     *         c -> List.of(c.get(0).mul(0.5))).get(0);
     * }</pre>
     */
    public static List<Tensor> whileLoop(List<Tensor> carried, Function<List<Tensor>, Tensor> condition,
            Function<List<Tensor>, List<Tensor>> body) {
        Tensor first = condition.apply(carried);
        return loop(null, first, carried, (i, c) -> {
            List<Tensor> next = body.apply(c);
            return new LoopStep(condition.apply(next), next, List.of());
        });
    }

    /** The builder recording on this thread, or the one of a symbolic argument. */
    private static GraphBuilder recorder(String method, SourceLocation where, Tensor... args) {
        if (Dispatch.recording() instanceof GraphBuilder b) {
            return b;
        }
        for (Tensor t : args) {
            if (t instanceof SymbolicTensor s) {
                return s.builder();
            }
        }
        throw new IllegalStateException("ControlFlow." + method + " at " + where + " records graph control flow; call "
                + "it inside a graph capture (GraphCapture), or use Java control flow when running eagerly");
    }

    /** Records {@code body} into {@code child} as a subgraph of {@code outer}. */
    private static Graph record(GraphBuilder outer, SourceLocation where, GraphBuilder child,
            Supplier<List<Tensor>> body) {
        try (var rec = Dispatch.record(child)) {
            List<Tensor> outs = body.get();
            if (outs == null || outs.stream().anyMatch(java.util.Objects::isNull)) {
                throw new IllegalArgumentException("control flow at " + where + ": a branch or body returned "
                        + (outs == null ? "null" : "a null tensor") + "; return a list of tensors");
            }
            return child.buildSubgraph(outs, where);
        } finally {
            outer.endChild(child);
        }
    }

    private static List<Value> branchOutputs(GraphBuilder outer, List<Value> then, List<Value> other,
            SourceLocation where) {
        if (then.size() != other.size()) {
            throw new IllegalArgumentException("ifThenElse at " + where + ": the then branch returns " + then.size()
                    + " values, the else branch " + other.size() + "; both must return the same number");
        }
        List<Value> outs = new ArrayList<>(then.size());
        for (int k = 0; k < then.size(); k++) {
            Value t = then.get(k);
            Value e = other.get(k);
            requireSameType(t, e, "ifThenElse at " + where + ": output " + k + " is %s in the then branch but %s "
                    + "in the else branch; both branches must return the same types");
            outs.add(outer.newValue(t.spec(), t.dynamicDims() | e.dynamicDims()));
        }
        return outs;
    }

    private static List<Tensor> append(GraphBuilder outer, Node n) {
        outer.append(n);
        List<Tensor> out = new ArrayList<>(n.outputs().size());
        for (Value v : n.outputs()) {
            out.add(outer.symbolic(v));
        }
        return out;
    }

    /** The recorded length of a scan: a constant trip count of a loop without a condition, else 0. */
    private static long scanLength(GraphBuilder outer, Value trip, boolean hasCondition) {
        Tensor count = outer.constantValue(trip);
        return count == null || hasCondition ? 0 : Math.max(0, count.itemLong());
    }

    private static TensorSpec stacked(TensorSpec each, long length) {
        long[] dims = each.shape().dims();
        long[] out = new long[dims.length + 1];
        out[0] = length;
        System.arraycopy(dims, 0, out, 1, dims.length);
        return new TensorSpec(each.dtype(), Shape.of(out));
    }

    private static void requireScalar(Value v, TensorSpec expected, String what, SourceLocation where) {
        if (!v.spec().equals(expected)) {
            throw new IllegalArgumentException(what + " at " + where + " must be " + expected + " (a scalar), got "
                    + v.typeString());
        }
    }

    private static void requireSameType(Value a, Value b, String messageFormat) {
        if (!ControlFlowTypes.sameType(a, b)) {
            throw new IllegalArgumentException(String.format(messageFormat, a.typeString(), b.typeString()));
        }
    }
}
