package dev.janus.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.nn.Linear;
import org.junit.jupiter.api.Test;

/** Fitting y = 3x + 2 with a one-unit linear layer. */
class EndToEndTest {
    private final Linear model;
    private final Tensor x = Tensor.linspace(-1, 1, 32).reshape(32, 1);
    private final Tensor y = x.mul(3.0).add(2.0);

    EndToEndTest() {
        Janus.manualSeed(11);
        model = new Linear(1, 1);
    }

    /** Runs {@code steps} training steps (clipping and scheduling when given) and returns the last loss. */
    private double fit(Optimizer opt, LRScheduler sched, double clip, int steps) {
        double loss = Double.NaN;
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            Tensor l = model.forward(x).sub(y).pow(2).mean();
            l.backward();
            if (clip > 0) {
                GradClip.clipGradNorm(opt.params(), clip);
            }
            opt.step();
            if (sched != null) {
                sched.step();
            }
            loss = l.item();
        }
        return loss;
    }

    private void assertFitted(double loss) {
        assertTrue(loss < 1e-4, "loss " + loss);
        assertEquals(3.0, model.weight.item(), 0.01);
        assertEquals(2.0, model.bias.item(), 0.01);
    }

    @Test
    void fit_sgdMomentum_lossFallsBelowThreshold() {
        assertFitted(fit(new SGD(model.parameters(), 0.1).momentum(0.9), null, 0, 150));
    }

    @Test
    void fit_adam_lossFallsBelowThreshold() {
        assertFitted(fit(new Adam(model.parameters(), 0.2), null, 0, 300));
    }

    @Test
    void fit_adamWOneCycleWithClipping_lossFallsBelowThreshold() {
        AdamW opt = new AdamW(model.parameters(), 0.2).weightDecay(0);
        assertFitted(fit(opt, new OneCycleLR(opt, 0.5, 300), 1.0, 300));
    }
}
