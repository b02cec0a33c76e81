package dev.janus.graph.passes;

import static dev.janus.graph.passes.PassTesting.assertSameResults;
import static dev.janus.graph.passes.PassTesting.f32;
import static dev.janus.graph.passes.PassTesting.lines;
import static dev.janus.graph.passes.PassTesting.ops;
import static dev.janus.graph.passes.PassTesting.withoutLocations;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.graph.Executor;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import dev.janus.graph.GraphExecutionException;
import dev.janus.graph.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

class FoldConstantsTest {
    private static final Tensor C = Tensor.of(new float[] {0, 1, 2});

    /** {@code x + 2·exp(c)}: capture records exp and mul on the constant c, which only read constants. */
    private static Graph constantSubexpression() {
        return GraphCapture.capture(in -> in[0].add(C.exp().mul(2.0)), f32(2, 3));
    }

    @Test
    void apply_constantChain_foldsIntoConstants() {
        Graph before = constantSubexpression();
        assertEquals(lines(
                "graph(%x:f32[2, 3]) -> (%5)",
                "  const %1:f32[3]",
                "  const %3:f32[] = 2.0",
                "  %2:f32[3] = exp(%1)",
                "  %4:f32[3] = mul(%2, %3)",
                "  %5:f32[2, 3] = add(%x, %4)",
                "  return %5"), withoutLocations(before));
        Graph after = new FoldConstants().apply(before);
        assertEquals(lines(
                "graph(%x:f32[2, 3]) -> (%5)",
                "  const %1:f32[3]",
                "  const %3:f32[] = 2.0",
                "  const %2:f32[3]",
                "  const %4:f32[3]",
                "  %5:f32[2, 3] = add(%x, %4)",
                "  return %5"), withoutLocations(after));
        after.verify();
        assertSameResults(before, after, 0);
    }

    @Test
    void apply_constantChain_holdsTheEagerValue() {
        Graph after = new FoldConstants().apply(constantSubexpression());
        Tensor folded = after.constants().entrySet().stream().filter(e -> e.getKey().id() == 4).findFirst().orElseThrow()
                .getValue();
        assertArrayEquals(C.exp().mul(2.0).toFloatArray(), folded.toFloatArray());
        assertFalse(folded.requiresGrad());
    }

    @Test
    void apply_keepsSourceLocationsOfRemainingNodes() {
        Graph before = constantSubexpression();
        Node add = new FoldConstants().apply(before).nodes().get(0);
        assertEquals(before.nodes().get(2).location(), add.location());
        assertEquals("FoldConstantsTest.java", add.location().file());
    }

    @Test
    void apply_whileACaptureRecords_stillEvaluatesEagerly() {
        Graph before = constantSubexpression();
        Graph[] inner = new Graph[1];
        GraphCapture.capture(in -> {
            inner[0] = new FoldConstants().apply(before);
            return in[0].neg();
        }, f32(1));
        assertEquals(List.of("add"), ops(inner[0]));
        assertSameResults(before, inner[0], 0);
    }

    @Test
    void apply_parameterInputs_areNeverFolded() {
        Tensor w = Tensor.randn(new Generator(11), 4, 3).requiresGrad(true);
        // permute and mul read only a parameter (and a constant): live, so they must stay nodes.
        Graph before = GraphCapture.capture(in -> in[0].matmul(w.t().mul(2.0)), f32(2, 3));
        assertEquals("param0", before.parameters().keySet().iterator().next().name());
        Graph after = new FoldConstants().apply(before);
        assertEquals(before.toString(), after.toString());
        assertEquals(List.of("permute", "mul", "matmul"), ops(after));

        Executor ex = new Executor(after);
        Tensor x = Tensor.randn(new Generator(12), 2, 3);
        try (var noGrad = Janus.noGrad()) {
            w.assign(w.add(1.0));
            Tensor expected = x.matmul(w.t().mul(2.0));
            assertArrayEquals(expected.toFloatArray(), ex.run(x)[0].toFloatArray(), 1e-6f);
        }
    }

    @Test
    void apply_resultAboveTheLimit_isKept() {
        Graph before = GraphCapture.capture(in -> in[0].add(C.expand(4, 3)), f32(4, 3));
        assertEquals(List.of("expand", "add"), ops(new FoldConstants(11).apply(before)));
        Graph folded = new FoldConstants(12).apply(before);
        assertEquals(List.of("add"), ops(folded));
        assertSameResults(before, folded, 0);
    }

    @Test
    void apply_failingEvaluation_isLeftForTheExecutor() {
        Tensor index = Tensor.of(new long[] {0, 7});
        Graph before = GraphCapture.capture(in -> in[0].add(C.gather(0, index)), f32(2));
        Graph after = new FoldConstants().apply(before);
        assertEquals(List.of("gather", "add"), ops(after));
        GraphExecutionException e = assertThrows(GraphExecutionException.class,
                () -> new Executor(after).run(Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("gather") && e.getMessage().contains("FoldConstantsTest.java:"), e.getMessage());
    }

    @Test
    void apply_nothingConstant_keepsTheGraphText() {
        Graph g = GraphCapture.capture(in -> in[0].exp().mul(2.0), f32(2));
        assertEquals(g.toString(), new FoldConstants().apply(g).toString());
    }

    @Test
    void constructor_negativeLimit_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new FoldConstants(-1));
    }
}
