package dev.janus.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.ops.Dispatch;
import dev.janus.ops.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Graphs with recorded if/loop give what the same computation written with Java control flow gives eagerly. */
class ControlFlowExecutorTest {
    static TensorSpec f64(long... dims) {
        return new TensorSpec(DType.FLOAT64, Shape.of(dims));
    }

    static final TensorSpec I64 = new TensorSpec(DType.INT64, Shape.scalar());

    static Tensor i64(long v) {
        return Tensor.scalar(v, DType.INT64);
    }

    static Graph capture(java.util.function.Function<Tensor[], List<Tensor>> fn, TensorSpec... specs) {
        return GraphCapture.captureAll(Map.of(), fn, specs);
    }

    /** if sum(x) > 0 then exp(x) * 2 else x - 1, recorded. */
    static List<Tensor> signSwitch(Tensor x) {
        return ControlFlow.ifThenElse(x.sum().gt(0.0), () -> List.of(x.exp().mul(2.0)), () -> List.of(x.sub(1.0)));
    }

    @Test
    void ifThenElse_dataDependentCondition_runsTheTakenBranchEachWay() {
        Graph g = capture(in -> signSwitch(in[0]), f64(3));
        Executor e = new Executor(g);
        for (double[] x : new double[][] {{0.5, -0.2, 1.0}, {-0.5, 0.2, -1.0}}) {
            Tensor t = Tensor.of(x);
            Tensor expected = t.sum().item() > 0 ? t.exp().mul(2.0) : t.sub(1.0);
            assertArrayEquals(expected.toDoubleArray(), e.run(t)[0].toDoubleArray(), 0.0);
        }
    }

    @Test
    void ifThenElse_branchesReturningOuterAndEagerTensorsDirectly_returnThem() {
        Tensor fallback = Tensor.of(new double[] {7, 8, 9});
        Graph g = capture(in -> ControlFlow.ifThenElse(in[0].sum().gt(0.0), () -> List.of(in[0]),
                () -> List.of(fallback)), f64(3));
        Executor e = new Executor(g);
        assertArrayEquals(new double[] {1, 2, 3}, e.run(Tensor.of(new double[] {1, 2, 3}))[0].toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {7, 8, 9}, e.run(Tensor.of(new double[] {-1, -2, -3}))[0].toDoubleArray(), 0.0);
    }

    @Test
    void forLoop_tripCountIsGraphInput_sameGraphRunsZeroOneAndSevenTimes() {
        Graph g = capture(in -> ControlFlow.forLoop(in[1], List.of(in[0]),
                (i, c) -> List.of(c.get(0).mul(0.5).add(i.cast(DType.FLOAT64)))), f64(3), I64);
        Executor e = new Executor(g);
        double[] x = {1, -2, 3};
        for (long t : new long[] {0, 1, 7}) {
            Tensor acc = Tensor.of(x);
            for (long i = 0; i < t; i++) {
                acc = acc.mul(0.5).add(Tensor.scalar(i, DType.FLOAT64));
            }
            assertArrayEquals(acc.toDoubleArray(), e.run(Tensor.of(x), i64(t))[0].toDoubleArray(), 0.0, "T=" + t);
        }
    }

    @Test
    void whileLoop_dataDependentCondition_stopsWhenItTurnsFalse() {
        Graph g = capture(in -> ControlFlow.whileLoop(List.of(in[0], Tensor.scalar(0, DType.FLOAT64)),
                c -> c.get(0).sum().gt(1.0),
                c -> List.of(c.get(0).mul(0.5), c.get(1).add(1.0))), f64(2));
        Executor e = new Executor(g);
        for (double[] x : new double[][] {{3, 4}, {0.25, 0.25}, {40, 0}}) {
            Tensor h = Tensor.of(x);
            int steps = 0;
            while (h.sum().item() > 1.0) {
                h = h.mul(0.5);
                steps++;
            }
            Tensor[] out = e.run(Tensor.of(x));
            assertArrayEquals(h.toDoubleArray(), out[0].toDoubleArray(), 0.0);
            assertEquals(steps, out[1].item());
        }
    }

    @Test
    void loop_scannedOutputs_areStackedPerIteration() {
        Graph g = capture(in -> ControlFlow.loop(in[1], null, List.of(in[0]), (i, c) -> {
            Tensor h = c.get(0).tanh().add(1.0);
            return new ControlFlow.LoopStep(null, List.of(h), List.of(h, h.sum()));
        }), f64(3), I64);
        Executor e = new Executor(g);
        Tensor x = Tensor.of(new double[] {0.1, -0.7, 2});
        for (long t : new long[] {0, 4}) {
            List<Tensor> hs = new ArrayList<>();
            List<Tensor> sums = new ArrayList<>();
            Tensor h = x;
            for (int i = 0; i < t; i++) {
                h = h.tanh().add(1.0);
                hs.add(h);
                sums.add(h.sum());
            }
            Tensor[] out = e.run(x, i64(t));
            assertEquals(Shape.of(t, 3), out[1].shape());
            assertEquals(Shape.of(t), out[2].shape());
            if (t > 0) {
                assertArrayEquals(Tensor.stack(0, hs).toDoubleArray(), out[1].toDoubleArray(), 0.0);
                assertArrayEquals(Tensor.stack(0, sums).toDoubleArray(), out[2].toDoubleArray(), 0.0);
            }
            assertArrayEquals(h.toDoubleArray(), out[0].toDoubleArray(), 0.0);
        }
    }

    @Test
    void loopInsideIf_runsTheInnerLoopOfTheTakenBranch() {
        Graph g = capture(in -> ControlFlow.ifThenElse(in[0].sum().gt(0.0),
                () -> ControlFlow.forLoop(i64(3), List.of(in[0]), (i, c) -> List.of(c.get(0).mul(2.0))),
                () -> ControlFlow.forLoop(i64(2), List.of(in[0]), (i, c) -> List.of(c.get(0).add(1.0)))), f64(2));
        Executor e = new Executor(g);
        assertArrayEquals(new double[] {8, -4}, e.run(Tensor.of(new double[] {1, -0.5}))[0].toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {1, 3}, e.run(Tensor.of(new double[] {-1, 1}))[0].toDoubleArray(), 0.0);
    }

    @Test
    void loopBody_readsOuterValueAndParameter_liveParameterIsReadByReference() {
        Tensor w = Tensor.of(new double[] {0.5, 2}).requiresGrad(true);
        Graph g = capture(in -> {
            Tensor scale = in[0].abs().add(1.0); // outer value, read inside the body
            return ControlFlow.forLoop(i64(3), List.of(in[0]), (i, c) -> List.of(c.get(0).mul(w).add(scale)));
        }, f64(2));
        assertEquals(1, g.parameters().size(), "the weight is a parameter of the top-level graph");
        Node loop = g.nodes().get(g.nodes().size() - 1);
        assertTrue(loop.subgraphs().get(0).parameters().isEmpty());
        assertEquals(3, loop.inputs().size(), "the outer value is captured, not a new carried input");

        Executor e = new Executor(g);
        Tensor x = Tensor.of(new double[] {1, -3});
        assertArrayEquals(javaLoop(x, w), e.run(x)[0].toDoubleArray(), 0.0);
        w.detach().assign(Tensor.of(new double[] {-1, 0.25}));
        assertArrayEquals(javaLoop(x, w), e.run(x)[0].toDoubleArray(), 0.0);
    }

    private static double[] javaLoop(Tensor x, Tensor w) {
        Tensor scale = x.abs().add(1.0);
        Tensor h = x;
        for (int i = 0; i < 3; i++) {
            h = h.mul(w.detach()).add(scale);
        }
        return h.toDoubleArray();
    }

    @Test
    void run_eightThreadsOnOneExecutor_equalSingleThreadedResults() throws Exception {
        Graph g = capture(in -> {
            Tensor y = signSwitch(in[0]).get(0);
            return ControlFlow.loop(in[1], null, List.of(y), (i, c) -> {
                Tensor h = c.get(0).sin().add(i.cast(DType.FLOAT64));
                return new ControlFlow.LoopStep(null, List.of(h), List.of(h.sum()));
            });
        }, f64(4), I64);
        Executor e = new Executor(g);
        int threads = 8;
        List<Tensor[]> inputs = new ArrayList<>();
        List<Tensor[]> expected = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            Tensor[] in = {Tensor.randn(new Generator(k), DType.FLOAT64, 4), i64(k % 5)};
            inputs.add(in);
            expected.add(e.run(in));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Tensor[]>>> futures = new ArrayList<>();
            for (int k = 0; k < threads; k++) {
                Tensor[] in = inputs.get(k);
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Tensor[]> runs = new ArrayList<>();
                    for (int r = 0; r < 25; r++) {
                        runs.add(e.run(in));
                    }
                    return runs;
                }));
            }
            start.countDown();
            for (int k = 0; k < threads; k++) {
                for (Tensor[] out : futures.get(k).get()) {
                    assertArrayEquals(expected.get(k)[0].toDoubleArray(), out[0].toDoubleArray(), 0.0);
                    assertArrayEquals(expected.get(k)[1].toDoubleArray(), out[1].toDoubleArray(), 0.0);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A graph of {@code fn} whose first input has a dynamic first dim (recorded as size 2). */
    static Graph captureDynamic(java.util.function.BiFunction<Tensor, Tensor, List<Tensor>> fn, TensorSpec second) {
        GraphBuilder b = new GraphBuilder(Map.of());
        Tensor x = b.subgraphInput(f64(2), 1L);
        Tensor y = b.subgraphInput(second, 0L);
        List<Tensor> out;
        try (var rec = Dispatch.record(b)) {
            out = fn.apply(x, y);
        }
        Graph g = b.build(out);
        g.verify();
        return g;
    }

    @Test
    void run_dynamicInputDim_acceptsAnySizeThereButChecksStaticDims() {
        Graph g = captureDynamic((x, y) -> List.of(x.exp().sum().add(y.sum())), f64(3));
        Executor e = new Executor(g);
        Tensor y = Tensor.of(new double[] {1, 2, 3});
        for (int n : new int[] {0, 2, 5}) {
            Tensor x = Tensor.ones(DType.FLOAT64, n);
            assertEquals(n * Math.E + 6, e.run(x, y)[0].item(), 1e-12);
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> e.run(Tensor.ones(DType.FLOAT64, 4), Tensor.ones(DType.FLOAT64, 4)));
        assertTrue(bad.getMessage().contains("f64[3]"), bad.getMessage());
    }

    @Test
    void run_carriedShapeChangesAtRunTime_failsNamingLoopAndLine() {
        // the body carries out a dynamic-length value in a slot recorded as static f64[2]
        Graph g = captureDynamic((x, c) -> ControlFlow.forLoop(i64(2), List.of(c), (i, cc) -> List.of(x)), f64(2));
        Executor e = new Executor(g);
        assertArrayEquals(new double[] {4, 5}, e.run(Tensor.of(new double[] {4, 5}), Tensor.zeros(DType.FLOAT64, 2))[0]
                .toDoubleArray(), 0.0);
        GraphExecutionException ex = assertThrows(GraphExecutionException.class,
                () -> e.run(Tensor.of(new double[] {4, 5, 6}), Tensor.zeros(DType.FLOAT64, 2)));
        assertEquals(dev.janus.ops.Op.LOOP, ex.node().op());
        assertTrue(ex.getMessage().contains("carried value 0"), ex.getMessage());
        assertTrue(ex.getMessage().contains("ControlFlowExecutorTest.java:"), ex.getMessage());
        assertFalse(ex.getMessage().contains("body:"), "the message shows the node's line, not its subgraph");
    }

    @Test
    void run_failureInsideBody_namesTheInnerNodeAndItsLine() {
        Graph g = captureDynamic((x, y) -> ControlFlow.forLoop(i64(1), List.of(y), (i, c) -> List.of(c.get(0).add(x))),
                f64(2));
        GraphExecutionException ex = assertThrows(GraphExecutionException.class,
                () -> new Executor(g).run(Tensor.ones(DType.FLOAT64, 3), Tensor.ones(DType.FLOAT64, 2)));
        assertEquals(dev.janus.ops.Op.ADD, ex.node().op());
        assertTrue(ex.getMessage().contains("ControlFlowExecutorTest.java:"), ex.getMessage());
    }
    @Test
    void runFused_interpretsTheKernelSubgraph() {
        SourceLocation here = new SourceLocation("Net", "forward", "Net.java", 3);
        Value a = new Value(0, f64(2), "a");
        Value b = new Value(1, f64(2), "b");
        Value ka = new Value(2, f64(2), null);
        Value kb = new Value(3, f64(2), null);
        Value prod = new Value(4, f64(2), null);
        Value exp = new Value(5, f64(2), null);
        Value out = new Value(6, f64(2), null);
        Graph kernel = new Graph(List.of(ka, kb), Map.of(), Map.of(), List.of(
                new Node(dev.janus.ops.Op.MUL, dev.janus.ops.Attrs.NONE, List.of(ka, kb), prod, here),
                new Node(dev.janus.ops.Op.EXP, dev.janus.ops.Attrs.NONE, List.of(prod), exp, here)), List.of(exp));
        Node fused = new Node(dev.janus.ops.Op.FUSED, dev.janus.ops.Attrs.NONE, List.of(a, b), List.of(out),
                List.of(kernel), here);
        Graph g = new Graph(List.of(a, b), Map.of(), Map.of(), List.of(fused), List.of(out));
        Tensor x = Tensor.of(new double[] {0.5, -1});
        Tensor y = Tensor.of(new double[] {2, 3});
        assertArrayEquals(x.mul(y).exp().toDoubleArray(), new Executor(g).run(x, y)[0].toDoubleArray(), 0.0);
    }

    @Test
    void runLoop_conditionThatIsNotABoolScalar_failsNamingTheLoop() {
        Graph g = capture(in -> ControlFlow.whileLoop(List.of(in[0]), c -> c.get(0).sum().gt(1.0),
                c -> List.of(c.get(0).mul(0.5))), f64(2));
        Executor broken = new Executor(g) {
            @Override
            protected Tensor runNode(Node node, Tensor[] args) {
                Tensor t = super.runNode(node, args);
                return node.op() == dev.janus.ops.Op.GT ? Tensor.of(new boolean[] {true, false}) : t;
            }
        };
        GraphExecutionException e = assertThrows(GraphExecutionException.class,
                () -> broken.run(Tensor.of(new double[] {3, 4})));
        assertEquals(dev.janus.ops.Op.LOOP, e.node().op());
        assertTrue(e.getMessage().contains("must be a bool scalar, got bool[2]"), e.getMessage());
    }
}
