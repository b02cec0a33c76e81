package dev.janus.trace;

import static dev.janus.trace.TraceSeedTest.count;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Tensor;
import dev.janus.ops.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Java ifs on tensor data become graph IF nodes; ifs on values known while tracing are followed. */
class TraceBranchTest {
    private final TraceModels.Gate gate = new TraceModels.Gate();
    private final Tensor positive = Tensor.of(new float[] {0.5f, -0.2f, 1.0f}, 3, 1);
    private final Tensor negative = Tensor.of(new float[] {-0.5f, 0.2f, -1.0f}, 3, 1);

    private static void assertClose(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 1e-6f);
    }

    @Test
    void dataDependentIf_recordsOneIfNode_andBothWaysEqualEager() {
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Gate::forward, gate, positive);
        assertEquals(1, count(f.graph(), Op.IF), f.graph().toString());
        for (Tensor x : List.of(positive, negative)) {
            assertClose(gate.forward(x), f.call(x));
        }
        assertEquals(1, f.traceCount());
        assertTrue(f.graph().toString().contains("= if(%") && f.graph().toString().contains(
                "   # " + SourceLines.at("TraceModels.java", "@gate-if")), f.graph().toString());
    }

    @Test
    void bothSidesReturn_theIfOutputIsTheResult() {
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Gate::early, gate, positive);
        assertEquals(1, count(f.graph(), Op.IF));
        Tensor big = positive.mul(5.0);
        for (Tensor x : List.of(positive, big)) {
            assertClose(gate.early(x), f.call(x));
        }
    }

    @Test
    void conditionalExpression_numberBecomesAnIfOutput() {
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Gate::ternary, gate, positive);
        assertEquals(1, count(f.graph(), Op.IF));
        assertTrue(f.graph().toString().contains("f64[] = if("), f.graph().toString());
        for (Tensor x : List.of(positive, negative)) {
            assertClose(gate.ternary(x), f.call(x));
        }
    }

    @Test
    void nanCondition_takesTheElseSideAsJavaDoes() {
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Gate::forward, gate, positive);
        Tensor withNan = Tensor.of(new float[] {Float.NaN, 1f, 1f}, 3, 1);
        float[] expected = gate.forward(withNan).toFloatArray();
        float[] actual = f.call(withNan).toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.isNaN(expected[i]), Float.isNaN(actual[i]), "element " + i);
            if (!Float.isNaN(expected[i])) {
                assertEquals(expected[i], actual[i], 1e-6f);
            }
        }
    }

    @Test
    void conditionOnASize_isFollowedWhileTracing() {
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Gate::bySize, gate, positive);
        assertEquals(0, count(f.graph(), Op.IF));
        assertEquals(1, count(f.graph(), Op.RELU));
        assertClose(gate.bySize(negative), f.call(negative));
    }

    @Test
    void andOfTwoDataDependentTests_nestsIfs_andMatchesEagerEveryWay() {
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Gate::both, gate, positive, positive);
        assertEquals(2, count(f.graph(), Op.IF), f.graph().toString());
        for (Tensor x : List.of(positive, negative)) {
            for (Tensor y : List.of(positive, negative)) {
                assertClose(gate.both(x, y), f.call(x, y));
            }
        }
    }

    @Test
    void booleanFromADataDependentComparison_isChosenWhenTheGraphRuns() {
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Gate::flag, gate, positive);
        for (Tensor x : List.of(positive, negative)) {
            assertClose(gate.flag(x), f.call(x));
        }
    }
}
