package dev.janus.graph;

import static dev.janus.graph.ControlFlowExecutorTest.f64;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Graph.verify's scoping and typing rules for hand-built control nodes, and messages that name the node. */
class ControlFlowVerifyTest {
    private static final SourceLocation HERE = new SourceLocation("Net", "forward", "Net.java", 7);
    private static final TensorSpec BOOL = new TensorSpec(DType.BOOL, Shape.scalar());
    private static final TensorSpec I64 = new TensorSpec(DType.INT64, Shape.scalar());

    private final Value x = new Value(0, f64(2), "x");
    private final Value cond = new Value(1, BOOL, null);
    private int nextId = 10;

    private Value value(TensorSpec spec) {
        return new Value(nextId++, spec, null);
    }

    private static Node unary(Op op, Value in, Value out) {
        return new Node(op, Attrs.NONE, List.of(in), out, HERE);
    }

    private static Graph branch(List<Node> nodes, Value out) {
        return new Graph(List.of(), Map.of(), Map.of(), nodes, List.of(out));
    }

    private Graph graph(List<Node> nodes, Value out) {
        return new Graph(List.of(x), Map.of(), Map.of(cond, Tensor.scalar(1, DType.BOOL)), nodes, List.of(out));
    }

    private static IllegalStateException rejected(Graph g) {
        return assertThrows(IllegalStateException.class, g::verify);
    }

    @Test
    void verify_branchReadsValueDefinedLaterOutside_isRejectedNamingTheIf() {
        Value later = value(f64(2));
        Value result = value(f64(2));
        Node ifNode = new Node(Op.IF, Attrs.NONE, List.of(cond), List.of(result),
                List.of(branch(List.of(), later), branch(List.of(), x)), HERE);
        IllegalStateException e = rejected(graph(List.of(ifNode, unary(Op.NEG, x, later)), result));
        assertTrue(e.getMessage().contains("in a subgraph of node '" + result + " = if(%1)"), e.getMessage());
        assertTrue(e.getMessage().contains(later.ref()) && e.getMessage().contains("Net.java:7"), e.getMessage());
    }

    @Test
    void verify_elseReadsValueOfThenBranch_isRejected() {
        Value inThen = value(f64(2));
        Value inElse = value(f64(2));
        Value result = value(f64(2));
        Node ifNode = new Node(Op.IF, Attrs.NONE, List.of(cond), List.of(result), List.of(
                branch(List.of(unary(Op.EXP, x, inThen)), inThen),
                branch(List.of(unary(Op.NEG, inThen, inElse)), inElse)), HERE);
        IllegalStateException e = rejected(graph(List.of(ifNode), result));
        assertTrue(e.getMessage().contains("if(%1)") && e.getMessage().contains("uses " + inThen.ref() + " before"),
                e.getMessage());
    }

    @Test
    void verify_branchTypesDiffer_isRejectedNamingBothTypes() {
        Value sum = value(f64());
        Value result = value(f64(2));
        Node ifNode = new Node(Op.IF, Attrs.NONE, List.of(cond), List.of(result), List.of(branch(List.of(), x),
                branch(List.of(new Node(Op.SUM, Attrs.of("axes", new int[0], "keepDim", false), List.of(x), sum, HERE)),
                        sum)), HERE);
        IllegalStateException e = rejected(graph(List.of(ifNode), result));
        assertTrue(e.getMessage().contains("else branch") && e.getMessage().contains("f64[]")
                && e.getMessage().contains("f64[2]"), e.getMessage());
    }

    @Test
    void verify_loopBodyChangesCarriedType_isRejected() {
        Value trip = new Value(2, I64, null);
        Value i = value(I64);
        Value c = value(BOOL);
        Value carried = value(f64(2));
        Value sum = value(f64());
        Value result = value(f64(2));
        Graph body = new Graph(List.of(i, c, carried), Map.of(), Map.of(), List.of(new Node(Op.SUM,
                Attrs.of("axes", new int[0], "keepDim", false), List.of(carried), sum, HERE)), List.of(c, sum));
        Node loop = new Node(Op.LOOP, Attrs.NONE, List.of(trip, cond, x), List.of(result), List.of(body), HERE);
        Graph g = new Graph(List.of(x), Map.of(), Map.of(cond, Tensor.scalar(1, DType.BOOL),
                trip, Tensor.scalar(3, DType.INT64)), List.of(loop), List.of(result));
        IllegalStateException e = rejected(g);
        assertTrue(e.getMessage().contains("loop node") && e.getMessage().contains("body carried outputs"), e.getMessage());
    }

    @Test
    void verify_nonBoolCondition_isRejected() {
        Value notBool = new Value(3, f64(), null);
        Value result = value(f64(2));
        Node ifNode = new Node(Op.IF, Attrs.NONE, List.of(notBool), List.of(result),
                List.of(branch(List.of(), x), branch(List.of(), x)), HERE);
        Graph g = new Graph(List.of(x), Map.of(), Map.of(notBool, Tensor.scalar(1, DType.FLOAT64)), List.of(ifNode),
                List.of(result));
        IllegalStateException e = rejected(g);
        assertTrue(e.getMessage().contains("condition must be a bool scalar"), e.getMessage());
    }
}
