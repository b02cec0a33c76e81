package dev.janus.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.janus.Tensor;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Adam and AdamW against PyTorch's recurrences written out in plain doubles. */
class AdamTest {
    static final double[] P0 = {1.0, -2.0, 0.5};
    // A large first gradient and smaller later ones, so AMSGrad's running maximum differs from v.
    static final double[][] GRADS = {{2.0, -3.0, 1.0}, {0.1, 0.2, -0.3}, {-0.5, 0.4, 0.05}};

    /** PyTorch's Adam / AdamW (decoupled) with bias correction, element by element. */
    static double[] reference(double lr, double b1, double b2, double eps, double wd, boolean amsgrad, boolean decoupled) {
        double[] p = P0.clone();
        double[] m = new double[p.length];
        double[] v = new double[p.length];
        double[] vmax = new double[p.length];
        for (int t = 1; t <= GRADS.length; t++) {
            for (int i = 0; i < p.length; i++) {
                double g = GRADS[t - 1][i];
                if (decoupled) {
                    p[i] *= 1 - lr * wd;
                } else {
                    g += wd * p[i];
                }
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                vmax[i] = Math.max(vmax[i], v[i]);
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = (amsgrad ? vmax[i] : v[i]) / (1 - Math.pow(b2, t));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        }
        return p;
    }

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("Adam defaults", 0.01, 0.9, 0.999, 1e-8, 0.0, false, false),
                Arguments.of("Adam betas+eps", 0.05, 0.8, 0.9, 1e-3, 0.0, false, false),
                Arguments.of("Adam L2 weight decay", 0.01, 0.9, 0.999, 1e-8, 0.1, false, false),
                Arguments.of("Adam amsgrad", 0.01, 0.9, 0.99, 1e-8, 0.0, true, false),
                Arguments.of("AdamW default decay", 0.01, 0.9, 0.999, 1e-8, 0.01, false, true),
                Arguments.of("AdamW strong decay + amsgrad", 0.1, 0.9, 0.99, 1e-8, 0.5, true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void step_threeSteps_matchesReference(String name, double lr, double b1, double b2, double eps, double wd,
            boolean amsgrad, boolean decoupled) {
        Tensor p = TestGrads.param(P0);
        Adam opt = decoupled ? new AdamW(List.of(p), lr) : new Adam(List.of(p), lr);
        opt.betas(b1, b2).eps(eps).amsgrad(amsgrad).weightDecay(wd);
        for (double[] g : GRADS) {
            TestGrads.set(p, g);
            opt.step();
        }
        assertArrayEquals(reference(lr, b1, b2, eps, wd, amsgrad, decoupled), p.toDoubleArray(), 1e-13);
    }

    @Test
    void step_firstStep_biasCorrectionMovesByLrTimesSign() {
        Tensor p = TestGrads.param(P0);
        Adam opt = new Adam(List.of(p), 0.01);
        TestGrads.set(p, 5.0, -0.001, 3.0);
        opt.step();
        // m̂ = g and v̂ = g², so each parameter moves by lr·g/(|g| + eps) ≈ lr·sign(g).
        assertArrayEquals(new double[] {0.99, -1.99, 0.49}, p.toDoubleArray(), 1e-7);
    }

    @Test
    void step_adamWZeroGradient_onlyDecaysParameter() {
        Tensor p = TestGrads.param(P0);
        AdamW opt = new AdamW(List.of(p), 0.1).weightDecay(0.2);
        TestGrads.set(p, 0, 0, 0);
        opt.step();
        assertArrayEquals(new double[] {0.98, -1.96, 0.49}, p.toDoubleArray(), 1e-15);
    }

    @Test
    void constructor_adamW_defaultsToWeightDecay001() {
        AdamW opt = new AdamW(List.of(TestGrads.param(P0)));
        assertEquals(0.01, opt.weightDecay());
        assertEquals(1e-3, opt.lr());
    }
}
