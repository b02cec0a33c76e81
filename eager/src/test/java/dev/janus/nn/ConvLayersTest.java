package dev.janus.nn;

import static dev.janus.nn.NnTestSupport.assertShape;
import static dev.janus.nn.NnTestSupport.assertValues;
import static dev.janus.nn.NnTestSupport.checkParameterGradients;
import static dev.janus.nn.NnTestSupport.conv2dRef;
import static dev.janus.nn.NnTestSupport.convTranspose2dRef;
import static dev.janus.nn.NnTestSupport.f32;
import static dev.janus.nn.NnTestSupport.f64;
import static dev.janus.nn.NnTestSupport.randomValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.GradCheck;
import dev.janus.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conv1d, Conv2d and ConvTranspose2d against direct float64 loops, their initialization and gradients. */
class ConvLayersTest {
    private static final double F32_TOL = 1e-5;

    private static double[] values(Tensor t) {
        return t.toDoubleArray();
    }

    @Test
    void conv2d_defaultInit_matchesPytorchBoundsAndShapes() {
        Conv2d c = new Conv2d(4, 8, 3);
        assertShape(c.weight, 8, 4, 3, 3);
        assertShape(c.bias, 8);
        double bound = 1 / Math.sqrt(4 * 9);
        double sumSq = 0;
        for (double v : values(c.weight)) {
            assertTrue(Math.abs(v) <= bound, "weight " + v + " outside ±" + bound);
            sumSq += v * v;
        }
        // U(-b, b) has variance b²/3; 288 draws put the sample within ~25% of it
        assertEquals(bound * bound / 3, sumSq / 288, 0.25 * bound * bound / 3);
        for (double v : values(c.bias)) {
            assertTrue(Math.abs(v) <= bound, "bias " + v + " outside ±" + bound);
        }
        assertEquals(List.of("weight", "bias"), List.copyOf(c.namedParameters().keySet()));
    }

    @Test
    void conv2d_strideAndPadding_matchesDirectLoop() {
        Conv2d c = new Conv2d(3, 4, 3).stride(2).padding(1);
        double[] x = randomValues(2 * 3 * 7 * 6, 1);
        Tensor y = c.forward(f32(x, 2, 3, 7, 6));
        assertShape(y, 2, 4, 4, 3);
        double[] expected = conv2dRef(x, new int[] {2, 3, 7, 6}, values(c.weight), new int[] {4, 3, 3, 3}, values(c.bias),
                new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, false);
        assertValues(expected, y, F32_TOL);
    }

    @Test
    void conv2d_groupsDilationNoBias_matchesDirectLoop() {
        Conv2d c = new Conv2d(4, 6, new int[] {2, 3}, 2, false).dilation(2, 1).padding(1, 0);
        assertNull(c.bias);
        assertShape(c.weight, 6, 2, 2, 3);
        double[] x = randomValues(1 * 4 * 5 * 6, 2);
        Tensor y = c.forward(f64(x, 1, 4, 5, 6));
        double[] expected = conv2dRef(x, new int[] {1, 4, 5, 6}, values(c.weight), new int[] {6, 2, 2, 3}, null,
                new int[] {1, 1}, new int[] {1, 0}, new int[] {1, 0}, new int[] {2, 1}, 2, false);
        assertShape(y, 1, 6, 5, 4);
        assertValues(expected, y, 1e-12);
    }

    @Test
    void conv2d_paddingSameEvenKernel_padsExtraAfter() {
        Conv2d c = new Conv2d(2, 3, 4).paddingSame();
        double[] x = randomValues(2 * 5 * 5, 3);
        Tensor y = c.forward(f64(x, 1, 2, 5, 5));
        assertShape(y, 1, 3, 5, 5);
        double[] expected = conv2dRef(x, new int[] {1, 2, 5, 5}, values(c.weight), new int[] {3, 2, 4, 4}, values(c.bias),
                new int[] {1, 1}, new int[] {1, 1}, new int[] {2, 2}, new int[] {1, 1}, 1, false);
        assertValues(expected, y, 1e-12);
    }

    @Test
    void conv2d_reflectPadding_mirrorsBorder() {
        Conv2d c = new Conv2d(1, 2, 3).padding(2).paddingMode("reflect");
        double[] x = randomValues(4 * 5, 4);
        Tensor y = c.forward(f64(x, 1, 1, 4, 5));
        double[] expected = conv2dRef(x, new int[] {1, 1, 4, 5}, values(c.weight), new int[] {2, 1, 3, 3}, values(c.bias),
                new int[] {1, 1}, new int[] {2, 2}, new int[] {2, 2}, new int[] {1, 1}, 1, true);
        assertShape(y, 1, 2, 6, 7);
        assertValues(expected, y, 1e-12);
    }

    @Test
    void conv2d_handComputedOnes_sumsWindowPlusBias() {
        Conv2d c = new Conv2d(1, 1, 2);
        c.weight.assign(Tensor.ones(1, 1, 2, 2));
        c.bias.assign(Tensor.full(0.5, 1));
        Tensor y = c.forward(f32(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3));
        assertValues(new double[] {12.5, 16.5, 24.5, 28.5}, y, 0);
    }

    @Test
    void conv2d_paddingSameWithStride_isRejected() {
        Conv2d c = new Conv2d(1, 1, 3).stride(2).paddingSame();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(1, 1, 5, 5)));
        assertTrue(e.getMessage().contains("stride 1"), e.getMessage());
    }

    @Test
    void conv2d_wrongChannelsOrGroups_namesTheProblem() {
        Conv2d c = new Conv2d(3, 4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(1, 2, 5, 5)));
        assertTrue(e.getMessage().contains("[N, 3, H, W]") && e.getMessage().contains("[1, 2, 5, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3, 2, true));
        assertTrue(e.getMessage().contains("divisible by groups=2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3).stride(0));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3).paddingMode("circular"));
    }

    @Test
    void conv2d_describe_showsConfiguration() {
        assertEquals("Conv2d(1 → 6, kernel 5, stride 1)", new Conv2d(1, 6, 5).describe());
        assertEquals("Conv2d(4 → 8, kernel 3×5, stride 2, padding 1, dilation 2, groups 2, no bias)",
                new Conv2d(4, 8, new int[] {3, 5}, 2, false).stride(2).padding(1).dilation(2).describe());
    }

    @Test
    void conv2d_gradients_matchFiniteDifferences() {
        Conv2d c = new Conv2d(4, 4, 3, 2, true).stride(2).padding(1).dilation(1);
        Tensor x = f64(randomValues(2 * 4 * 5 * 5, 5), 2, 4, 5, 5);
        GradCheck.check(in -> c.forward(in[0]), x);
        checkParameterGradients(c, x, 12);
        Conv2d same = new Conv2d(2, 2, 2).paddingSame().paddingMode("reflect");
        Tensor x2 = f64(randomValues(2 * 4 * 4, 6), 1, 2, 4, 4);
        GradCheck.check(in -> same.forward(in[0]), x2);
        checkParameterGradients(same, x2, 8);
    }

    @Test
    void conv1d_strideDilationGroups_matchesDirectLoop() {
        Conv1d c = new Conv1d(4, 2, 3, 2, true).stride(2).padding(2).dilation(2);
        assertShape(c.weight, 2, 2, 3);
        double[] x = randomValues(2 * 4 * 9, 7);
        Tensor y = c.forward(f32(x, 2, 4, 9));
        double[] expected = conv2dRef(x, new int[] {2, 4, 1, 9}, values(c.weight), new int[] {2, 2, 1, 3}, values(c.bias),
                new int[] {1, 2}, new int[] {0, 2}, new int[] {0, 2}, new int[] {1, 2}, 2, false);
        assertShape(y, 2, 2, 5);
        assertValues(expected, y, F32_TOL);
        assertEquals("Conv1d(4 → 2, kernel 3, stride 2, padding 2, dilation 2, groups 2)", c.describe());
    }

    @Test
    void conv1d_paddingSameReflect_keepsLength() {
        Conv1d c = new Conv1d(1, 1, 3, 1, false).paddingSame().paddingMode("reflect");
        c.weight.assign(Tensor.of(new float[] {1, 10, 100}, 1, 1, 3));
        Tensor y = c.forward(f32(new double[] {1, 2, 3, 4}, 1, 1, 4));
        // reflect-padded row 2 1 2 3 4 3: windows (2,1,2) (1,2,3) (2,3,4) (3,4,3)
        assertValues(new double[] {2 + 10 + 200, 1 + 20 + 300, 2 + 30 + 400, 3 + 40 + 300}, y, 0);
    }

    @Test
    void conv1d_gradients_matchFiniteDifferences() {
        Conv1d c = new Conv1d(2, 3, 3).padding(1);
        Tensor x = f64(randomValues(2 * 2 * 6, 8), 2, 2, 6);
        GradCheck.check(in -> c.forward(in[0]), x);
        checkParameterGradients(c, x, 10);
    }

    @Test
    void convTranspose2d_defaultInit_usesPytorchFanIn() {
        ConvTranspose2d c = new ConvTranspose2d(3, 8, 2);
        assertShape(c.weight, 3, 8, 2, 2);
        double bound = 1 / Math.sqrt(8 * 4); // fan-in from weight dim 1, as PyTorch computes it
        for (double v : values(c.weight)) {
            assertTrue(Math.abs(v) <= bound, "weight " + v);
        }
        for (double v : values(c.bias)) {
            assertTrue(Math.abs(v) <= bound, "bias " + v);
        }
    }

    @Test
    void convTranspose2d_strideOutputPadding_matchesScatterLoop() {
        ConvTranspose2d c = new ConvTranspose2d(2, 3, 3).stride(2).padding(1).outputPadding(1);
        double[] x = randomValues(2 * 2 * 3 * 4, 9);
        Tensor y = c.forward(f32(x, 2, 2, 3, 4));
        assertShape(y, 2, 3, 6, 8);
        double[] expected = convTranspose2dRef(x, new int[] {2, 2, 3, 4}, values(c.weight), new int[] {2, 3, 3, 3},
                values(c.bias), 2, 1, 1, 1, 1);
        assertValues(expected, y, F32_TOL);
        assertEquals("ConvTranspose2d(2 → 3, kernel 3, stride 2, output padding 1, padding 1)", c.describe());
    }

    @Test
    void convTranspose2d_groupsDilation_matchesScatterLoop() {
        ConvTranspose2d c = new ConvTranspose2d(4, 2, new int[] {2, 2}, 2, false).dilation(2);
        double[] x = randomValues(4 * 3 * 3, 10);
        Tensor y = c.forward(f64(x, 1, 4, 3, 3));
        double[] expected = convTranspose2dRef(x, new int[] {1, 4, 3, 3}, values(c.weight), new int[] {4, 1, 2, 2}, null,
                1, 0, 0, 2, 2);
        assertShape(y, 1, 2, 5, 5);
        assertValues(expected, y, 1e-12);
    }

    @Test
    void convTranspose2d_gradients_matchFiniteDifferences() {
        ConvTranspose2d c = new ConvTranspose2d(2, 2, 3).stride(2).padding(1);
        Tensor x = f64(randomValues(2 * 2 * 3 * 3, 11), 2, 2, 3, 3);
        GradCheck.check(in -> c.forward(in[0]), x);
        checkParameterGradients(c, x, 10);
    }
}
