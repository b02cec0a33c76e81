package dev.janus.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.janus.Tensor;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SGD against PyTorch's recurrence written out in plain doubles. */
class SGDTest {
    static final double[] P0 = {1.0, -2.0, 0.5};
    static final double[][] GRADS = {{0.1, -0.2, 0.3}, {0.4, 0.5, -0.6}, {-0.7, 0.8, 0.9}};

    /** PyTorch's SGD, element by element. */
    static double[] reference(double lr, double momentum, double dampening, boolean nesterov, double wd) {
        double[] p = P0.clone();
        double[] buf = new double[p.length];
        for (int t = 0; t < GRADS.length; t++) {
            for (int i = 0; i < p.length; i++) {
                double g = GRADS[t][i] + wd * p[i];
                if (momentum != 0) {
                    buf[i] = t == 0 ? g : momentum * buf[i] + (1 - dampening) * g;
                    g = nesterov ? g + momentum * buf[i] : buf[i];
                }
                p[i] -= lr * g;
            }
        }
        return p;
    }

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("plain", 0.1, 0.0, 0.0, false, 0.0),
                Arguments.of("momentum", 0.1, 0.9, 0.0, false, 0.0),
                Arguments.of("momentum+dampening", 0.1, 0.9, 0.3, false, 0.0),
                Arguments.of("nesterov", 0.1, 0.9, 0.0, true, 0.0),
                Arguments.of("weightDecay", 0.1, 0.0, 0.0, false, 0.05),
                Arguments.of("nesterov+weightDecay", 0.05, 0.8, 0.0, true, 0.1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void step_threeSteps_matchesReference(String name, double lr, double m, double d, boolean nesterov, double wd) {
        Tensor p = TestGrads.param(P0);
        SGD opt = new SGD(List.of(p), lr).momentum(m).dampening(d).nesterov(nesterov).weightDecay(wd);
        for (double[] g : GRADS) {
            TestGrads.set(p, g);
            opt.step();
        }
        assertArrayEquals(reference(lr, m, d, nesterov, wd), p.toDoubleArray(), 1e-14);
    }

    @Test
    void step_float32Parameter_matchesReferenceToFloatPrecision() {
        Tensor p = Tensor.of(new float[] {1f, -2f, 0.5f}).requiresGrad(true);
        SGD opt = new SGD(List.of(p), 0.1).momentum(0.9).nesterov(true).weightDecay(0.01);
        for (double[] g : GRADS) {
            TestGrads.set(p, g);
            opt.step();
        }
        double[] expected = reference(0.1, 0.9, 0, true, 0.01);
        float[] got = p.toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 1e-6);
        }
    }

    @Test
    void step_nesterovWithoutMomentum_throws() {
        Tensor p = TestGrads.param(P0);
        SGD opt = new SGD(List.of(p), 0.1).nesterov(true);
        TestGrads.set(p, GRADS[0]);
        assertThrows(IllegalStateException.class, opt::step);
    }

    @Test
    void momentum_negative_throws() {
        SGD opt = new SGD(List.of(TestGrads.param(P0)), 0.1);
        assertThrows(IllegalArgumentException.class, () -> opt.momentum(-0.1));
    }

    @Test
    void constructor_negativeLr_throws() {
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(TestGrads.param(P0)), -1));
    }
}
