package dev.janus.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.janus.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gradient clipping against torch.nn.utils.clip_grad_norm_ / clip_grad_value_ worked by hand. */
class GradClipTest {

    @Test
    void clipGradNorm_aboveMax_returnsTotalNormAndScalesAll() {
        Tensor a = TestGrads.param(0, 0);
        Tensor b = TestGrads.param(0);
        TestGrads.set(a, 3, 4);
        TestGrads.set(b, 12);
        Tensor total = GradClip.clipGradNorm(List.of(a, b), 6.5);
        assertEquals(13.0, total.item(), 1e-12);       // √(9 + 16 + 144)
        double c = 6.5 / (13 + 1e-6);
        assertArrayEquals(new double[] {3 * c, 4 * c}, a.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {12 * c}, b.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void clipGradNorm_belowMax_leavesGradientsUnchanged() {
        Tensor a = TestGrads.param(0, 0);
        TestGrads.set(a, 3, 4);
        assertEquals(5.0, GradClip.clipGradNorm(List.of(a), 10).item(), 1e-12);
        assertArrayEquals(new double[] {3, 4}, a.grad().toDoubleArray());
    }

    @Test
    void clipGradNorm_infNorm_usesLargestMagnitude() {
        Tensor a = TestGrads.param(0, 0);
        Tensor b = TestGrads.param(0, 0);
        TestGrads.set(a, 1, -7);
        TestGrads.set(b, 2, 3);
        Tensor total = GradClip.clipGradNorm(List.of(a, b), 3.5, Double.POSITIVE_INFINITY);
        assertEquals(7.0, total.item());
        double c = 3.5 / (7 + 1e-6);
        assertArrayEquals(new double[] {c, -7 * c}, a.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {2 * c, 3 * c}, b.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void clipGradNorm_onePointFiveNorm_matchesFormula() {
        Tensor a = TestGrads.param(0, 0, 0);
        TestGrads.set(a, 1, -2, 3);
        double expected = Math.pow(1 + Math.pow(2, 1.5) + Math.pow(3, 1.5), 1 / 1.5);
        assertEquals(expected, GradClip.clipGradNorm(List.of(a), 100, 1.5).item(), 1e-12);
    }

    @Test
    void clipGradNorm_float32Gradients_keepDtypeAndScale() {
        Tensor a = Tensor.of(new float[] {0, 0}).requiresGrad(true);
        TestGrads.set(a, 30, 40);
        Tensor total = GradClip.clipGradNorm(List.of(a), 1);
        assertEquals(50.0, total.item(), 1e-5);
        assertArrayEquals(new float[] {0.6f, 0.8f}, a.grad().toFloatArray(), 1e-6f);
    }

    @Test
    void clipGradNorm_sharedGradientBuffers_scaledOnce() {
        Tensor x = TestGrads.param(0, 0);
        Tensor y = TestGrads.param(0, 0);
        // Both inputs of an add receive the same gradient tensor from autograd.
        x.add(y).mul(Tensor.of(new double[] {3, 4})).sum().backward();
        GradClip.clipGradNorm(List.of(x, y), 1);
        double c = 1 / (Math.sqrt(50) + 1e-6);
        assertArrayEquals(new double[] {3 * c, 4 * c}, x.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {3 * c, 4 * c}, y.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void clipGradNorm_paramsWithoutGrad_ignoredAndZeroWhenNone() {
        Tensor a = TestGrads.param(0, 0);
        Tensor none = TestGrads.param(1);
        assertEquals(0.0, GradClip.clipGradNorm(List.of(none), 1).item());
        TestGrads.set(a, 3, 4);
        assertEquals(5.0, GradClip.clipGradNorm(List.of(a, none), 1).item(), 1e-12);
        assertNull(none.grad());
    }

    @Test
    void clipGradValue_clampsEachElement() {
        Tensor a = TestGrads.param(0, 0, 0, 0);
        TestGrads.set(a, -3, -0.5, 0.2, 9);
        Tensor b = TestGrads.param(0);
        TestGrads.set(b, 1.5);
        GradClip.clipGradValue(List.of(a, b), 1);
        assertArrayEquals(new double[] {-1, -0.5, 0.2, 1}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {1}, b.grad().toDoubleArray());
    }
}
