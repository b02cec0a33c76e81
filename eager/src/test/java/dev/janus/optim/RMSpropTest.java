package dev.janus.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.janus.Tensor;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RMSprop against PyTorch's recurrence written out in plain doubles. */
class RMSpropTest {
    static final double[] P0 = {1.0, -2.0, 0.5};
    static final double[][] GRADS = {{0.1, -0.2, 0.3}, {0.4, 0.5, -0.6}, {-0.7, 0.8, 0.9}};

    /** PyTorch's RMSprop (eps outside the square root), element by element. */
    static double[] reference(double lr, double alpha, double eps, double momentum, boolean centered, double wd) {
        double[] p = P0.clone();
        double[] sq = new double[p.length];
        double[] avgG = new double[p.length];
        double[] buf = new double[p.length];
        for (double[] grads : GRADS) {
            for (int i = 0; i < p.length; i++) {
                double g = grads[i] + wd * p[i];
                sq[i] = alpha * sq[i] + (1 - alpha) * g * g;
                avgG[i] = alpha * avgG[i] + (1 - alpha) * g;
                double denom = Math.sqrt(centered ? sq[i] - avgG[i] * avgG[i] : sq[i]) + eps;
                if (momentum > 0) {
                    buf[i] = momentum * buf[i] + g / denom;
                    p[i] -= lr * buf[i];
                } else {
                    p[i] -= lr * g / denom;
                }
            }
        }
        return p;
    }

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("defaults", 0.01, 0.99, 1e-8, 0.0, false, 0.0),
                Arguments.of("alpha+eps", 0.01, 0.9, 1e-3, 0.0, false, 0.0),
                Arguments.of("momentum", 0.01, 0.99, 1e-8, 0.9, false, 0.0),
                Arguments.of("centered", 0.01, 0.9, 1e-8, 0.0, true, 0.0),
                Arguments.of("centered+momentum", 0.01, 0.9, 1e-8, 0.9, true, 0.0),
                Arguments.of("centered+momentum+weightDecay", 0.02, 0.8, 1e-6, 0.5, true, 0.1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void step_threeSteps_matchesReference(String name, double lr, double alpha, double eps, double momentum,
            boolean centered, double wd) {
        Tensor p = TestGrads.param(P0);
        RMSprop opt = new RMSprop(List.of(p), lr).alpha(alpha).eps(eps).momentum(momentum).centered(centered).weightDecay(wd);
        for (double[] g : GRADS) {
            TestGrads.set(p, g);
            opt.step();
        }
        assertArrayEquals(reference(lr, alpha, eps, momentum, centered, wd), p.toDoubleArray(), 1e-12);
    }
}
