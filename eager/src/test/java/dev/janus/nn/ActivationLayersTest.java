package dev.janus.nn;

import static dev.janus.nn.NnTestSupport.assertShape;
import static dev.janus.nn.NnTestSupport.assertValues;
import static dev.janus.nn.NnTestSupport.checkParameterGradients;
import static dev.janus.nn.NnTestSupport.f32;
import static dev.janus.nn.NnTestSupport.f64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.GradCheck;
import dev.janus.Janus;
import dev.janus.Tensor;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** Activation modules, Dropout and Embedding against float64 formulas and hand-computed values. */
class ActivationLayersTest {
    private static final double[] X = {-3, -1.5, -0.25, 0, 0.5, 1, 2.5, 4};

    private static double[] map(DoubleUnaryOperator f) {
        double[] r = new double[X.length];
        for (int i = 0; i < X.length; i++) {
            r[i] = f.applyAsDouble(X[i]);
        }
        return r;
    }

    /** erf by its Taylor series: about 1e-13 accurate for |x| < 3. */
    private static double erf(double x) {
        double term = x;
        double sum = x;
        for (int n = 1; n < 80; n++) {
            term *= -x * x / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    private static void checkForwardAndGradient(Module m, DoubleUnaryOperator reference) {
        assertValues(map(reference), m.forward(f32(X, 2, 4)), 2e-6);
        assertValues(map(reference), m.forward(f64(X, 2, 4)), 1e-12);
        double[] away = {-2.2, -0.7, -0.3, 0.2, 0.9, 1.7}; // away from kinks at 0
        GradCheck.check(in -> m.forward(in[0]), f64(away, 3, 2));
    }

    @Test
    void relu_tanh_sigmoid_identity_matchFormulas() {
        checkForwardAndGradient(new ReLU(), x -> Math.max(x, 0));
        checkForwardAndGradient(new Tanh(), Math::tanh);
        checkForwardAndGradient(new Sigmoid(), x -> 1 / (1 + Math.exp(-x)));
        checkForwardAndGradient(new Identity(), x -> x);
        Tensor t = Tensor.zeros(3);
        assertSame(t, new Identity().forward(t));
        assertEquals("ReLU", new ReLU().describe());
    }

    @Test
    void gelu_exactAndTanh_matchFormulas() {
        checkForwardAndGradient(new GELU(), x -> x / 2 * (1 + erf(x / Math.sqrt(2))));
        checkForwardAndGradient(new GELU("tanh"),
                x -> x / 2 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))));
        // Φ(1) = 0.8413447460685429 (standard normal table)
        assertEquals(0.8413447460685429, new GELU().forward(f64(new double[] {1}, 1)).item(), 1e-14);
        assertThrows(IllegalArgumentException.class, () -> new GELU("fast"));
        assertEquals("GELU(approximate tanh)", new GELU("tanh").describe());
    }

    @Test
    void softplus_betaAndThreshold_matchPytorchRule() {
        checkForwardAndGradient(new Softplus(), x -> Math.log1p(Math.exp(x)));
        checkForwardAndGradient(new Softplus(2, 3), x -> 2 * x > 3 ? x : Math.log1p(Math.exp(2 * x)) / 2);
        // far past the threshold it is exactly linear; far below, exp(x) without underflow to 0 too soon
        assertValues(new double[] {50, Math.exp(-30)}, new Softplus().forward(f64(new double[] {50, -30}, 2)), 1e-12);
        Tensor z = Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true);
        new Softplus().forward(z).sum().backward();
        assertEquals(0.5, z.grad().item(), 0); // σ(0): the kinks of max and |x| must not zero it
    }

    @Test
    void leakyRelu_slope_appliesBelowZeroWithSlopeGradientAtZero() {
        checkForwardAndGradient(new LeakyReLU(), x -> x > 0 ? x : 0.01 * x);
        checkForwardAndGradient(new LeakyReLU(0.2), x -> x > 0 ? x : 0.2 * x);
        Tensor z = Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true);
        new LeakyReLU(0.2).forward(z).sum().backward();
        assertEquals(0.2, z.grad().item(), 0); // PyTorch's choice at the kink
        assertEquals("LeakyReLU(negative slope 0.2)", new LeakyReLU(0.2).describe());
    }

    @Test
    void softmaxAndLogSoftmax_alongDim_matchHandValues() {
        double[] x = {1, 2, 3, 0, 0, 0};
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        double[] soft = {Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z, 1 / 3.0, 1 / 3.0, 1 / 3.0};
        assertValues(soft, new Softmax(1).forward(f64(x, 2, 3)), 1e-14);
        double[] logSoft = new double[6];
        for (int i = 0; i < 6; i++) {
            logSoft[i] = Math.log(soft[i]);
        }
        assertValues(logSoft, new LogSoftmax(-1).forward(f64(x, 2, 3)), 1e-14);
        // along dim 0 each column normalizes over the two rows
        Tensor col = new Softmax(0).forward(f64(x, 2, 3));
        assertEquals(Math.exp(1) / (Math.exp(1) + 1), col.toDoubleArray()[0], 1e-14);
        GradCheck.check(in -> new LogSoftmax(1).forward(in[0]), f64(x, 2, 3));
        assertEquals("Softmax(dim 1)", new Softmax(1).describe());
    }

    @Test
    void dropout_training_zeroesAboutPAndScalesSurvivors() {
        Janus.manualSeed(7);
        Dropout d = new Dropout(0.25);
        Tensor y = d.forward(Tensor.ones(4000));
        int zeros = 0;
        for (double v : y.toDoubleArray()) {
            if (v == 0) {
                zeros++;
            } else {
                assertEquals(1 / 0.75, v, 1e-6);
            }
        }
        // binomial(4000, 0.25): mean 1000, standard deviation ≈ 27
        assertTrue(Math.abs(zeros - 1000) < 150, "zeros: " + zeros);
        assertEquals("Dropout(p 0.25)", d.describe());
    }

    @Test
    void dropout_eval_isIdentity() {
        Dropout d = new Dropout(0.9);
        d.eval();
        assertFalse(d.isTraining());
        Tensor x = f32(X, 8);
        assertValues(X, d.forward(x), 0);
        d.train();
        assertTrue(d.forward(Tensor.ones(1000)).toDoubleArray().length == 1000);
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
    }

    @Test
    void dropout_gradient_flowsOnlyThroughKeptElements() {
        Janus.manualSeed(3);
        Tensor x = Tensor.ones(DType.FLOAT64, 200).requiresGrad(true);
        Tensor y = new Dropout(0.5).forward(x);
        y.sum().backward();
        assertValues(y.toDoubleArray(), x.grad(), 0); // dy/dx is the mask scaled by 2, equal to y for x = 1
    }

    @Test
    void embedding_defaultInit_isStandardNormal() {
        Janus.manualSeed(11);
        Embedding e = new Embedding(100, 40);
        assertShape(e.weight, 100, 40);
        double sum = 0;
        double sumSq = 0;
        for (double v : e.weight.toDoubleArray()) {
            sum += v;
            sumSq += v * v;
        }
        assertEquals(0, sum / 4000, 0.06);
        assertEquals(1, sumSq / 4000, 0.08);
        assertTrue(e.weight.requiresGrad());
    }

    @Test
    void embedding_lookup_returnsRowsInIndexShape() {
        Embedding e = Embedding.fromPretrained(Tensor.of(new float[] {0, 1, 10, 11, 20, 21}, 3, 2), false);
        Tensor y = e.forward(Tensor.of(new long[] {2, 0, 1, 2}, 2, 2));
        assertShape(y, 2, 2, 2);
        assertValues(new double[] {20, 21, 0, 1, 10, 11, 20, 21}, y, 0);
        assertValues(new double[] {10, 11}, e.forward(Tensor.of(new int[] {1}, 1)), 0);
        assertTrue(e.weight.requiresGrad());
        assertFalse(Embedding.fromPretrained(e.weight, true).weight.requiresGrad());
        assertEquals("Embedding(3, 2)", e.describe());
    }

    @Test
    void embedding_paddingIdx_startsAtZeroAndGetsNoGradient() {
        Embedding e = new Embedding(4, 3, 1);
        assertValues(new double[] {0, 0, 0}, e.weight.narrow(0, 1, 1), 0);
        Tensor idx = Tensor.of(new long[] {1, 2, 1, 2}, 4);
        e.forward(idx).sum().backward();
        assertValues(new double[] {0, 0, 0, 0, 0, 0, 2, 2, 2, 0, 0, 0}, e.weight.grad(), 0);
        assertEquals("Embedding(4, 3, padding index 1)", e.describe());
        assertEquals("Embedding(4, 3, padding index 3)", new Embedding(4, 3, -1).describe());
        assertThrows(IllegalArgumentException.class, () -> new Embedding(4, 3, 4));
    }

    @Test
    void embedding_gradient_matchesFiniteDifferences() {
        Embedding e = new Embedding(5, 3);
        checkParameterGradients(e, Tensor.of(new long[] {4, 0, 4, 2, 1, 4}, 2, 3), 15);
    }
}
