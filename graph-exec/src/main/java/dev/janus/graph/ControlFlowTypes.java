package dev.janus.graph;

import dev.janus.DType;
import dev.janus.ops.TensorSpec;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The typing rules of the control ops, checked by {@link Graph#verify()}: what {@link dev.janus.ops.ShapeRules}
 * is for primitives. Subgraphs are verified with the enclosing values in scope (they may read them, ONNX
 * style); a fused kernel's body is closed and reads only its own inputs.
 */
final class ControlFlowTypes {
    private ControlFlowTypes() {}

    static void verify(Node n, Set<Value> scope) {
        switch (n.op()) {
            case IF -> verifyIf(n, scope);
            case LOOP -> verifyLoop(n, scope);
            case FUSED -> verifyFused(n);
            default -> throw fail(n, "is not a control op");
        }
    }

    private static void verifyIf(Node n, Set<Value> scope) {
        if (n.subgraphs().size() != 2 || n.inputs().size() != 1) {
            throw fail(n, "needs one condition input and two subgraphs (then, else)");
        }
        requireScalar(n, n.inputs().get(0), DType.BOOL, "condition");
        for (int b = 0; b < 2; b++) {
            Graph branch = n.subgraphs().get(b);
            if (!branch.inputs().isEmpty()) {
                throw fail(n, (b == 0 ? "then" : "else") + " branch takes no inputs (it reads enclosing values)");
            }
            verifySubgraph(n, branch, scope);
            matchTypes(n, branch.outputs(), n.outputs(), b == 0 ? "then branch" : "else branch");
        }
    }

    private static void verifyLoop(Node n, Set<Value> scope) {
        if (n.subgraphs().size() != 1 || n.inputs().size() < 2) {
            throw fail(n, "needs inputs (tripCount, cond, carried...) and one body subgraph");
        }
        requireScalar(n, n.inputs().get(0), DType.INT64, "trip count");
        requireScalar(n, n.inputs().get(1), DType.BOOL, "condition");
        Graph body = n.subgraphs().get(0);
        int carried = n.inputs().size() - 2;
        if (body.inputs().size() != carried + 2) {
            throw fail(n, "body takes (i, cond, " + carried + " carried), has " + body.inputs().size() + " inputs");
        }
        requireScalar(n, body.inputs().get(0), DType.INT64, "body iteration number");
        requireScalar(n, body.inputs().get(1), DType.BOOL, "body condition input");
        int scanned = body.outputs().size() - 1 - carried;
        if (scanned < 0) {
            throw fail(n, "body returns (cond, " + carried + " carried, scanned...), has " + body.outputs().size()
                    + " outputs");
        }
        if (n.outputs().size() != carried + scanned) {
            throw fail(n, "defines " + n.outputs().size() + " values, expected " + carried + " carried + " + scanned
                    + " scanned");
        }
        verifySubgraph(n, body, scope);
        requireScalar(n, body.outputs().get(0), DType.BOOL, "body condition output");
        List<Value> carriedIn = n.inputs().subList(2, n.inputs().size());
        matchTypes(n, body.inputs().subList(2, body.inputs().size()), carriedIn, "body inputs");
        matchTypes(n, body.outputs().subList(1, 1 + carried), carriedIn, "body carried outputs");
        matchTypes(n, n.outputs().subList(0, carried), carriedIn, "final carried values");
        for (int s = 0; s < scanned; s++) {
            Value each = body.outputs().get(1 + carried + s);
            Value stacked = n.outputs().get(carried + s);
            long[] e = each.spec().shape().dims();
            long[] st = stacked.spec().shape().dims();
            boolean ok = stacked.spec().dtype() == each.spec().dtype() && st.length == e.length + 1 && stacked.isDynamic(0);
            for (int i = 0; ok && i < e.length; i++) {
                ok = st[i + 1] == e[i] || stacked.isDynamic(i + 1);
            }
            if (!ok) {
                throw fail(n, "scanned output " + stacked + " must be " + each.typeString() + " stacked along a new "
                        + "dynamic first axis");
            }
        }
    }

    private static void verifyFused(Node n) {
        if (n.subgraphs().size() != 1) {
            throw fail(n, "needs one kernel subgraph");
        }
        Graph kernel = n.subgraphs().get(0);
        if (!kernel.parameters().isEmpty()) {
            throw fail(n, "a fused kernel reads parameters through its inputs, not its own");
        }
        matchTypes(n, kernel.inputs(), n.inputs(), "kernel inputs");
        verifySubgraph(n, kernel, Collections.newSetFromMap(new IdentityHashMap<>()));
        matchTypes(n, kernel.outputs(), n.outputs(), "kernel outputs");
    }

    private static void verifySubgraph(Node n, Graph sub, Set<Value> scope) {
        try {
            sub.verify(scope);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("graph verification: in a subgraph of node '" + firstLine(n) + "': "
                    + e.getMessage(), e);
        }
    }

    /** Same dtype and rank; a static dim of {@code expected} must be equal unless either side is dynamic. */
    private static void matchTypes(Node n, List<Value> actual, List<Value> expected, String what) {
        if (actual.size() != expected.size()) {
            throw fail(n, what + ": " + actual.size() + " values, expected " + expected.size());
        }
        for (int i = 0; i < actual.size(); i++) {
            if (!sameType(actual.get(i), expected.get(i))) {
                throw fail(n, what + ": " + actual.get(i) + " does not match " + expected.get(i));
            }
        }
    }

    /** Same dtype and rank, and equal static dims (a dim dynamic on either side may differ). */
    static boolean sameType(Value a, Value b) {
        long[] ad = a.spec().shape().dims();
        long[] bd = b.spec().shape().dims();
        if (a.spec().dtype() != b.spec().dtype() || ad.length != bd.length) {
            return false;
        }
        for (int d = 0; d < ad.length; d++) {
            if (ad[d] != bd[d] && !a.isDynamic(d) && !b.isDynamic(d)) {
                return false;
            }
        }
        return true;
    }

    private static void requireScalar(Node n, Value v, DType dtype, String what) {
        TensorSpec s = v.spec();
        if (s.dtype() != dtype || s.shape().rank() != 0) {
            throw fail(n, what + " must be a " + dtype.shortName() + " scalar, got " + v);
        }
    }

    private static IllegalStateException fail(Node n, String message) {
        return new IllegalStateException("graph verification: " + n.op().opName() + " node '" + firstLine(n) + "' "
                + message);
    }

    private static String firstLine(Node n) {
        String s = n.toString();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
