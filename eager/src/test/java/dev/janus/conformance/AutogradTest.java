package dev.janus.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.AnomalyException;
import dev.janus.DType;
import dev.janus.GradCheck;
import dev.janus.Janus;
import dev.janus.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The eager autograd tape: leaves, backward, accumulation, scopes, higher-order gradients and anomaly mode. */
class AutogradTest {
    private static final double[] X = {0.3, -1.2, 2.0};

    private static Tensor leaf(double... v) {
        return Tensor.of(v.clone()).requiresGrad(true);
    }

    // ------------------------------------------------------------------ leaves and backward

    @Test
    void requiresGrad_leaf_propagatesToResults() {
        Tensor x = leaf(X);
        assertTrue(x.requiresGrad());
        assertTrue(x.mul(2.0).requiresGrad());
        Tensor c = Tensor.of(new double[] {1, 2, 3});
        assertFalse(c.requiresGrad());
        assertFalse(c.mul(2.0).requiresGrad());
        assertTrue(c.add(x).requiresGrad(), "one input requiring grad is enough");
        assertFalse(x.gt(0.0).requiresGrad(), "comparisons carry no gradient");
    }

    @Test
    void requiresGrad_integerTensor_throws() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new int[] {1, 2}).requiresGrad(true));
    }

    @Test
    void requiresGrad_nonLeaf_throws() {
        Tensor y = leaf(X).mul(2.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad(true));
        assertTrue(e.getMessage().contains("leaf"), e.getMessage());
    }

    @Test
    void backward_scalarOutput_setsLeafGradient() {
        Tensor x = leaf(X);
        Tensor c = Tensor.of(new double[] {5, 6, 7});
        x.mul(x).mul(c).sum().backward();
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = 2 * X[i] * (5 + i);
        }
        assertArrayEquals(expected, x.grad().toDoubleArray(), 1e-15);
        assertEquals(DType.FLOAT64, x.grad().dtype());
        assertNull(c.grad(), "a tensor that does not require grad gets no gradient");
    }

    @Test
    void backward_float32Leaf_givesFloat32Gradient() {
        Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad(true);
        x.mul(x).sum().backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertArrayEquals(new float[] {2, 4}, x.grad().toFloatArray());
    }

    @Test
    void backward_withGradient_weightsNonScalarOutput() {
        Tensor x = leaf(X);
        Tensor y = x.mul(x);
        y.backward(Tensor.of(new double[] {1, 10, -2}));
        assertArrayEquals(new double[] {2 * X[0], 20 * X[1], -4 * X[2]}, x.grad().toDoubleArray(), 1e-15);
    }

    @Test
    void backward_nonScalarWithoutGradient_throws() {
        Tensor y = leaf(X).mul(2.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertTrue(e.getMessage().contains("scalar") && e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void backward_gradientOfWrongShape_throws() {
        Tensor y = leaf(X).mul(2.0);
        assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.of(new double[] {1, 2})));
    }

    @Test
    void backward_outputNotRequiringGrad_throws() {
        Tensor y = Tensor.of(new double[] {1, 2}).sum();
        assertThrows(IllegalArgumentException.class, y::backward);
    }

    @Test
    void backward_twoCalls_accumulateGradients() {
        Tensor x = leaf(X);
        x.mul(3.0).sum().backward();
        x.mul(x).sum().backward();
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = 3 + 2 * X[i];
        }
        assertArrayEquals(expected, x.grad().toDoubleArray(), 1e-15);
    }

    @Test
    void zeroGrad_afterBackward_clearsGradient() {
        Tensor x = leaf(X);
        x.mul(3.0).sum().backward();
        x.zeroGrad();
        assertTrue(x.grad() == null || java.util.Arrays.stream(x.grad().toDoubleArray()).allMatch(v -> v == 0));
        x.mul(5.0).sum().backward();
        assertArrayEquals(new double[] {5, 5, 5}, x.grad().toDoubleArray(), 0, "no leftover from before zeroGrad");
    }

    @Test
    void detach_cutsGraph() {
        Tensor x = leaf(X);
        Tensor d = x.detach();
        assertFalse(d.requiresGrad());
        assertArrayEquals(X, d.toDoubleArray());
        d.mul(x).sum().backward();   // d(x_const · x)/dx = x
        assertArrayEquals(X, x.grad().toDoubleArray(), 0);
    }

    @Test
    void noGrad_scope_recordsNothingAndRestores() {
        Tensor x = leaf(X);
        try (var g = Janus.noGrad()) {
            assertFalse(Janus.isGradEnabled());
            Tensor r = x.mul(2.0).exp();
            assertFalse(r.requiresGrad());
            try (var e = Janus.enableGrad()) {
                assertTrue(x.mul(2.0).requiresGrad(), "enableGrad inside noGrad records again");
            }
            assertFalse(x.mul(2.0).requiresGrad(), "closing enableGrad restores noGrad");
        }
        assertTrue(Janus.isGradEnabled());
        assertTrue(x.mul(2.0).requiresGrad());
    }

    @Test
    void grad_functional_doesNotTouchGradField() {
        Tensor x = leaf(X);
        Tensor[] g = Janus.grad(x.mul(x).sum(), new Tensor[] {x}, false);
        assertArrayEquals(new double[] {2 * X[0], 2 * X[1], 2 * X[2]}, g[0].toDoubleArray(), 1e-15);
        assertNull(x.grad());
    }

    @Test
    void grad_unusedInput_givesZeros() {
        Tensor x = leaf(X);
        Tensor unused = leaf(1, 2);
        Tensor[] g = Janus.grad(x.sum(), new Tensor[] {x, unused}, false);
        assertArrayEquals(new double[] {1, 1, 1}, g[0].toDoubleArray());
        assertArrayEquals(new double[] {0, 0}, g[1].toDoubleArray());
    }

    @Test
    void grad_withRespectToIntermediate_givesItsGradient() {
        Tensor x = leaf(X);
        Tensor h = x.tanh();
        Tensor[] g = Janus.grad(h.mul(h).sum(), new Tensor[] {h, x}, false);
        double[] gh = new double[3];
        double[] gx = new double[3];
        for (int i = 0; i < 3; i++) {
            double t = Math.tanh(X[i]);
            gh[i] = 2 * t;
            gx[i] = 2 * t * (1 - t * t);
        }
        assertArrayEquals(gh, g[0].toDoubleArray(), 1e-15);
        assertArrayEquals(gx, g[1].toDoubleArray(), 1e-15);
    }

    @Test
    void noGrad_otherThread_stillRecords() throws Exception {
        Tensor x = leaf(X);
        try (var g = Janus.noGrad()) {
            boolean[] recorded = new boolean[1];
            Thread t = new Thread(() -> recorded[0] = x.mul(2.0).requiresGrad());
            t.start();
            t.join();
            assertTrue(recorded[0], "noGrad is per thread");
            assertFalse(x.mul(2.0).requiresGrad());
        }
    }

    // ------------------------------------------------------------------ retainGraph

    @Test
    void backward_secondCallWithoutRetainGraph_throwsMentioningRetainGraph() {
        Tensor x = leaf(X);
        Tensor y = x.mul(x).sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
    }

    @Test
    void backward_secondCallWithRetainGraph_doublesGradient() {
        Tensor x = leaf(X);
        Tensor y = x.mul(x).exp().sum();
        y.backward(null, true);
        y.backward();
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = 2 * (2 * X[i] * Math.exp(X[i] * X[i]));
        }
        assertArrayEquals(expected, x.grad().toDoubleArray(), 1e-12);
    }

    // ------------------------------------------------------------------ higher order

    @Test
    void grad_createGraph_givesSecondDerivativeOfCube() {
        Tensor x = leaf(X);
        for (Tensor y : new Tensor[] {x.mul(x).mul(x), x.pow(3.0)}) {
            Tensor g = Janus.grad(y.sum(), new Tensor[] {x}, true)[0];
            double[] first = new double[3];
            double[] second = new double[3];
            for (int i = 0; i < 3; i++) {
                first[i] = 3 * X[i] * X[i];
                second[i] = 6 * X[i];
            }
            assertArrayEquals(first, g.toDoubleArray(), 1e-12);
            assertTrue(g.requiresGrad(), "with createGraph the gradient is differentiable");
            Tensor g2 = Janus.grad(g.sum(), new Tensor[] {x}, false)[0];
            assertArrayEquals(second, g2.toDoubleArray(), 1e-12, "d²/dx² x³ = 6x");
        }
    }

    @Test
    void grad_createGraph_givesThirdDerivativeOfCube() {
        Tensor x = leaf(X);
        Tensor g1 = Janus.grad(x.mul(x).mul(x).sum(), new Tensor[] {x}, true)[0];
        Tensor g2 = Janus.grad(g1.sum(), new Tensor[] {x}, true)[0];
        Tensor g3 = Janus.grad(g2.sum(), new Tensor[] {x}, false)[0];
        assertArrayEquals(new double[] {6, 6, 6}, g3.toDoubleArray(), 1e-12);
    }

    @Test
    void grad_createGraph_givesSecondDerivativeOfTanh() {
        Tensor x = leaf(X);
        Tensor g = Janus.grad(x.tanh().sum(), new Tensor[] {x}, true)[0];
        Tensor g2 = Janus.grad(g.sum(), new Tensor[] {x}, false)[0];
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            double t = Math.tanh(X[i]);
            expected[i] = -2 * t * (1 - t * t);
        }
        assertArrayEquals(expected, g2.toDoubleArray(), 1e-12);
    }

    @Test
    void grad_createGraph_givesMixedPartial() {
        Tensor x = leaf(0.7);
        Tensor y = leaf(-1.3);
        Tensor f = x.mul(y).mul(y).sum();   // ∂f/∂x = y², ∂²f/∂y∂x = 2y
        Tensor dx = Janus.grad(f, new Tensor[] {x}, true)[0];
        assertEquals(1.69, dx.item(), 1e-12);
        Tensor dxy = Janus.grad(dx.sum(), new Tensor[] {y}, false)[0];
        assertEquals(-2.6, dxy.item(), 1e-12);
    }

    @Test
    void backward_createGraph_letsGradientBeDifferentiated() {
        Tensor x = leaf(X);
        x.mul(x).mul(x).sum().backward(null, true, true);
        Tensor g = x.grad();   // 3x², still on the tape
        x.zeroGrad();
        g.sum().backward();
        assertArrayEquals(new double[] {6 * X[0], 6 * X[1], 6 * X[2]}, x.grad().toDoubleArray(), 1e-12);
    }

    // ------------------------------------------------------------------ graph shapes

    @Test
    void backward_diamondGraph_sumsBothPaths() {
        Tensor x = leaf(X);
        x.sin().mul(x.exp()).sum().backward();   // x feeds two branches that meet again
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = Math.cos(X[i]) * Math.exp(X[i]) + Math.sin(X[i]) * Math.exp(X[i]);
        }
        assertArrayEquals(expected, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void backward_intermediateUsedThreeTimes_sumsAllUses() {
        Tensor x = leaf(X);
        Tensor h = x.tanh();
        h.mul(h).add(h).sum().backward();   // d/dx (h² + h) = (2h + 1)(1 - h²)
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            double t = Math.tanh(X[i]);
            expected[i] = (2 * t + 1) * (1 - t * t);
        }
        assertArrayEquals(expected, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void backward_sameTensorAsBothOperands_countsTwice() {
        Tensor x = leaf(X);
        x.add(x).mul(x).sum().backward();   // d/dx 2x² = 4x
        assertArrayEquals(new double[] {4 * X[0], 4 * X[1], 4 * X[2]}, x.grad().toDoubleArray(), 1e-15);
    }

    /** Twenty ops between the parameters and the loss, each gradient against finite differences. */
    @Test
    void gradient_twentyOpMlpChain_matchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(99);
        Tensor x = Tensor.of(r.doubles(12, -1, 1).toArray(), 4, 3);
        Tensor w1 = Tensor.of(r.doubles(15, -1, 1).toArray(), 3, 5);
        Tensor b1 = Tensor.of(r.doubles(5, -0.5, 0.5).toArray(), 5);
        Tensor w2 = Tensor.of(r.doubles(10, -1, 1).toArray(), 5, 2);
        Tensor b2 = Tensor.of(r.doubles(2, -0.5, 0.5).toArray(), 2);
        GradCheck.check(in -> {
            Tensor h = in[0].matmul(in[1]);          // 1
            h = h.add(in[2]);                        // 2
            h = h.tanh();                            // 3
            h = h.mul(h.sigmoid());                  // 4, 5
            h = h.matmul(in[3]);                     // 6
            h = h.add(in[4]);                        // 7
            h = h.softplus();                        // 8
            h = h.sub(h.mean(1, true));              // 9, 10
            h = h.div(h.mul(h).add(1.0).sqrt());     // 11, 12, 13, 14
            h = h.exp().log1p();                     // 15, 16
            h = h.logSoftmax(1);                     // 17
            h = h.mul(h.neg().exp());                // 18, 19
            return h.sum(0);                         // 20
        }, x, w1, b1, w2, b2);
    }

    /** The checker the conformance tables rely on must catch a wrong gradient. */
    @Test
    void gradCheck_wrongGradient_isDetected() {
        Tensor x = Tensor.of(new double[] {0.5, -1.5});
        // detach() hides one of the two paths from autograd, so the analytic gradient is x instead of 2x
        assertThrows(AssertionError.class, () -> GradCheck.check(in -> in[0].detach().mul(in[0]), x));
        GradCheck.check(in -> in[0].mul(in[0]), x);
    }

    // ------------------------------------------------------------------ anomaly mode

    @Test
    void detectAnomaly_logOfZero_throwsNamingOpAndShape() {
        try (var a = Janus.detectAnomaly()) {
            AnomalyException e = assertThrows(AnomalyException.class, () -> Tensor.of(new float[] {0}).log());
            assertTrue(e.getMessage().contains("'log'"), e.getMessage());
            assertTrue(e.getMessage().contains("[1]"), "message should name the input shape: " + e.getMessage());
        }
    }

    @Test
    void detectAnomaly_zeroOverZero_throwsNamingDiv() {
        try (var a = Janus.detectAnomaly()) {
            Tensor z = Tensor.zeros(2, 2);
            AnomalyException e = assertThrows(AnomalyException.class, () -> z.div(Tensor.zeros(2, 2)));
            assertTrue(e.getMessage().contains("'div'"), e.getMessage());
            assertTrue(e.getMessage().contains("[2, 2]"), e.getMessage());
        }
    }

    @Test
    void detectAnomaly_outsideScope_doesNotThrow() {
        try (var a = Janus.detectAnomaly()) {
            assertTrue(Janus.isAnomalyEnabled());
        }
        assertFalse(Janus.isAnomalyEnabled());
        Tensor r = Tensor.zeros(1).div(Tensor.zeros(1));
        assertTrue(Double.isNaN(r.item()));
        assertEquals(Double.NEGATIVE_INFINITY, Tensor.of(new float[] {0}).log().item());
    }

    @Test
    void detectAnomaly_finiteResults_doNotThrow() {
        try (var a = Janus.detectAnomaly()) {
            Tensor x = leaf(X);
            x.mul(x).exp().sum().backward();
            assertEquals(3, x.grad().numel());
        }
    }

    @Test
    void detectAnomaly_nonFiniteInput_blamesOnlyTheFirstOp() {
        Tensor nan = Tensor.of(new double[] {Double.NaN, 1});   // produced outside the scope
        try (var a = Janus.detectAnomaly()) {
            Tensor r = nan.add(1.0);   // NaN in, NaN out: not this op's fault
            assertTrue(Double.isNaN(r.toDoubleArray()[0]));
        }
    }

    @Test
    void detectAnomaly_infiniteGradientInBackward_throws() {
        try (var a = Janus.detectAnomaly()) {
            Tensor x = leaf(0.0, 4.0);
            Tensor y = x.sqrt().sum();   // finite forward; d sqrt/dx at 0 is infinite
            assertThrows(AnomalyException.class, y::backward);
        }
    }
}
