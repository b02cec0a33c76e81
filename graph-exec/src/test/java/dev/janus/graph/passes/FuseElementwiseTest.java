package dev.janus.graph.passes;

import static dev.janus.graph.passes.PassTesting.f32;
import static dev.janus.graph.passes.PassTesting.lines;
import static dev.janus.graph.passes.PassTesting.ops;
import static dev.janus.graph.passes.PassTesting.randomInputs;
import static dev.janus.graph.passes.PassTesting.withoutLocations;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.graph.CompiledGraph;
import dev.janus.graph.Executor;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import dev.janus.graph.Node;
import dev.janus.nn.Linear;
import dev.janus.ops.Op;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FuseElementwiseTest {
    /** The fused graph, run by the compiled executor, agrees with the original run by the interpreter. */
    private static void assertSameResults(Graph before, Graph after) {
        for (long seed = 1; seed <= 3; seed++) {
            Tensor[] in = randomInputs(before, seed);
            Tensor[] expected = new Executor(before).run(in);
            Tensor[] actual = new CompiledGraph(after).run(in);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i].shape(), actual[i].shape());
                assertArrayEquals(expected[i].toDoubleArray(), actual[i].toDoubleArray(), 1e-6, "output " + i);
            }
        }
    }

    @Test
    void chain_becomesOneFusedNode_withTheChainAsItsKernel() {
        Graph g = GraphCapture.capture(in -> in[0].mul(in[1]).add(in[2]).tanh(), f32(4, 8), f32(), f32(8));
        Graph fused = new FuseElementwise().apply(g);
        assertEquals(lines(
                "graph(%x0:f32[4, 8], %x1:f32[], %x2:f32[8]) -> (%5)",
                "  %5:f32[4, 8] = fused(%x0, %x1, %x2)",
                "      kernel: graph(%6:f32[4, 8], %7:f32[], %8:f32[8]) -> (%9)",
                "        %3:f32[4, 8] = mul(%6, %7)",
                "        %4:f32[4, 8] = add(%3, %8)",
                "        %9:f32[4, 8] = tanh(%4)",
                "        return %9",
                "  return %5"), withoutLocations(fused));
        fused.verify();
        assertSameResults(g, fused);
    }

    @Test
    void valueReadOutsideTheGroup_endsTheGroup() {
        // %a is read by the exp chain and by the sum: it cannot be internal to a group
        Graph g = GraphCapture.capture(in -> {
            Tensor a = in[0].add(1.0);
            Tensor b = a.exp().neg();
            return b.add(a.sum());
        }, f32(3, 5));
        Graph fused = new FuseElementwise().apply(g);
        assertEquals(List.of("add", "sum", "fused"), ops(fused));
        assertSameResults(g, fused);
    }

    @Test
    void diamond_insideAGroup_isFusedWhole() {
        Graph g = GraphCapture.capture(in -> {
            Tensor a = in[0].sigmoid();
            return a.mul(a.neg().add(1.0)); // a * (1 - a) reads a twice, both inside the group
        }, f32(7));
        Graph fused = new FuseElementwise().apply(g);
        assertEquals(List.of("fused"), ops(fused));
        assertEquals(4, fused.nodes().get(0).subgraphs().get(0).nodes().size());
        assertSameResults(g, fused);
    }

    @Test
    void graphOutputsAndNonFloatOps_stayOutside() {
        Graph g = GraphCapture.capture(in -> in[0].exp().log1p(), f32(4));
        Graph twoOutputs = GraphCapture.captureAll(Map.of(), in -> {
            Tensor e = in[0].exp();
            return List.of(e, e.log1p());
        }, f32(4));
        assertEquals(List.of("fused"), ops(new FuseElementwise().apply(g)));
        assertSame(twoOutputs, new FuseElementwise().apply(twoOutputs), "an output cannot be internal to a group");
        Graph comparison = GraphCapture.capture(in -> in[0].gt(0.0).cast(dev.janus.DType.FLOAT32).exp(), f32(4));
        assertEquals(List.of("gt", "cast", "exp"), ops(new FuseElementwise().apply(comparison)));
    }

    @Test
    void matmulEpilogue_takesTheBiasAddAndActivation() {
        Janus.manualSeed(2);
        Linear fc = new Linear(6, 5);
        Graph g = GraphCapture.capture(fc, x -> fc.forward(x).relu(), f32(3, 6));
        Graph fused = new FuseMatmulEpilogue().apply(g);
        assertEquals(List.of("fused"), ops(fused));
        Node node = fused.nodes().get(0);
        assertEquals(List.of(Op.MATMUL, Op.ADD, Op.RELU), node.subgraphs().get(0).nodes().stream().map(Node::op).toList());
        assertEquals(List.of("x", "weight", "bias"), node.inputs().stream().map(v -> v.name()).toList());
        assertSameResults(g, fused);
        // a matmul whose product is read elsewhere, or with no epilogue, is left alone
        Graph plain = GraphCapture.capture(fc, fc::forward, f32(3, 6));
        Graph read = GraphCapture.captureAll(Map.of(), in -> {
            Tensor p = in[0].matmul(in[1]);
            return List.of(p.relu(), p.sum());
        }, f32(3, 6), f32(6, 2));
        assertEquals(List.of("fused"), ops(new FuseMatmulEpilogue().apply(plain)));
        assertSame(read, new FuseMatmulEpilogue().apply(read));
    }

    @Test
    void executionPipeline_onAnMlp_keepsResults() {
        Janus.manualSeed(3);
        Linear a = new Linear(8, 16);
        Linear b = new Linear(16, 4);
        Graph g = GraphCapture.capture(in -> b.forward(a.forward(in[0]).relu()).tanh().mul(2.0), f32(5, 8));
        Graph fused = PassManager.forExecution().apply(g);
        assertEquals(List.of("fused", "fused"), ops(fused));
        assertSameResults(g, fused);
    }
}
