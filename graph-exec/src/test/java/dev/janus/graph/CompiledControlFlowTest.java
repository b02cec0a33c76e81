package dev.janus.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.graph.passes.PassManager;
import dev.janus.ops.TensorSpec;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** If/Loop graphs run by the planned executor agree with the interpreter and reuse their buffers. */
class CompiledControlFlowTest {
    static final TensorSpec I64 = new TensorSpec(DType.INT64, Shape.scalar());

    static TensorSpec f32(long... dims) {
        return new TensorSpec(DType.FLOAT32, Shape.of(dims));
    }

    /** The seed: h = tanh(W h + b) for t < T, T a graph input. */
    static Graph seedRnn(Tensor w, Tensor b, long hidden, long batch) {
        return GraphCapture.captureAll(Map.of(w, "W", b, "b"), in -> ControlFlow.forLoop(in[1], List.of(in[0]),
                (t, carried) -> List.of(w.matmul(carried.get(0)).add(b).tanh())), f32(hidden, batch), I64);
    }

    static Tensor eagerRnn(Tensor w, Tensor b, Tensor h, long steps) {
        for (int t = 0; t < steps; t++) {
            h = w.matmul(h).add(b).tanh();
        }
        return h;
    }

    @Test
    void seedRnnLoop_oneGraphForEveryT_matchesEagerAndTheInterpreter() {
        Generator g = new Generator(11);
        Tensor w = Tensor.randn(g, 16, 16).mul(0.3);
        Tensor b = Tensor.randn(g, 16, 1);
        Graph graph = seedRnn(w, b, 16, 4);
        CompiledGraph compiled = new CompiledGraph(PassManager.forExecution().apply(graph));
        Executor interpreter = new Executor(graph);
        Tensor h0 = Tensor.randn(g, 16, 4);
        for (long steps : new long[] {0, 1, 5, 50, 5}) {
            Tensor trips = Tensor.scalar(steps, DType.INT64);
            float[] eager = eagerRnn(w, b, h0, steps).toFloatArray();
            assertArrayEquals(eager, compiled.run(h0, trips)[0].toFloatArray(), 1e-6f, "T = " + steps);
            assertArrayEquals(eager, interpreter.run(h0, trips)[0].toFloatArray(), 1e-6f, "T = " + steps);
        }
        assertEquals(1, compiled.planCount(), "the trip count is data: one plan serves every T");
    }

    @Test
    void executionPipeline_fusesInsideTheLoopBody_withIdsUniqueAcrossTheGraph() {
        Generator g = new Generator(16);
        Tensor w = Tensor.randn(g, 8, 8).mul(0.3);
        Tensor b = Tensor.randn(g, 8, 1);
        Graph graph = seedRnn(w, b, 8, 2);
        Graph optimized = PassManager.forExecution().apply(graph);
        Node loop = optimized.nodes().stream().filter(n -> n.op() == dev.janus.ops.Op.LOOP).findFirst().orElseThrow();
        List<dev.janus.ops.Op> body = loop.subgraphs().get(0).nodes().stream().map(Node::op).toList();
        assertEquals(List.of(dev.janus.ops.Op.FUSED), body, "matmul + bias + tanh become one epilogue kernel:\n" + optimized);
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        collectIds(optimized, ids);
        Tensor h0 = Tensor.randn(g, 8, 2);
        Tensor trips = Tensor.scalar(9L, DType.INT64);
        assertArrayEquals(new Executor(graph).run(h0, trips)[0].toFloatArray(),
                new CompiledGraph(optimized).run(h0, trips)[0].toFloatArray(), 1e-6f);
    }

    /** Adds every id defined in {@code g} and its subgraphs, failing on a repeat. */
    private static void collectIds(Graph g, java.util.Set<Integer> ids) {
        List<Value> defined = new java.util.ArrayList<>(g.inputs());
        defined.addAll(g.parameters().keySet());
        defined.addAll(g.constants().keySet());
        for (Node n : g.nodes()) {
            defined.addAll(n.outputs());
            for (Graph sub : n.subgraphs()) {
                collectIds(sub, ids);
            }
        }
        for (Value v : defined) {
            assertTrue(ids.add(v.id()), "id " + v.id() + " defined twice");
        }
    }

    @Test
    void loopIterations_reuseTheirBuffers_soAllocationDoesNotGrowWithT() {
        Generator g = new Generator(12);
        Tensor w = Tensor.randn(g, 64, 64).mul(0.1);
        Tensor b = Tensor.randn(g, 64, 1);
        CompiledGraph compiled = new CompiledGraph(seedRnn(w, b, 64, 16));
        Tensor h0 = Tensor.randn(g, 64, 16);
        long short10 = allocatedPerCall(() -> compiled.run(h0, Tensor.scalar(10L, DType.INT64)));
        long long110 = allocatedPerCall(() -> compiled.run(h0, Tensor.scalar(110L, DType.INT64)));
        // each iteration makes 3 values of [64, 16] floats (4 KB each); fresh buffers would cost >= 12 KB an
        // iteration, reused ones only the kernels' small bookkeeping objects
        long perIteration = (long110 - short10) / 100;
        assertTrue(perIteration < 4096, "10 steps: " + short10 + " B/call, 110 steps: " + long110 + " B/call, "
                + perIteration + " B per iteration");
    }

    @Test
    void ifAndWhile_planned_matchTheInterpreter() {
        Graph graph = GraphCapture.captureAll(Map.of(), in -> {
            Tensor x = in[0];
            Tensor y = ControlFlow.ifThenElse(x.sum().gt(0.0), () -> List.of(x.exp()), () -> List.of(x.neg())).get(0);
            // halve until the norm is below 1
            return ControlFlow.whileLoop(List.of(y), c -> c.get(0).abs().sum().gt(1.0),
                    c -> List.of(c.get(0).mul(0.5)));
        }, f32(5));
        CompiledGraph compiled = new CompiledGraph(graph);
        Executor interpreter = new Executor(graph);
        Generator g = new Generator(13);
        for (int i = 0; i < 6; i++) {
            Tensor x = Tensor.randn(g, 5).mul(3.0);
            assertArrayEquals(interpreter.run(x)[0].toFloatArray(), compiled.run(x)[0].toFloatArray(), 0f);
            assertTrue(compiled.run(x)[0].abs().sum().item() <= 1.0);
        }
    }

    @Test
    void loopWithScannedOutputs_fallsBackToTheInterpreter_withTheSameResults() {
        Graph graph = GraphCapture.captureAll(Map.of(), in -> ControlFlow.loop(in[1], null, List.of(in[0]),
                (i, c) -> new ControlFlow.LoopStep(null, List.of(c.get(0).add(1.0)), List.of(c.get(0).mul(2.0)))),
                f32(3), I64);
        CompiledGraph compiled = new CompiledGraph(graph);
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3);
        Tensor[] out = compiled.run(x, Tensor.scalar(4L, DType.INT64));
        assertEquals(Shape.of(4, 3), out[1].shape());
        assertArrayEquals(new Executor(graph).run(x, Tensor.scalar(4L, DType.INT64))[1].toFloatArray(),
                out[1].toFloatArray(), 0f);
        // a second call goes through the remembered (unplannable) entry
        assertEquals(Shape.of(6, 3), compiled.run(x, Tensor.scalar(6L, DType.INT64))[1].shape());
    }

    @Test
    void toDot_drawsSubgraphsAsClusters_withEdgesFromCapturedValues() {
        Tensor w = Tensor.randn(new Generator(14), 4, 4);
        Tensor b = Tensor.randn(new Generator(15), 4, 1);
        Graph graph = seedRnn(w, b, 4, 2);
        String dot = graph.toDot();
        assertTrue(dot.contains("subgraph cluster_"), dot);
        assertTrue(dot.contains("label=\"loop body\""), dot);
        assertTrue(dot.contains("tanh"), dot);
        assertTrue(dot.contains("[style=dashed]"), dot);
        // W is a parameter of the top-level graph, read inside the body
        String wNode = "v" + graph.parameters().keySet().iterator().next().id();
        assertTrue(dot.contains(wNode + " -> n"), dot);
    }

    private static long allocatedPerCall(Runnable r) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 50; i++) {
            r.run();
        }
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        int n = 20;
        for (int i = 0; i < n; i++) {
            r.run();
        }
        return (mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before) / n;
    }
}
