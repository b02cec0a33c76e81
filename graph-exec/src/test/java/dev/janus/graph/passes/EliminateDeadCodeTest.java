package dev.janus.graph.passes;

import static dev.janus.graph.passes.PassTesting.assertSameResults;
import static dev.janus.graph.passes.PassTesting.f32;
import static dev.janus.graph.passes.PassTesting.lines;
import static dev.janus.graph.passes.PassTesting.ops;
import static dev.janus.graph.passes.PassTesting.withoutLocations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import dev.janus.nn.Linear;
import dev.janus.nn.Module;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EliminateDeadCodeTest {
    static final class HalfUsed extends Module {
        final Linear used = new Linear(3, 2);
        final Linear unused = new Linear(3, 2);

        @Override
        public Tensor forward(Tensor x) {
            unused.forward(x);
            return used.forward(x);
        }
    }

    @Test
    void apply_unusedNodesAndConstants_areRemoved() {
        Graph before = GraphCapture.capture(in -> {
            in[0].mul(3.0).exp();
            return in[0].relu();
        }, f32(2, 3));
        assertEquals(lines(
                "graph(%x:f32[2, 3]) -> (%4)",
                "  const %1:f32[] = 3.0",
                "  %2:f32[2, 3] = mul(%x, %1)",
                "  %3:f32[2, 3] = exp(%2)",
                "  %4:f32[2, 3] = relu(%x)",
                "  return %4"), withoutLocations(before));
        Graph after = new EliminateDeadCode().apply(before);
        assertEquals(lines(
                "graph(%x:f32[2, 3]) -> (%4)",
                "  %4:f32[2, 3] = relu(%x)",
                "  return %4"), withoutLocations(after));
        assertEquals(before.nodes().get(2).location(), after.nodes().get(0).location());
        assertSameResults(before, after, 0);
    }

    @Test
    void apply_unusedParameters_areKeptByDefault() {
        Janus.manualSeed(21);
        HalfUsed m = new HalfUsed();
        Graph before = GraphCapture.capture(m, m::forward, f32(2, 3));
        Graph after = new EliminateDeadCode().apply(before);
        assertEquals(List.of("matmul", "add"), ops(after));
        assertEquals(List.of("unused.weight", "unused.bias", "used.weight", "used.bias"),
                after.parameters().keySet().stream().map(v -> v.name()).toList());
        assertSameResults(before, after, 0);
    }

    @Test
    void includingParameters_unusedParameters_areDropped() {
        Janus.manualSeed(22);
        HalfUsed m = new HalfUsed();
        Graph before = GraphCapture.capture(m, m::forward, f32(2, 3));
        Graph after = EliminateDeadCode.includingParameters().apply(before);
        assertEquals(List.of("used.weight", "used.bias"), after.parameters().keySet().stream().map(v -> v.name()).toList());
        assertSameResults(before, after, 0);
    }

    @Test
    void apply_severalOutputs_keepsTheirOrderAndWhatEachNeeds() {
        Graph before = GraphCapture.captureAll(Map.of(), in -> {
            Tensor a = in[0].exp();
            in[0].sin();
            return List.of(in[1].neg(), a, in[0].cos().add(a));
        }, f32(2), f32(2));
        Graph after = new EliminateDeadCode().apply(before);
        assertEquals(List.of("exp", "neg", "cos", "add"), ops(after));
        assertEquals(before.outputs(), after.outputs());
        assertSameResults(before, after, 0);
    }

    @Test
    void apply_nothingDead_returnsTheSameGraph() {
        Graph g = GraphCapture.capture(in -> in[0].mul(2.0).relu(), f32(3));
        assertSame(g, new EliminateDeadCode().apply(g));
    }
}
