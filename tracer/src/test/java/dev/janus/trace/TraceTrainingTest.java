package dev.janus.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.optim.Adam;
import dev.janus.optim.Optimizer;
import dev.janus.optim.SGD;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A traced training step (forward, loss, backward, optimizer step) is one graph whose runs update the same
 * parameters and optimizer state as the eager step: trained side by side, the losses agree at every step.
 */
class TraceTrainingTest {
    private static final int BATCH = 32;

    /** Batch {@code k}: MNIST-sized random images and labels. */
    private static Tensor[] batch(int k) {
        Generator g = new Generator(1000 + k);
        return new Tensor[] {Tensor.randn(g, BATCH, 784), Tensor.randint(g, 0, 10, BATCH)};
    }

    private static TrainModels.Trainer trainer(Function<TrainModels.Mlp, Optimizer> optimizer) {
        Janus.manualSeed(5);
        TrainModels.Mlp m = new TrainModels.Mlp(784, 64, 10);
        return new TrainModels.Trainer(m, optimizer.apply(m));
    }

    /**
     * Trains one model eagerly and a twin (same seed) through the traced step for {@code steps} batches: the
     * twin's first step is eager (it creates the optimizer state), then the step is traced and called.
     */
    private static void assertTracedTrainingMatchesEager(Function<TrainModels.Mlp, Optimizer> optimizer, int steps,
            boolean tensorResult) {
        TrainModels.Trainer eager = trainer(optimizer);
        TrainModels.Trainer traced = trainer(optimizer);
        Tensor[] b0 = batch(0);
        double e0 = eager.step(b0[0], b0[1]);
        assertEquals(e0, traced.step(b0[0], b0[1]), 1e-6, "eager twins");
        TracedFunction<?> f = tensorResult ? Tracer.trace(TrainModels.Trainer::stepTensor, traced, b0[0], b0[1])
                : Tracer.trace(TrainModels.Trainer::step, traced, b0[0], b0[1]);
        for (int k = 1; k < steps; k++) {
            Tensor[] b = batch(k);
            double e = eager.step(b[0], b[1]);
            Object r = f.call(b[0], b[1]);
            double t = r instanceof Tensor loss ? loss.item() : (Double) r;
            assertEquals(e, t, 1e-4 * Math.abs(e), "loss at step " + k);
        }
        assertEquals(1, f.traceCount());
        List<Tensor> pe = eager.model.parameters();
        List<Tensor> pt = traced.model.parameters();
        for (int i = 0; i < pe.size(); i++) {
            assertArrayEquals(pe.get(i).toFloatArray(), pt.get(i).toFloatArray(), 1e-4f, "parameter " + i);
        }
        assertSameState(eager.opt, traced.opt);
    }

    @SuppressWarnings("unchecked")
    private static void assertSameState(Optimizer a, Optimizer b) {
        Map<Integer, Map<String, Object>> sa = (Map<Integer, Map<String, Object>>) a.stateDict().get("state");
        Map<Integer, Map<String, Object>> sb = (Map<Integer, Map<String, Object>>) b.stateDict().get("state");
        assertEquals(sa.keySet(), sb.keySet());
        sa.forEach((i, m) -> m.forEach((k, v) -> {
            if (v instanceof Tensor t) {
                assertArrayEquals(t.toFloatArray(), ((Tensor) sb.get(i).get(k)).toFloatArray(), 1e-4f, k + " of " + i);
            }
        }));
    }

    @Test
    void sgdMomentum_100Steps_tracedLossesEqualEager() {
        assertTracedTrainingMatchesEager(m -> new SGD(m.parameters(), 0.05).momentum(0.9), 100, false);
    }

    @Test
    void adam_30Steps_returningTheLossTensor_tracedLossesEqualEager() {
        assertTracedTrainingMatchesEager(m -> new Adam(m.parameters(), 1e-3), 30, true);
    }

    @Test
    void trainingStep_isOneGraphThatWritesParametersAndState() {
        TrainModels.Trainer t = trainer(m -> new SGD(m.parameters(), 0.05).momentum(0.9));
        Tensor[] b = batch(0);
        t.step(b[0], b[1]);
        TracedFunction<Double> f = Tracer.trace(TrainModels.Trainer::step, t, b[0], b[1]);
        String explain = f.explain();
        assertTrue(explain.contains("%model.fc1.weight <- "), explain);
        // 4 parameters and their 4 momentum buffers
        assertEquals(8, explain.lines().filter(l -> l.contains(" <- ")).count(), explain);
        for (Tensor p : t.model.parameters()) {
            assertNull(p.grad(), "no recorded gradient may stay in a parameter");
        }
    }

    @Test
    void optimizerWithoutState_isRefusedAtItsStepLine() {
        TrainModels.Trainer t = trainer(m -> new SGD(m.parameters(), 0.05).momentum(0.9));
        Tensor[] b = batch(0);
        TraceException e = assertThrows(TraceException.class, () -> Tracer.trace(TrainModels.Trainer::step, t, b[0], b[1]));
        assertTrue(e.getMessage().contains("take one eager step before tracing"), e.getMessage());
        assertEquals(SourceLines.lineOf("TrainModels.java", "@train-step"), e.line(), e.getMessage());
    }
}
