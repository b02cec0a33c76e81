package dev.janus.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.nn.F;
import dev.janus.nn.Linear;
import dev.janus.nn.Module;
import dev.janus.optim.Adam;
import dev.janus.optim.Optimizer;
import dev.janus.optim.SGD;
import dev.janus.ops.TensorSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A captured training step must move the weights exactly as the eager step does. */
class TrainingStepTest {
    static final class Mlp extends Module {
        final Linear fc1 = new Linear(6, 16);
        final Linear fc2 = new Linear(16, 3);

        @Override
        public Tensor forward(Tensor x) {
            return fc2.forward(fc1.forward(x).tanh());
        }
    }

    static Tensor eagerStep(Mlp m, Optimizer opt, Tensor x, Tensor y) {
        opt.zeroGrad();
        Tensor loss = F.crossEntropy(m.forward(x), y);
        loss.backward();
        opt.step();
        return loss;
    }

    @Test
    void capturedSgdMomentumStep_tracksEagerTrainingFor30Steps() {
        Janus.manualSeed(3);
        Mlp eager = new Mlp();
        Janus.manualSeed(3);
        Mlp graph = new Mlp();
        SGD eagerOpt = new SGD(eager.parameters(), 0.1).momentum(0.9).weightDecay(1e-3);
        SGD graphOpt = new SGD(graph.parameters(), 0.1).momentum(0.9).weightDecay(1e-3);
        Generator g = new Generator(9);
        Tensor x = Tensor.randn(g, 8, 6);
        Tensor y = Tensor.randint(g, 0, 3, 8);

        eagerStep(eager, eagerOpt, x, y);
        eagerStep(graph, graphOpt, x, y); // warm-up: creates the momentum buffers
        TrainingStep step = TrainingStep.capture(graph, in -> eagerStep(graph, graphOpt, in[0], in[1]),
                new TensorSpec(DType.FLOAT32, Shape.of(8, 6)), new TensorSpec(DType.INT64, Shape.of(8)));
        for (Tensor p : graph.parameters()) {
            assertNull(p.grad(), "no recorded gradient may leak into the eager parameters");
        }
        // 4 parameters + 4 momentum buffers are written by each run
        assertEquals(8, step.targets().size());

        double firstLoss = Double.NaN;
        double lastLoss = Double.NaN;
        for (int i = 0; i < 30; i++) {
            double e = eagerStep(eager, eagerOpt, x, y).item();
            double s = step.run(x, y).item();
            assertEquals(e, s, 1e-5 * Math.max(1, Math.abs(e)), "loss at step " + i);
            firstLoss = i == 0 ? s : firstLoss;
            lastLoss = s;
        }
        assertTrue(lastLoss < firstLoss, firstLoss + " -> " + lastLoss);
        List<Tensor> pe = eager.parameters();
        List<Tensor> pg = graph.parameters();
        for (int i = 0; i < pe.size(); i++) {
            assertArrayEquals(pe.get(i).toFloatArray(), pg.get(i).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void capturedAdamStep_keepsCountingItsSteps_andTracksEagerTraining() {
        Janus.manualSeed(5);
        Mlp eager = new Mlp();
        Janus.manualSeed(5);
        Mlp graph = new Mlp();
        Adam eagerOpt = new Adam(eager.parameters(), 0.02).amsgrad(true);
        Adam graphOpt = new Adam(graph.parameters(), 0.02).amsgrad(true);
        Generator g = new Generator(10);
        Tensor x = Tensor.randn(g, 8, 6);
        Tensor y = Tensor.randint(g, 0, 3, 8);
        eagerStep(eager, eagerOpt, x, y);
        eagerStep(graph, graphOpt, x, y); // warm-up: creates the moment buffers and the step tensors
        TrainingStep step = TrainingStep.capture(graph, in -> eagerStep(graph, graphOpt, in[0], in[1]),
                new TensorSpec(DType.FLOAT32, Shape.of(8, 6)), new TensorSpec(DType.INT64, Shape.of(8)));
        // per parameter: the parameter, exp_avg, exp_avg_sq, max_exp_avg_sq and the step counter
        assertEquals(4 * 5, step.targets().size());
        for (int i = 0; i < 40; i++) {
            double e = eagerStep(eager, eagerOpt, x, y).item();
            double s = step.run(x, y).item();
            // bias corrections change every step; a graph that baked step 2 would drift from the eager run
            assertEquals(e, s, 1e-5 * Math.max(1, Math.abs(e)), "loss at step " + i);
        }
        List<Tensor> pe = eager.parameters();
        List<Tensor> pg = graph.parameters();
        for (int i = 0; i < pe.size(); i++) {
            assertArrayEquals(pe.get(i).toFloatArray(), pg.get(i).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void capturedStep_graphHoldsBackwardAndUpdateNodes() {
        Janus.manualSeed(4);
        Mlp m = new Mlp();
        SGD opt = new SGD(m.parameters(), 0.05);
        Tensor x = Tensor.randn(4, 6);
        Tensor y = Tensor.of(new long[] {0, 1, 2, 0});
        eagerStep(m, opt, x, y);
        TrainingStep step = TrainingStep.capture(m, in -> eagerStep(m, opt, in[0], in[1]),
                new TensorSpec(DType.FLOAT32, Shape.of(4, 6)), new TensorSpec(DType.INT64, Shape.of(4)));
        String ir = step.graph().toString();
        assertTrue(ir.contains("param %fc1.weight") && ir.contains("matmul"), ir);
        assertEquals(1 + 4, step.graph().outputs().size(), ir);
    }
}
