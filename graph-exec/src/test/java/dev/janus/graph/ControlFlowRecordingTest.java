package dev.janus.graph;

import static dev.janus.graph.ControlFlowExecutorTest.f64;
import static dev.janus.graph.ControlFlowExecutorTest.i64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.ops.Op;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What ControlFlow records: the text form of IF and LOOP nodes, and the errors it reports at the user's line. */
class ControlFlowRecordingTest {
    private static String withoutLocations(Graph g) {
        return g.toString().replaceAll(" {3}# [^\\n]*", "");
    }

    private static int lineOf(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith(ControlFlowRecordingTest.class.getName())) {
                return e.getLineNumber();
            }
        }
        return -1;
    }

    @Test
    void ifThenElse_textForm_nestsBothBranchesIndented() {
        Graph g = GraphCapture.captureAll(Map.of(), in -> ControlFlow.ifThenElse(in[0].sum().gt(0.0),
                () -> List.of(in[0].exp()), () -> List.of(in[0])), f64(3));
        String expected = String.join("\n",
                "graph(%x:f64[3]) -> (%5)",
                "  const %2:f64[] = 0.0",
                "  %1:f64[] = sum(%x) {axes=[], keepDim=false}",
                "  %3:bool[] = gt(%1, %2)",
                "  %5:f64[3] = if(%3)",
                "      then: graph() -> (%4)",
                "        %4:f64[3] = exp(%x)",
                "        return %4",
                "      else: graph() -> (%x)",
                "        return %x",
                "  return %5",
                "");
        assertEquals(expected, withoutLocations(g));
        assertTrue(g.toString().contains("%5:f64[3] = if(%3)   # ControlFlowRecordingTest.java:"), g.toString());
    }

    @Test
    void loop_textForm_showsBodyAndDynamicScanLength() {
        Graph g = GraphCapture.captureAll(Map.of(), in -> ControlFlow.loop(in[1], null, List.of(in[0]), (i, c) -> {
            Tensor h = c.get(0).neg();
            return new ControlFlow.LoopStep(null, List.of(h), List.of(h));
        }), f64(2), ControlFlowExecutorTest.I64);
        String expected = String.join("\n",
                "graph(%x0:f64[2], %x1:i64[]) -> (%7, %8)",
                "  const %2:bool[] = 1.0",
                "  %7:f64[2], %8:f64[?, 2] = loop(%x1, %2, %x0)",
                "      body: graph(%3:i64[], %4:bool[], %5:f64[2]) -> (%4, %6, %6)",
                "        %6:f64[2] = neg(%5)",
                "        return %4, %6, %6",
                "  return %7, %8",
                "");
        assertEquals(expected, withoutLocations(g));
        assertEquals(0, g.nodes().get(0).outputs().get(1).spec().shape().dim(0), "unknown trip count: recorded as 0");
    }

    @Test
    void loop_constantTripCountWithoutCondition_recordsScanLength() {
        Graph g = GraphCapture.captureAll(Map.of(), in -> ControlFlow.loop(i64(6), null, List.of(),
                (i, c) -> new ControlFlow.LoopStep(null, List.of(), List.of(in[0].mul(i.cast(DType.FLOAT64))))), f64(2));
        Value scanned = g.outputs().get(0);
        assertEquals("f64[?, 2]", scanned.typeString());
        assertEquals(6, scanned.spec().shape().dim(0));
        assertTrue(scanned.isDynamic(0));
    }

    @Test
    void ifThenElse_eagerWeightInBranch_becomesTopLevelParameterReadAsCapture() {
        Tensor w = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        Graph g = GraphCapture.captureAll(Map.of(), in -> ControlFlow.ifThenElse(in[0].sum().gt(0.0),
                () -> List.of(in[0].mul(w)), () -> List.of(in[0])), f64(2));
        Node ifNode = g.nodes().get(g.nodes().size() - 1);
        assertEquals(Op.IF, ifNode.op());
        Value param = g.parameters().keySet().iterator().next();
        assertTrue(ifNode.subgraphs().get(0).parameters().isEmpty());
        assertTrue(ifNode.subgraphs().get(0).capturedValues().contains(param));
        assertTrue(ifNode.uses().contains(param));
    }

    @Test
    void ifThenElse_branchTypesDiffer_failsNamingBothTypesAndLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GraphCapture.captureAll(Map.of(),
                in -> ControlFlow.ifThenElse(in[0].sum().gt(0.0), () -> List.of(in[0]), () -> List.of(in[0].sum())),
                f64(3)));
        assertTrue(e.getMessage().contains("f64[3]") && e.getMessage().contains("f64[]"), e.getMessage());
        assertTrue(e.getMessage().contains("ControlFlowRecordingTest.java:" + lineOf(e)), e.getMessage());
    }

    @Test
    void loop_carriedTypeChanges_failsNamingIndexTypesAndLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GraphCapture.captureAll(Map.of(),
                in -> ControlFlow.forLoop(i64(3), List.of(in[0], in[0]), (i, c) -> List.of(c.get(0), c.get(1).sum())),
                f64(3)));
        assertTrue(e.getMessage().contains("carried value 1"), e.getMessage());
        assertTrue(e.getMessage().contains("f64[3]") && e.getMessage().contains("f64[]"), e.getMessage());
        assertTrue(e.getMessage().contains("ControlFlowRecordingTest.java:" + lineOf(e)), e.getMessage());
    }

    @Test
    void ifThenElse_nonBoolCondition_isRejectedAtTheCall() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GraphCapture.captureAll(Map.of(),
                in -> ControlFlow.ifThenElse(in[0].sum(), () -> List.of(in[0]), () -> List.of(in[0])), f64(3)));
        assertTrue(e.getMessage().contains("condition") && e.getMessage().contains("bool[]"), e.getMessage());
    }

    @Test
    void valueRecordedInBranch_usedAfterIt_failsSayingToReturnIt() {
        Tensor[] leaked = new Tensor[1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GraphCapture.captureAll(Map.of(),
                in -> {
                    ControlFlow.ifThenElse(in[0].sum().gt(0.0), () -> {
                        leaked[0] = in[0].exp();
                        return List.of(leaked[0]);
                    }, () -> List.of(in[0]));
                    return List.of(leaked[0].add(1.0));
                }, f64(3)));
        assertTrue(e.getMessage().contains("inside another branch or loop body"), e.getMessage());
    }

    @Test
    void controlFlow_outsideCapture_explainsWhereToCallIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ControlFlow.ifThenElse(Tensor.scalar(1, DType.BOOL), List::of, List::of));
        assertTrue(e.getMessage().contains("GraphCapture"), e.getMessage());
    }
}
