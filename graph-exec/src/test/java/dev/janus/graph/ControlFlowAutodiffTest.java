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
import dev.janus.graph.passes.PassManager;
import dev.janus.nn.Linear;
import dev.janus.nn.Module;
import dev.janus.optim.SGD;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Graph gradients through recorded if/loop equal eager autograd on the same computation written with Java
 * control flow (float64, tight tolerance).
 */
class ControlFlowAutodiffTest {
    static final int T = 5;
    static final int B = 2;
    static final int D = 3;
    static final int H = 4;
    static final double TOL = 1e-12;

    static TensorSpec f64(long... dims) {
        return new TensorSpec(DType.FLOAT64, Shape.of(dims));
    }

    static Tensor randn(long seed, long... dims) {
        return Tensor.randn(new Generator(seed), DType.FLOAT64, dims);
    }

    /** A tiny RNN cell's weights, eager and trainable: they become parameters of the captured graph. */
    static final class Rnn {
        final Tensor w = randn(1, H, H).mul(0.5).requiresGrad(true);
        final Tensor u = randn(2, D, H).requiresGrad(true);
        final Tensor b = randn(3, H).requiresGrad(true);

        Tensor step(Tensor h, Tensor x) {
            return h.matmul(w).add(x.matmul(u)).add(b).tanh();
        }

        List<Tensor> weights() {
            return List.of(w, u, b);
        }
    }

    /** Runs {@code withGrads} and checks its gradient outputs against the eager tensors' {@code grad()} (none: 0). */
    static void assertGradients(Graph g, Graph withGrads, Tensor eagerLoss, List<Tensor> eagerWrt, Tensor... inputs) {
        Tensor[] out = new Executor(withGrads).run(inputs);
        assertEquals(eagerLoss.item(), out[0].item(), TOL * Math.max(1, Math.abs(eagerLoss.item())));
        int first = g.outputs().size();
        for (int k = 0; k < eagerWrt.size(); k++) {
            Tensor eager = eagerWrt.get(k).grad() != null ? eagerWrt.get(k).grad() : Tensor.zerosLike(eagerWrt.get(k));
            assertArrayEquals(eager.toDoubleArray(), out[first + k].toDoubleArray(), TOL, "gradient " + k);
        }
    }

    /** The parameters of {@code g} in the order of {@code live}. */
    static List<Value> parametersOf(Graph g, List<Tensor> live) {
        List<Value> out = new ArrayList<>();
        for (Tensor t : live) {
            g.parameters().forEach((v, p) -> {
                if (p == t) {
                    out.add(v);
                }
            });
        }
        assertEquals(live.size(), out.size(), "every weight is a parameter of the top-level graph");
        return out;
    }

    @Test
    void gradients_rnnLoopWithScan_matchEagerAutogradOfJavaLoop() {
        Rnn rnn = new Rnn();
        Graph g = GraphCapture.captureAll(Map.of(), in -> {
            List<Tensor> out = ControlFlow.loop(Tensor.scalar(T, DType.INT64), null, List.of(in[1]), (i, c) -> {
                Tensor x = in[0].indexSelect(0, i.reshape(1)).reshape(B, D);
                Tensor h = rnn.step(c.get(0), x);
                return new ControlFlow.LoopStep(null, List.of(h), List.of(h));
            });
            Tensor hs = out.get(1);
            return List.of(hs.mul(hs).sum().add(out.get(0).sum()));
        }, f64(T, B, D), f64(B, H));
        List<Value> wrt = new ArrayList<>(parametersOf(g, rnn.weights()));
        wrt.addAll(g.inputs());
        Graph withGrads = Autodiff.gradients(g, 0, wrt);
        assertTrue(withGrads.nodes().stream().noneMatch(n -> n.op() == Op.LOOP), "the loop is unrolled, not kept");

        Tensor xs = randn(4, T, B, D).requiresGrad(true);
        Tensor h0 = randn(5, B, H).requiresGrad(true);
        Tensor h = h0;
        List<Tensor> hs = new ArrayList<>();
        for (int t = 0; t < T; t++) {
            h = rnn.step(h, xs.select(0, t));
            hs.add(h);
        }
        Tensor stacked = Tensor.stack(0, hs);
        Tensor loss = stacked.mul(stacked).sum().add(h.sum());
        loss.backward();
        List<Tensor> eagerWrt = new ArrayList<>(rnn.weights());
        eagerWrt.add(xs);
        eagerWrt.add(h0);
        assertGradients(g, withGrads, loss, eagerWrt, xs.detach(), h0.detach());
    }

    /** if sum(x) > 0 then sum(x * x * w) else sum(sin(x) * w) + sum(w). */
    static Tensor javaIf(Tensor x, Tensor w) {
        return x.sum().item() > 0 ? x.mul(x).mul(w).sum() : x.sin().mul(w).sum().add(w.sum());
    }

    @Test
    void gradients_ifOnDataDependentCondition_matchEagerAutogradBothWays() {
        Tensor w = randn(7, 3).requiresGrad(true);
        Graph g = GraphCapture.captureAll(Map.of(), in -> ControlFlow.ifThenElse(in[0].sum().gt(0.0),
                () -> List.of(in[0].mul(in[0]).mul(w).sum()),
                () -> List.of(in[0].sin().mul(w).sum().add(w.sum()))), f64(3));
        List<Value> wrt = List.of(g.inputs().get(0), parametersOf(g, List.of(w)).get(0));
        Graph withGrads = Autodiff.gradients(g, 0, wrt);
        for (double[] data : new double[][] {{0.5, -0.1, 0.9}, {-0.5, 0.1, -0.9}}) {
            Tensor x = Tensor.of(data).requiresGrad(true);
            w.zeroGrad();
            Tensor loss = javaIf(x, w);
            loss.backward();
            assertGradients(g, withGrads, loss, List.of(x, w), x.detach());
        }
    }

    @Test
    void gradients_ifInsideUnrolledLoop_andBranchReturningOuterValue_matchEager() {
        Tensor w = randn(8, 2, 2).requiresGrad(true);
        Graph g = GraphCapture.captureAll(Map.of(), in -> {
            List<Tensor> out = ControlFlow.forLoop(Tensor.scalar(4, DType.INT64), List.of(in[0]), (i, c) -> {
                Tensor h = c.get(0);
                return ControlFlow.ifThenElse(h.sum().gt(0.0), () -> List.of(h.matmul(w).tanh()), () -> List.of(h));
            });
            return List.of(out.get(0).mul(out.get(0)).sum());
        }, f64(1, 2));
        List<Value> wrt = List.of(g.inputs().get(0), parametersOf(g, List.of(w)).get(0));
        Graph withGrads = Autodiff.gradients(g, 0, wrt);
        for (double[] data : new double[][] {{0.7, 0.4}, {-0.7, 0.4}, {-0.7, -0.4}}) {
            Tensor x = Tensor.of(data, 1, 2).requiresGrad(true);
            w.zeroGrad();
            Tensor h = x;
            for (int i = 0; i < 4; i++) {
                h = h.sum().item() > 0 ? h.matmul(w).tanh() : h;
            }
            Tensor loss = h.mul(h).sum();
            loss.backward();
            assertGradients(g, withGrads, loss, List.of(x, w), x.detach());
        }
    }

    @Test
    void gradients_loopInsideIf_areRecordedInTheGradientBranches() {
        Tensor w = randn(9, 2).requiresGrad(true);
        Graph g = GraphCapture.captureAll(Map.of(), in -> ControlFlow.ifThenElse(in[0].sum().gt(0.0),
                () -> List.of(ControlFlow.forLoop(Tensor.scalar(3, DType.INT64), List.of(in[0]),
                        (i, c) -> List.of(c.get(0).mul(w).sin())).get(0).sum()),
                () -> List.of(in[0].mul(w).sum())), f64(2));
        List<Value> wrt = List.of(g.inputs().get(0), parametersOf(g, List.of(w)).get(0));
        Graph withGrads = Autodiff.gradients(g, 0, wrt);
        for (double[] data : new double[][] {{0.3, 0.2}, {-0.3, 0.2}}) {
            Tensor x = Tensor.of(data).requiresGrad(true);
            w.zeroGrad();
            Tensor loss;
            if (x.sum().item() > 0) {
                Tensor h = x;
                for (int i = 0; i < 3; i++) {
                    h = h.mul(w).sin();
                }
                loss = h.sum();
            } else {
                loss = x.mul(w).sum();
            }
            loss.backward();
            assertGradients(g, withGrads, loss, List.of(x, w), x.detach());
        }
    }

    @Test
    void gradients_dataDependentLoopOnGradientPath_failNamingLoopAndLine() {
        Graph g = GraphCapture.captureAll(Map.of(), in -> List.of(ControlFlow.whileLoop(List.of(in[0]),
                c -> c.get(0).sum().gt(1.0), c -> List.of(c.get(0).mul(0.5))).get(0).sum()), f64(2));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Autodiff.gradients(g, 0, List.of(g.inputs().get(0))));
        assertTrue(e.getMessage().contains("loop recorded at ControlFlowAutodiffTest.java:"), e.getMessage());
        assertTrue(e.getMessage().contains("computed at run time"), e.getMessage());
    }

    @Test
    void gradients_dataDependentLoopOffGradientPath_isKeptAndRuns() {
        Graph g = GraphCapture.captureAll(Map.of(), in -> List.of(in[0].exp().sum(), ControlFlow.whileLoop(
                List.of(in[0]), c -> c.get(0).sum().gt(1.0), c -> List.of(c.get(0).mul(0.5))).get(0)), f64(2));
        Graph withGrads = Autodiff.gradients(g, 0, List.of(g.inputs().get(0)));
        Tensor[] out = new Executor(withGrads).run(Tensor.of(new double[] {1, 2}));
        assertArrayEquals(new double[] {0.25, 0.5}, out[1].toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {Math.E, Math.exp(2)}, out[2].toDoubleArray(), TOL);
    }

    @Test
    void gradients_ofGraphWithIfAndLoop_survivesDefaultPipeline() {
        Rnn rnn = new Rnn();
        Graph g = GraphCapture.captureAll(Map.of(), in -> {
            Tensor h = ControlFlow.forLoop(Tensor.scalar(3, DType.INT64), List.of(in[1]),
                    (i, c) -> List.of(rnn.step(c.get(0), in[0]))).get(0);
            return ControlFlow.ifThenElse(h.sum().gt(0.0), () -> List.of(h.exp().sum()), () -> List.of(h.mul(1.0).sum()));
        }, f64(B, D), f64(B, H));
        Graph withGrads = Autodiff.gradients(g, 0, parametersOf(g, rnn.weights()));
        Graph optimized = PassManager.defaultPipeline().apply(withGrads);
        Tensor x = randn(11, B, D);
        Tensor h0 = randn(12, B, H);
        Tensor[] before = new Executor(withGrads).run(x, h0);
        Tensor[] after = new Executor(optimized).run(x, h0);
        for (int k = 0; k < before.length; k++) {
            assertArrayEquals(before[k].toDoubleArray(), after[k].toDoubleArray(), TOL);
        }
    }
    /** Three tanh layers sharing one Linear, and a squared-error loss. */
    static final class Repeated extends Module {
        final Linear fc = new Linear(4, 4);

        @Override
        public Tensor forward(Tensor x) {
            return loss(x, false);
        }

        Tensor loss(Tensor x, boolean recorded) {
            Tensor h = x;
            if (recorded) {
                h = ControlFlow.forLoop(Tensor.scalar(3, DType.INT64), List.of(x), (i, c) -> List.of(fc.forward(c.get(0))
                        .tanh())).get(0);
            } else {
                for (int i = 0; i < 3; i++) {
                    h = fc.forward(h).tanh();
                }
            }
            return h.sub(0.5).pow(2.0).mean();
        }
    }

    @Test
    void trainingStep_withRecordedLoop_movesWeightsAsEagerJavaLoopDoes() {
        Janus.manualSeed(5);
        Repeated eager = new Repeated();
        Janus.manualSeed(5);
        Repeated graph = new Repeated();
        SGD eagerOpt = new SGD(eager.parameters(), 0.2);
        SGD graphOpt = new SGD(graph.parameters(), 0.2);
        Tensor x = Tensor.randn(new Generator(6), 5, 4);
        TrainingStep step = TrainingStep.capture(graph, in -> {
            graphOpt.zeroGrad();
            Tensor loss = graph.loss(in[0], true);
            loss.backward(); // differentiates through the LOOP node by unrolling it
            graphOpt.step();
            return loss;
        }, new TensorSpec(DType.FLOAT32, Shape.of(5, 4)));
        for (int i = 0; i < 5; i++) {
            eagerOpt.zeroGrad();
            Tensor e = eager.loss(x, false);
            e.backward();
            eagerOpt.step();
            assertEquals(e.item(), step.run(x).item(), 1e-6, "loss at step " + i);
        }
        assertArrayEquals(eager.fc.weight.toFloatArray(), graph.fc.weight.toFloatArray(), 1e-5f);
    }
}
