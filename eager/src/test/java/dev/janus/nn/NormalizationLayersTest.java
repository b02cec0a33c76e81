package dev.janus.nn;

import static dev.janus.nn.NnTestSupport.assertShape;
import static dev.janus.nn.NnTestSupport.assertValues;
import static dev.janus.nn.NnTestSupport.checkParameterGradients;
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

/** BatchNorm1d/2d (batch and running statistics, train and eval) and LayerNorm against float64 loops. */
class NormalizationLayersTest {
    private static final double EPS = 1e-5;

    /** Per-channel mean and biased variance of x[n, c, spatial]. */
    private static double[][] channelStats(double[] x, int n, int c, int spatial) {
        double[] mean = new double[c];
        double[] var = new double[c];
        int count = n * spatial;
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int s = 0; s < spatial; s++) {
                    mean[ch] += x[(b * c + ch) * spatial + s] / count;
                }
            }
        }
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int s = 0; s < spatial; s++) {
                    double d = x[(b * c + ch) * spatial + s] - mean[ch];
                    var[ch] += d * d / count;
                }
            }
        }
        return new double[][] {mean, var};
    }

    private static double[] normalize(double[] x, int c, int spatial, double[] mean, double[] var, double[] w, double[] b) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = (i / spatial) % c;
            y[i] = (x[i] - mean[ch]) / Math.sqrt(var[ch] + EPS) * w[ch] + b[ch];
        }
        return y;
    }

    @Test
    void batchNorm2d_defaults_matchPytorch() {
        BatchNorm2d bn = new BatchNorm2d(3);
        assertValues(new double[] {1, 1, 1}, bn.weight, 0);
        assertValues(new double[] {0, 0, 0}, bn.bias, 0);
        assertValues(new double[] {0, 0, 0}, bn.runningMean, 0);
        assertValues(new double[] {1, 1, 1}, bn.runningVar, 0);
        assertEquals(0, bn.numBatchesTracked.itemLong());
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
                List.copyOf(bn.stateDict().keySet()));
        assertEquals(List.of("weight", "bias"), List.copyOf(bn.namedParameters().keySet()));
        assertEquals("BatchNorm2d(3, eps 1.0E-5, momentum 0.1)", bn.describe());
    }

    @Test
    void batchNorm2d_training_normalizesWithBatchStatsAndUpdatesRunningStats() {
        int n = 4, c = 3, hw = 6;
        double[] x = randomValues(n * c * hw, 31);
        for (int i = 0; i < x.length; i++) {
            x[i] = x[i] * 2 + 1; // mean 1, variance 4 before sampling noise
        }
        BatchNorm2d bn = new BatchNorm2d(c);
        bn.weight.assign(Tensor.of(new float[] {1f, 2f, 0.5f}, 3));
        bn.bias.assign(Tensor.of(new float[] {0f, -1f, 3f}, 3));
        Tensor y = bn.forward(f32(x, n, c, 2, 3));
        double[][] st = channelStats(x, n, c, hw);
        assertValues(normalize(x, c, hw, st[0], st[1], new double[] {1, 2, 0.5}, new double[] {0, -1, 3}), y, 2e-5);
        double[] rm = new double[c];
        double[] rv = new double[c];
        for (int ch = 0; ch < c; ch++) {
            rm[ch] = 0.9 * 0 + 0.1 * st[0][ch];
            rv[ch] = 0.9 * 1 + 0.1 * st[1][ch] * (n * hw) / (n * hw - 1.0); // unbiased variance in the running value
        }
        assertValues(rm, bn.runningMean, 1e-5);
        assertValues(rv, bn.runningVar, 1e-5);
        assertEquals(1, bn.numBatchesTracked.itemLong());
        bn.forward(f32(x, n, c, 2, 3));
        for (int ch = 0; ch < c; ch++) {
            rm[ch] = 0.9 * rm[ch] + 0.1 * st[0][ch];
            rv[ch] = 0.9 * rv[ch] + 0.1 * st[1][ch] * (n * hw) / (n * hw - 1.0);
        }
        assertValues(rm, bn.runningMean, 1e-5);
        assertValues(rv, bn.runningVar, 1e-5);
        assertEquals(2, bn.numBatchesTracked.itemLong());
    }

    @Test
    void batchNorm2d_eval_usesRunningStatsAndLeavesThemAlone() {
        BatchNorm2d bn = new BatchNorm2d(2);
        bn.runningMean.assign(Tensor.of(new float[] {1f, -2f}, 2));
        bn.runningVar.assign(Tensor.of(new float[] {4f, 0.25f}, 2));
        bn.eval();
        double[] x = {3, 5, -2, -1};
        Tensor y = bn.forward(f32(x, 1, 2, 1, 2));
        double[] expected = {(3 - 1) / Math.sqrt(4 + EPS), (5 - 1) / Math.sqrt(4 + EPS), 0, 1 / Math.sqrt(0.25 + EPS)};
        assertValues(expected, y, 1e-6);
        assertValues(new double[] {1, -2}, bn.runningMean, 0);
        assertValues(new double[] {4, 0.25}, bn.runningVar, 0);
        assertEquals(0, bn.numBatchesTracked.itemLong());
        // one value per channel is fine in eval, an error in training (as in PyTorch)
        assertShape(bn.forward(Tensor.zeros(1, 2, 1, 1)), 1, 2, 1, 1);
        bn.train();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(1, 2, 1, 1)));
        assertTrue(e.getMessage().contains("more than one value per channel"), e.getMessage());
    }

    @Test
    void batchNorm1d_twoAndThreeDimensionalInputs_normalizePerChannel() {
        double[] x2 = randomValues(5 * 3, 32);
        BatchNorm1d bn = new BatchNorm1d(3);
        double[][] st = channelStats(x2, 5, 3, 1);
        assertValues(normalize(x2, 3, 1, st[0], st[1], new double[] {1, 1, 1}, new double[3]), bn.forward(f64(x2, 5, 3)),
                1e-12);
        double[] x3 = randomValues(2 * 3 * 4, 33);
        st = channelStats(x3, 2, 3, 4);
        assertValues(normalize(x3, 3, 4, st[0], st[1], new double[] {1, 1, 1}, new double[3]), bn.forward(f64(x3, 2, 3, 4)),
                1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(2, 4)));
        assertTrue(e.getMessage().contains("C = 3") && e.getMessage().contains("[2, 4]"), e.getMessage());
    }

    @Test
    void batchNorm_noAffineNoTracking_hasNoStateAndAlwaysUsesBatchStats() {
        BatchNorm1d bn = new BatchNorm1d(2, 1e-5, 0.1, false, false);
        assertNull(bn.weight);
        assertNull(bn.runningMean);
        assertTrue(bn.stateDict().isEmpty());
        bn.eval();
        Tensor y = bn.forward(f64(new double[] {1, 10, 3, 30}, 2, 2));
        double s = 1 / Math.sqrt(1 + EPS);
        assertValues(new double[] {-s, -10 / Math.sqrt(100 + EPS), s, 10 / Math.sqrt(100 + EPS)}, y, 1e-12);
    }

    @Test
    void batchNorm_gradients_matchFiniteDifferences() {
        BatchNorm2d bn = new BatchNorm2d(2);
        bn.weight.assign(Tensor.of(new float[] {1.5f, -0.5f}, 2));
        bn.bias.assign(Tensor.of(new float[] {0.25f, 2f}, 2));
        Tensor x = f64(randomValues(3 * 2 * 2 * 2, 34), 3, 2, 2, 2);
        GradCheck.check(in -> bn.forward(in[0]), x);
        checkParameterGradients(bn, x, 2);
        bn.eval();
        GradCheck.check(in -> bn.forward(in[0]), x);
        checkParameterGradients(bn, x, 2);
        BatchNorm1d bn1 = new BatchNorm1d(3);
        Tensor x1 = f64(randomValues(4 * 3, 35), 4, 3);
        GradCheck.check(in -> bn1.forward(in[0]), x1);
        checkParameterGradients(bn1, x1, 3);
    }

    @Test
    void layerNorm_lastAxis_matchesLoopAndHasAffineParameters() {
        LayerNorm ln = new LayerNorm(4);
        assertValues(new double[] {1, 1, 1, 1}, ln.weight, 0);
        assertValues(new double[] {0, 0, 0, 0}, ln.bias, 0);
        ln.weight.assign(Tensor.of(new float[] {1f, 2f, 3f, 4f}, 4));
        ln.bias.assign(Tensor.of(new float[] {0f, 0f, 0f, 1f}, 4));
        Tensor y = ln.forward(f32(new double[] {1, 2, 3, 4, -1, -1, -1, -1}, 2, 4));
        double s = 1 / Math.sqrt(1.25 + EPS); // mean 2.5, biased variance 1.25
        assertValues(new double[] {-1.5 * s, -0.5 * 2 * s, 0.5 * 3 * s, 1.5 * 4 * s + 1, 0, 0, 0, 1}, y, 1e-5);
        assertEquals("LayerNorm([4], eps 1.0E-5)", ln.describe());
    }

    @Test
    void layerNorm_twoTrailingAxes_normalizesOverBoth() {
        LayerNorm ln = new LayerNorm(new long[] {2, 3}, 1e-5, false, false);
        assertTrue(ln.namedParameters().isEmpty());
        double[] x = randomValues(2 * 2 * 3, 36);
        Tensor y = ln.forward(f64(x, 2, 2, 3));
        double[] expected = new double[x.length];
        for (int r = 0; r < 2; r++) {
            double m = 0;
            double v = 0;
            for (int i = 0; i < 6; i++) {
                m += x[r * 6 + i] / 6;
            }
            for (int i = 0; i < 6; i++) {
                v += (x[r * 6 + i] - m) * (x[r * 6 + i] - m) / 6;
            }
            for (int i = 0; i < 6; i++) {
                expected[r * 6 + i] = (x[r * 6 + i] - m) / Math.sqrt(v + 1e-5);
            }
        }
        assertValues(expected, y, 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.zeros(2, 3, 2)));
        assertTrue(e.getMessage().contains("[..., 2, 3]"), e.getMessage());
    }

    @Test
    void layerNorm_gradients_matchFiniteDifferences() {
        LayerNorm ln = new LayerNorm(5);
        ln.weight.assign(Tensor.of(new float[] {1f, -2f, 0.5f, 3f, 1f}, 5));
        Tensor x = f64(randomValues(3 * 5, 37), 3, 5);
        GradCheck.check(in -> ln.forward(in[0]), x);
        checkParameterGradients(ln, x, 5);
    }
}
