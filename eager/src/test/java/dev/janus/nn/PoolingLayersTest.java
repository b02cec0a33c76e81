package dev.janus.nn;

import static dev.janus.nn.NnTestSupport.assertShape;
import static dev.janus.nn.NnTestSupport.assertValues;
import static dev.janus.nn.NnTestSupport.f32;
import static dev.janus.nn.NnTestSupport.f64;
import static dev.janus.nn.NnTestSupport.pool2dRef;
import static dev.janus.nn.NnTestSupport.randomValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.GradCheck;
import dev.janus.Tensor;
import org.junit.jupiter.api.Test;

/** MaxPool2d, AvgPool2d, AdaptiveAvgPool2d and Flatten against plain loops and hand-computed values. */
class PoolingLayersTest {
    private static final double F32_TOL = 1e-6;

    private static final double[] GRID = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    @Test
    void maxPool2d_defaultStride_takesWindowMaxima() {
        Tensor y = new MaxPool2d(2).forward(f32(GRID, 1, 1, 4, 4));
        assertValues(new double[] {6, 8, 14, 16}, y, 0);
    }

    @Test
    void maxPool2d_strideAndPadding_matchesLoop() {
        double[] x = randomValues(2 * 3 * 7 * 6, 21);
        MaxPool2d pool = new MaxPool2d(3).stride(2).padding(1);
        Tensor y = pool.forward(f32(x, 2, 3, 7, 6));
        assertShape(y, 2, 3, 4, 3);
        assertValues(pool2dRef(x, 6, 7, 6, 3, 2, 1, true, true), y, 0);
        assertEquals("MaxPool2d(kernel 3, stride 2, padding 1)", pool.describe());
    }

    @Test
    void maxPool2d_gradient_matchesFiniteDifferences() {
        double[] x = new double[2 * 5 * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = ((i * 37) % 50) / 8.0; // distinct values: no ties, so the max is differentiable
        }
        MaxPool2d pool = new MaxPool2d(2).stride(1);
        GradCheck.check(in -> pool.forward(in[0]), f64(x, 1, 2, 5, 5));
    }

    @Test
    void maxPool2d_ceilMode_addsPartialWindowsLikePytorch() {
        // 4×4, window 3, stride 2: floor mode gives 1×1, ceil mode 2×2 with windows rows/cols {0..2} and {2..3}
        MaxPool2d pool = new MaxPool2d(3).stride(2).ceilMode(true);
        Tensor neg = f32(GRID, 1, 1, 4, 4).neg();
        assertValues(new double[] {-1, -3, -9, -11}, pool.forward(neg), 0);
        assertShape(new MaxPool2d(3).stride(2).forward(neg), 1, 1, 1, 1);
        // the last window must start inside the input or the left padding: 5 wide, window 2, stride 2, padding 1
        // would start a 4th window in the right padding, so ceil mode keeps 3
        assertShape(new MaxPool2d(2).stride(2).padding(1).ceilMode(true).forward(Tensor.zeros(1, 1, 5, 5)), 1, 1, 3, 3);
        assertEquals("MaxPool2d(kernel 3, stride 2, ceil mode)", pool.describe());
        double[] x = new double[2 * 5 * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = ((i * 37) % 50) / 8.0;
        }
        GradCheck.check(in -> new MaxPool2d(2).ceilMode(true).forward(in[0]), f64(x, 1, 2, 5, 5));
    }

    @Test
    void avgPool2d_divisorOverride_dividesSumsByIt() {
        AvgPool2d pool = new AvgPool2d(2).divisorOverride(3);
        assertValues(new double[] {14 / 3.0, 22 / 3.0, 46 / 3.0, 54 / 3.0}, pool.forward(f64(GRID, 1, 1, 4, 4)), 1e-12);
        assertEquals("AvgPool2d(kernel 2, stride 2, divisor 3)", pool.describe());
    }

    @Test
    void avgPool2d_defaultStride_averagesWindows() {
        Tensor y = new AvgPool2d(2).forward(f32(GRID, 1, 1, 4, 4));
        assertValues(new double[] {3.5, 5.5, 11.5, 13.5}, y, 0);
    }

    @Test
    void avgPool2d_paddingCounted_matchesLoop() {
        double[] x = randomValues(2 * 2 * 5 * 5, 22);
        AvgPool2d pool = new AvgPool2d(3).stride(2).padding(1);
        Tensor y = pool.forward(f32(x, 2, 2, 5, 5));
        assertValues(pool2dRef(x, 4, 5, 5, 3, 2, 1, false, true), y, F32_TOL);
    }

    @Test
    void avgPool2d_paddingNotCounted_dividesByCoveredCells() {
        AvgPool2d pool = new AvgPool2d(3).stride(1).padding(1).countIncludePad(false);
        Tensor y = pool.forward(f32(GRID, 1, 1, 4, 4));
        // corner window covers 1, 2, 5, 6 only
        assertEquals((1 + 2 + 5 + 6) / 4.0, y.toDoubleArray()[0], 1e-6);
        assertValues(pool2dRef(GRID, 1, 4, 4, 3, 1, 1, false, false), y, F32_TOL);
        assertEquals("AvgPool2d(kernel 3, stride 1, padding 1, padding not counted)", pool.describe());
        double[] x = randomValues(2 * 4 * 4, 23);
        GradCheck.check(in -> pool.forward(in[0]), f64(x, 1, 2, 4, 4));
    }

    @Test
    void adaptiveAvgPool2d_unevenBins_usePytorchBoundaries() {
        // 5 columns into 3 bins: [0, 2), [1, 4), [3, 5); 4 rows into 2 bins: [0, 2), [2, 4)
        double[] x = new double[4 * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        Tensor y = new AdaptiveAvgPool2d(2, 3).forward(f64(x, 1, 1, 4, 5));
        assertShape(y, 1, 1, 2, 3);
        double[] expected = {
            (0 + 1 + 5 + 6) / 4.0, (1 + 2 + 3 + 6 + 7 + 8) / 6.0, (3 + 4 + 8 + 9) / 4.0,
            (10 + 11 + 15 + 16) / 4.0, (11 + 12 + 13 + 16 + 17 + 18) / 6.0, (13 + 14 + 18 + 19) / 4.0};
        assertValues(expected, y, 1e-12);
        GradCheck.check(in -> new AdaptiveAvgPool2d(2, 3).forward(in[0]), f64(randomValues(20, 24), 1, 1, 4, 5));
    }

    @Test
    void adaptiveAvgPool2d_globalPooling_isSpatialMean() {
        double[] x = randomValues(2 * 3 * 4 * 4, 25);
        AdaptiveAvgPool2d gap = new AdaptiveAvgPool2d(1);
        Tensor y = gap.forward(f64(x, 2, 3, 4, 4));
        assertShape(y, 2, 3, 1, 1);
        double[] expected = new double[6];
        for (int p = 0; p < 6; p++) {
            for (int i = 0; i < 16; i++) {
                expected[p] += x[p * 16 + i] / 16;
            }
        }
        assertValues(expected, y, 1e-12);
        assertEquals("AdaptiveAvgPool2d(output 1)", gap.describe());
    }

    @Test
    void flatten_defaultAndRange_mergeAxes() {
        Tensor x = Tensor.zeros(2, 3, 4, 5);
        assertShape(new Flatten().forward(x), 2, 60);
        assertShape(new Flatten(1, 2).forward(x), 2, 12, 5);
        Tensor y = new Flatten().forward(f32(GRID, 2, 2, 4));
        assertValues(GRID, y, 0);
        assertTrue(new Flatten().describe().contains("1, -1"));
    }
}
