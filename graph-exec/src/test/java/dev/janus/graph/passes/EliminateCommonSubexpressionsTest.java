package dev.janus.graph.passes;

import static dev.janus.graph.passes.PassTesting.assertSameResults;
import static dev.janus.graph.passes.PassTesting.f32;
import static dev.janus.graph.passes.PassTesting.lines;
import static dev.janus.graph.passes.PassTesting.ops;
import static dev.janus.graph.passes.PassTesting.withoutLocations;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.janus.Tensor;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EliminateCommonSubexpressionsTest {
    private final Pass cse = new EliminateCommonSubexpressions();

    @Test
    void apply_repeatedScalarOp_mergesConstantsAndNodes() {
        Graph before = GraphCapture.capture(in -> in[0].mul(2.0).add(in[0].mul(2.0)), f32(2, 3));
        assertEquals(lines(
                "graph(%x:f32[2, 3]) -> (%5)",
                "  const %1:f32[] = 2.0",
                "  const %3:f32[] = 2.0",
                "  %2:f32[2, 3] = mul(%x, %1)",
                "  %4:f32[2, 3] = mul(%x, %3)",
                "  %5:f32[2, 3] = add(%2, %4)",
                "  return %5"), withoutLocations(before));
        Graph after = cse.apply(before);
        assertEquals(lines(
                "graph(%x:f32[2, 3]) -> (%5)",
                "  const %1:f32[] = 2.0",
                "  const %3:f32[] = 2.0",
                "  %2:f32[2, 3] = mul(%x, %1)",
                "  %5:f32[2, 3] = add(%2, %2)",
                "  return %5"), withoutLocations(after));
        assertEquals(before.nodes().get(2).location(), after.nodes().get(1).location());
        assertSameResults(before, after, 0);
    }

    @Test
    void apply_commutedAddInputs_merge_butSubDoesNot() {
        Graph before = GraphCapture.capture(in -> in[0].add(in[1]).mul(in[1].add(in[0]))
                .add(in[0].sub(in[1]).mul(in[1].sub(in[0]))), f32(3), f32(3));
        Graph after = cse.apply(before);
        assertEquals(List.of("add", "mul", "sub", "sub", "mul", "add"), ops(after));
        assertSameResults(before, after, 0);
    }

    @Test
    void apply_equalArrayAttributes_merge_differentOnesDoNot() {
        Graph before = GraphCapture.capture(in -> in[0].permute(1, 0).sum(0).add(in[0].permute(1, 0).sum(0))
                .add(in[0].permute(1, 0).sum(1).sum()), f32(2, 2));
        Graph after = cse.apply(before);
        assertEquals(List.of("permute", "sum", "add", "sum", "sum", "add"), ops(after));
        assertSameResults(before, after, 0);
    }

    @Test
    void apply_differentConstants_doNotMerge() {
        Graph before = GraphCapture.capture(in -> in[0].mul(2.0).add(in[0].mul(3.0)).add(in[0].mul(-0.0))
                .add(in[0].mul(0.0)), f32(3));
        Graph after = cse.apply(before);
        assertEquals(ops(before), ops(after));
        assertEquals(4, after.constants().size());
    }

    @Test
    void apply_equalParameters_areNotMerged() {
        Tensor a = Tensor.ones(3).requiresGrad(true);
        Tensor b = Tensor.ones(3).requiresGrad(true);
        Graph before = GraphCapture.captureAll(Map.of(), in -> List.of(in[0].mul(a).add(in[0].mul(b))), f32(3));
        Graph after = cse.apply(before);
        assertEquals(List.of("mul", "mul", "add"), ops(after));
        assertEquals(before.toString(), after.toString());
    }

    @Test
    void apply_mergedOutput_keepsOutputOrder() {
        Graph before = GraphCapture.captureAll(Map.of(), in -> List.of(in[0].exp(), in[0].sin(), in[0].exp()), f32(2));
        Graph after = cse.apply(before);
        assertEquals(List.of("exp", "sin"), ops(after));
        assertEquals(List.of(before.outputs().get(0), before.outputs().get(1), before.outputs().get(0)), after.outputs());
        assertSameResults(before, after, 0);
    }
}
