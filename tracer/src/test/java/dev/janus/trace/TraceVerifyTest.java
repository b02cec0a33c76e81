package dev.janus.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.optim.SGD;
import org.junit.jupiter.api.Test;

/** verifyAgainstEager runs graph and eager code side by side and names the first node that differs. */
class TraceVerifyTest {
    private final Tensor x = Tensor.randn(new Generator(7), 5, 4);

    @Test
    void unchangedModel_agrees() {
        Janus.manualSeed(1);
        TraceModels.Drifting m = new TraceModels.Drifting();
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Drifting::forward, m, x);
        VerifyReport r = f.verifyAgainstEager(x);
        assertTrue(r.agrees(), r.toString());
        assertTrue(r.compared() > 0 && r.compared() <= r.nodeRuns(), r.toString());
        assertTrue(r.toString().contains("agrees"), r.toString());
    }

    @Test
    void fieldChangedAfterTracing_isNamedAtTheNodeThatFrozeIt() {
        Janus.manualSeed(1);
        TraceModels.Drifting m = new TraceModels.Drifting();
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Drifting::forward, m, x);
        m.scale = 3.0; // the graph still multiplies by 2
        VerifyReport r = f.verifyAgainstEager(x);
        assertFalse(r.agrees(), r.toString());
        assertFalse(r.outputsAgree());
        VerifyReport.Divergence d = r.firstDivergence().orElseThrow();
        assertEquals(SourceLines.lineOf("TraceModels.java", "@drift-scale"), d.location().line(), r.toString());
        assertTrue(d.node().contains("= mul("), d.node());
        assertTrue(d.maxAbsDiff() > 0, r.toString());
        String text = r.toString();
        assertTrue(text.contains(SourceLines.at("TraceModels.java", "@drift-scale")) && text.contains("graph: f32[5, 3]")
                && text.contains("eager: f32[5, 3]"), text);
    }

    @Test
    void dataDependentLoop_pairsEachIterationWithTheEagerOne() {
        TraceModels.Rnn rnn = new TraceModels.Rnn(4, 3);
        Tensor h = Tensor.randn(new Generator(2), 4, 2);
        TracedFunction<Tensor> f = Tracer.trace(TraceOptions.defaults().dynamicScalars(1), TraceModels.Rnn::forward, rnn,
                h, 3);
        VerifyReport r = f.verifyAgainstEager(h, 6);
        assertTrue(r.agrees(), r.toString());
        assertTrue(r.compared() >= 18, "matmul, add and tanh in each of 6 iterations: " + r);
    }

    @Test
    void trainingStep_agrees_andOnlyTheEagerStepUpdates() {
        Janus.manualSeed(2);
        TrainModels.Mlp m = new TrainModels.Mlp(4, 8, 3);
        TrainModels.Trainer t = new TrainModels.Trainer(m, new SGD(m.parameters(), 0.1).momentum(0.9));
        Tensor y = Tensor.randint(new Generator(3), 0, 3, 5);
        t.step(x, y);
        TracedFunction<Double> f = Tracer.trace(TrainModels.Trainer::step, t, x, y);
        float before = m.fc1.weight.toFloatArray()[0];
        VerifyReport r = f.verifyAgainstEager(x, y);
        assertTrue(r.agrees(), r.toString());
        float after = m.fc1.weight.toFloatArray()[0];
        Janus.manualSeed(2);
        TrainModels.Mlp twin = new TrainModels.Mlp(4, 8, 3);
        TrainModels.Trainer tt = new TrainModels.Trainer(twin, new SGD(twin.parameters(), 0.1).momentum(0.9));
        tt.step(x, y);
        tt.step(x, y);
        assertTrue(before != after, "the eager step ran");
        assertEquals(twin.fc1.weight.toFloatArray()[0], after, 1e-6f, "and only the eager step updated the weights");
    }
}
