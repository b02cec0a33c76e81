package dev.janus.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.nn.Conv2d;
import dev.janus.nn.Linear;
import dev.janus.nn.Module;
import dev.janus.ops.TensorSpec;
import dev.janus.graph.passes.PassManager;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class CompiledGraphTest {
    /** 784-512-256-10 as in the benchmarks, smaller. */
    static final class Mlp extends Module {
        final Linear fc1 = new Linear(48, 32);
        final Linear fc2 = new Linear(32, 16);
        final Linear fc3 = new Linear(16, 10);

        @Override
        public Tensor forward(Tensor x) {
            Tensor flat = x.reshape(x.shape().dim(0), -1);
            return fc3.forward(fc2.forward(fc1.forward(flat).relu()).relu());
        }
    }

    static final class SmallCnn extends Module {
        final Conv2d conv = new Conv2d(1, 4, 3);
        final Linear fc = new Linear(4 * 3 * 3, 5);

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = dev.janus.nn.F.maxPool2d(conv.forward(x).relu(), 2);
            return fc.forward(h.reshape(x.shape().dim(0), -1));
        }
    }

    private static Tensor randn(Generator g, long... dims) {
        return Tensor.randn(g, dims);
    }

    private static void assertSame(Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape());
        assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 1e-6f);
    }

    @Test
    void run_equalsEagerAndTheInterpreter_onAnMlpAndACnn() {
        Janus.manualSeed(3);
        Generator g = new Generator(7);
        Mlp mlp = new Mlp();
        Graph mg = GraphCapture.capture(mlp, mlp::forward, InputSpec.of(DType.FLOAT32, 4, 3, 16));
        Tensor x = randn(g, 4, 3, 16);
        Tensor eager;
        try (var ng = Janus.noGrad()) {
            eager = mlp.forward(x);
        }
        assertSame(eager, new CompiledGraph(mg).run(x)[0]);
        assertSame(new Executor(mg).run(x)[0], new CompiledGraph(PassManager.defaultPipeline().apply(mg)).run(x)[0]);

        SmallCnn cnn = new SmallCnn();
        Graph cg = GraphCapture.capture(cnn, cnn::forward, InputSpec.of(DType.FLOAT32, 2, 1, 8, 8));
        Tensor img = randn(g, 2, 1, 8, 8);
        try (var ng = Janus.noGrad()) {
            eager = cnn.forward(img);
        }
        CompiledGraph compiled = new CompiledGraph(cg);
        assertSame(eager, compiled.run(img)[0]);
        assertSame(eager, compiled.run(img)[0]); // a second call reuses the workspace
    }

    @Test
    void dynamicBatch_oneGraphServesEveryBatchSize() {
        Janus.manualSeed(4);
        Generator g = new Generator(8);
        Mlp mlp = new Mlp();
        Graph graph = GraphCapture.capture(mlp, mlp::forward, InputSpec.of(DType.FLOAT32, 4, 3, 16).dynamic(0));
        String text = graph.toString();
        assertTrue(text.contains("graph(%x:f32[?, 3, 16])"), text);
        assertTrue(text.contains(":f32[?, 10] = add("), text);
        assertTrue(text.contains("reshape(%x) {shape=[-1, 48]}"), text);
        CompiledGraph compiled = new CompiledGraph(graph);
        for (int batch : new int[] {1, 5, 4, 64, 5}) {
            Tensor x = randn(g, batch, 3, 16);
            Tensor eager;
            try (var ng = Janus.noGrad()) {
                eager = mlp.forward(x);
            }
            assertSame(eager, compiled.run(x)[0]);
        }
        assertEquals(4, compiled.planCount(), "one plan per distinct batch size");
    }

    @Test
    void badInputs_areNamedClearly() {
        Janus.manualSeed(5);
        Mlp mlp = new Mlp();
        CompiledGraph compiled = new CompiledGraph(
                GraphCapture.capture(mlp, mlp::forward, InputSpec.of(DType.FLOAT32, 4, 3, 16).dynamic(0)));
        IllegalArgumentException staticDim = assertThrows(IllegalArgumentException.class,
                () -> compiled.run(Tensor.zeros(4, 3, 17)));
        assertTrue(staticDim.getMessage().contains("graph input %x expects f32[?, 3, 16], got f32[4, 3, 17]"),
                staticDim.getMessage());
        assertThrows(IllegalArgumentException.class, () -> compiled.run(Tensor.zeros(4, 3, 16).cast(DType.FLOAT64)));
        assertThrows(IllegalArgumentException.class, () -> compiled.run());

        // a dim the model pins (here: a literal reshape target) fails at the node that pins it, with its line
        Graph pinned = GraphCapture.capture(in -> in[0].reshape(2, 2, 48).sum(),
                InputSpec.of(DType.FLOAT32, 4, 3, 16).dynamic(0));
        GraphExecutionException e = assertThrows(GraphExecutionException.class,
                () -> new CompiledGraph(pinned).run(Tensor.zeros(2, 3, 16)));
        assertTrue(e.getMessage().contains("CompiledGraphTest.java"), e.getMessage());
        assertTrue(e.getMessage().contains("reshape"), e.getMessage());
    }

    @Test
    void memoryPlan_reusesBuffersAcrossAChain() {
        Graph chain = GraphCapture.capture(in -> {
            Tensor h = in[0];
            for (int i = 0; i < 12; i++) {
                h = h.mul(1.5).add(0.25).tanh();
            }
            return h;
        }, new TensorSpec(DType.FLOAT32, Shape.of(16, 16)));
        TensorSpec[] actual = {new TensorSpec(DType.FLOAT32, Shape.of(16, 16))};
        PlannedGraph plan = new PlannedGraph(chain, chain.inputs(), actual, backend());
        PlannedGraph.Workspace ws = plan.newWorkspace();
        assertTrue(ws.slots.length > 30, "the chain has 36 values, one slot each");
        java.util.Set<Object> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Object b : ws.slots) {
            if (b != null) {
                distinct.add(b); // the workspace buffers planned slots point at
            }
        }
        assertTrue(distinct.size() <= 2, "36 intermediates of one type need 2 buffers by liveness, got " + distinct.size());
        Tensor x = Tensor.randn(new Generator(1), 16, 16);
        assertSame(new Executor(chain).run(x)[0], new CompiledGraph(chain).run(x)[0]);
    }

    @Test
    void outputs_areFreshTensors_andSurviveLaterCalls() {
        Graph g = GraphCapture.capture(in -> in[0].exp().reshape(2, 8), new TensorSpec(DType.FLOAT32, Shape.of(4, 4)));
        CompiledGraph compiled = new CompiledGraph(g);
        Tensor a = Tensor.ones(4, 4);
        Tensor first = compiled.run(a)[0];
        float[] before = first.toFloatArray();
        compiled.run(Tensor.zeros(4, 4));
        assertArrayEquals(before, first.toFloatArray(), "a later call must not overwrite an earlier result");
        assertEquals(Shape.of(2, 8), first.shape());
    }

    @Test
    void eightThreads_agreeWithSingleThreadedResults() throws Exception {
        Janus.manualSeed(6);
        SmallCnn cnn = new SmallCnn();
        CompiledGraph compiled = new CompiledGraph(
                GraphCapture.capture(cnn, cnn::forward, InputSpec.of(DType.FLOAT32, 3, 1, 8, 8).dynamic(0)));
        List<Tensor> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        Generator g = new Generator(9);
        for (int i = 0; i < 16; i++) {
            Tensor x = randn(g, 1 + i % 3, 1, 8, 8);
            inputs.add(x);
            expected.add(compiled.run(x)[0].toFloatArray());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    for (int rep = 0; rep < 50; rep++) {
                        int i = (offset + rep) % inputs.size();
                        if (!java.util.Arrays.equals(expected.get(i), compiled.run(inputs.get(i))[0].toFloatArray())) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get(), "a concurrent run differed from the single-threaded result");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anomalyMode_namesTheNodeThatMadeTheNaN() {
        Graph g = GraphCapture.capture(in -> in[0].add(1.0).log().mul(2.0), new TensorSpec(DType.FLOAT32, Shape.of(3)));
        CompiledGraph compiled = new CompiledGraph(g);
        Tensor x = Tensor.of(new float[] {0f, -5f, 1f}, 3);
        compiled.run(x); // NaN passes silently outside anomaly mode
        try (var a = Janus.detectAnomaly()) {
            GraphExecutionException e = assertThrows(GraphExecutionException.class, () -> compiled.run(x));
            assertTrue(e.getMessage().contains("log"), e.getMessage());
            assertTrue(e.getMessage().contains("CompiledGraphTest.java"), e.getMessage());
        }
    }

    @Test
    void steadyStateCalls_allocateFarLessThanTheInterpreter() {
        Janus.manualSeed(7);
        Mlp mlp = new Mlp();
        Graph graph = GraphCapture.capture(mlp, mlp::forward, InputSpec.of(DType.FLOAT32, 64, 3, 16));
        CompiledGraph compiled = new CompiledGraph(graph);
        Executor interpreter = new Executor(graph);
        Tensor x = Tensor.randn(new Generator(2), 64, 3, 16);
        long planned = allocatedPerCall(() -> compiled.run(x));
        long interpreted = allocatedPerCall(() -> interpreter.run(x));
        assertTrue(planned * 4 < interpreted, "planned " + planned + " bytes/call vs interpreted " + interpreted);
    }

    private static long allocatedPerCall(Runnable r) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 200; i++) {
            r.run();
        }
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        int n = 100;
        for (int i = 0; i < n; i++) {
            r.run();
        }
        return (mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before) / n;
    }

    private static dev.janus.spi.Backend backend() {
        return ((dev.janus.eager.EagerTensor) Tensor.zeros(1)).backend();
    }
}
