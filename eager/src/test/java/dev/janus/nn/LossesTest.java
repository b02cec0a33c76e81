package dev.janus.nn;

import static dev.janus.nn.NnTestSupport.assertShape;
import static dev.janus.nn.NnTestSupport.assertValues;
import static dev.janus.nn.NnTestSupport.f64;
import static dev.janus.nn.NnTestSupport.randomValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.GradCheck;
import dev.janus.Tensor;
import dev.janus.nn.F.CrossEntropyOptions;
import org.junit.jupiter.api.Test;

/**
 * The losses in {@link F} against hand-computed values and a float64 reference written from PyTorch's
 * documented definitions, plus float64 gradient checks.
 */
class LossesTest {
    private static final double TOL = 1e-12;
    private static final double[] LOGITS = {1, 2, 3, 1, 1, 1, -1, 0.5, 2};

    private static Tensor ids(long... v) {
        return Tensor.of(v, v.length);
    }

    private static CrossEntropyOptions opts() {
        return CrossEntropyOptions.defaults();
    }

    /**
     * Cross-entropy from the definition: q = (1-ε)·target + ε/C, loss_i = -Σ_c w_c·q_ic·log softmax(x_i)_c.
     * Rows are [rows, C]; {@code target} holds a class index or -1 for an ignored row; "mean" divides by
     * Σ w[target] over the rows not ignored.
     */
    private static double[] crossEntropyRef(double[] x, int rows, int c, int[] target, double[] w, double eps) {
        double[] loss = new double[rows + 1];
        double denominator = 0;
        for (int i = 0; i < rows; i++) {
            if (target[i] < 0) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                max = Math.max(max, x[i * c + k]);
            }
            double z = 0;
            for (int k = 0; k < c; k++) {
                z += Math.exp(x[i * c + k] - max);
            }
            for (int k = 0; k < c; k++) {
                double q = (k == target[i] ? 1 - eps : 0) + eps / c;
                loss[i] -= (w == null ? 1 : w[k]) * q * (x[i * c + k] - max - Math.log(z));
            }
            denominator += w == null ? 1 : w[target[i]];
        }
        double sum = 0;
        for (int i = 0; i < rows; i++) {
            sum += loss[i];
        }
        loss[rows] = sum / denominator; // last slot: the "mean" reduction
        return loss;
    }

    private static double logSumExp(double... v) {
        double s = 0;
        for (double e : v) {
            s += Math.exp(e);
        }
        return Math.log(s);
    }

    @Test
    void crossEntropy_classIndices_handComputedForEachReduction() {
        Tensor logits = f64(LOGITS, 3, 3);
        double l0 = logSumExp(1, 2, 3) - 3;
        double l1 = Math.log(3);
        double l2 = logSumExp(-1, 0.5, 2) + 1;
        assertEquals((l0 + l1 + l2) / 3, F.crossEntropy(logits, ids(2, 0, 0)).item(), TOL);
        assertEquals(l0 + l1 + l2, F.crossEntropy(logits, ids(2, 0, 0), opts().reduction("sum")).item(), TOL);
        Tensor none = F.crossEntropy(logits, ids(2, 0, 0), opts().reduction("none"));
        assertShape(none, 3);
        assertValues(new double[] {l0, l1, l2}, none, TOL);
        // int32 targets behave the same
        assertEquals((l0 + l1 + l2) / 3, F.crossEntropy(logits, Tensor.of(new int[] {2, 0, 0}, 3)).item(), TOL);
    }

    @Test
    void crossEntropy_ignoreIndex_excludedFromSumAndCount() {
        Tensor logits = f64(LOGITS, 3, 3);
        double l0 = logSumExp(1, 2, 3) - 3;
        double l2 = logSumExp(-1, 0.5, 2) + 1;
        assertEquals((l0 + l2) / 2, F.crossEntropy(logits, ids(2, -100, 0)).item(), TOL);
        assertValues(new double[] {l0, 0, l2}, F.crossEntropy(logits, ids(2, -100, 0), opts().reduction("none")), TOL);
        assertEquals(l2, F.crossEntropy(logits, ids(1, 1, 0), opts().ignoreIndex(1)).item(), TOL);
        assertTrue(Double.isNaN(F.crossEntropy(logits, ids(-100, -100, -100)).item()), "all ignored: 0/0 as in PyTorch");
    }

    @Test
    void crossEntropy_labelSmoothing_matchesMixedTargetDefinition() {
        Tensor logits = f64(LOGITS, 3, 3);
        double l0 = logSumExp(1, 2, 3);
        // row 0 by hand: q = (0.9·onehot(2) + 0.1/3), loss = Σ_c q_c (lse - x_c)
        double row0 = (0.1 / 3) * ((l0 - 1) + (l0 - 2)) + (0.9 + 0.1 / 3) * (l0 - 3);
        Tensor none = F.crossEntropy(logits, ids(2, 0, 1), opts().labelSmoothing(0.1).reduction("none"));
        assertEquals(row0, none.toDoubleArray()[0], TOL);
        double[] ref = crossEntropyRef(LOGITS, 3, 3, new int[] {2, 0, 1}, null, 0.1);
        assertValues(new double[] {ref[0], ref[1], ref[2]}, none, TOL);
        assertEquals(ref[3], F.crossEntropy(logits, ids(2, 0, 1), opts().labelSmoothing(0.1)).item(), TOL);
    }

    @Test
    void crossEntropy_weightsSmoothingAndIgnore_matchReference() {
        double[] x = randomValues(5 * 4, 41);
        double[] w = {0.5, 2, 1, 3};
        Tensor weight = f64(w, 4);
        Tensor targets = ids(3, -100, 0, 1, 3);
        int[] t = {3, -1, 0, 1, 3};
        double[] ref = crossEntropyRef(x, 5, 4, t, w, 0.2);
        CrossEntropyOptions o = opts().weight(weight).labelSmoothing(0.2);
        assertEquals(ref[5], F.crossEntropy(f64(x, 5, 4), targets, o).item(), TOL);
        double sum = ref[0] + ref[2] + ref[3] + ref[4];
        assertEquals(sum, F.crossEntropy(f64(x, 5, 4), targets, o.reduction("sum")).item(), TOL);
        assertValues(new double[] {ref[0], 0, ref[2], ref[3], ref[4]},
                F.crossEntropy(f64(x, 5, 4), targets, o.reduction("none")), TOL);
        double[] plain = crossEntropyRef(x, 5, 4, t, w, 0);
        assertEquals(plain[5], F.crossEntropy(f64(x, 5, 4), targets, opts().weight(weight)).item(), TOL);
    }

    @Test
    void crossEntropy_spatialDims_classAxisIsOne() {
        // logits [N=2, C=3, d=2]; reference on the rows [n, d] → C values
        double[] x = randomValues(2 * 3 * 2, 42);
        double[] rows = new double[12];
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                for (int d = 0; d < 2; d++) {
                    rows[(n * 2 + d) * 3 + c] = x[(n * 3 + c) * 2 + d];
                }
            }
        }
        Tensor targets = Tensor.of(new long[] {0, 2, -100, 1}, 2, 2);
        double[] ref = crossEntropyRef(rows, 4, 3, new int[] {0, 2, -1, 1}, null, 0.05);
        CrossEntropyOptions o = opts().labelSmoothing(0.05);
        assertEquals(ref[4], F.crossEntropy(f64(x, 2, 3, 2), targets, o).item(), TOL);
        Tensor none = F.crossEntropy(f64(x, 2, 3, 2), targets, o.reduction("none"));
        assertShape(none, 2, 2);
        assertValues(new double[] {ref[0], ref[1], 0, ref[3]}, none, TOL);
    }

    @Test
    void crossEntropy_unbatched_takesScalarTarget() {
        Tensor loss = F.crossEntropy(f64(new double[] {1, 2, 3}, 3), Tensor.scalar(1, DType.INT64));
        assertEquals(logSumExp(1, 2, 3) - 2, loss.item(), TOL);
        assertShape(F.crossEntropy(f64(new double[] {1, 2, 3}, 3), Tensor.scalar(1, DType.INT64), opts().reduction("none")));
    }

    @Test
    void crossEntropy_probabilityTargets_eachReductionAndSmoothing() {
        double[] p = {0.2, 0.3, 0.5, 1, 0, 0, 0, 0.5, 0.5};
        Tensor logits = f64(LOGITS, 3, 3);
        Tensor probs = f64(p, 3, 3);
        double[] expected = new double[3];
        double[] smoothed = new double[3];
        double[] weighted = new double[3];
        double[] w = {1, 2, 0.5};
        for (int i = 0; i < 3; i++) {
            double lse = logSumExp(LOGITS[i * 3], LOGITS[i * 3 + 1], LOGITS[i * 3 + 2]);
            for (int c = 0; c < 3; c++) {
                double nlp = lse - LOGITS[i * 3 + c];
                expected[i] += p[i * 3 + c] * nlp;
                smoothed[i] += (0.7 * p[i * 3 + c] + 0.1) * nlp;
                weighted[i] += w[c] * p[i * 3 + c] * nlp;
            }
        }
        assertValues(expected, F.crossEntropy(logits, probs, opts().reduction("none")), TOL);
        assertEquals((expected[0] + expected[1] + expected[2]) / 3, F.crossEntropy(logits, probs).item(), TOL);
        assertEquals(expected[0] + expected[1] + expected[2], F.crossEntropy(logits, probs, opts().reduction("sum")).item(),
                TOL);
        assertValues(smoothed, F.crossEntropy(logits, probs, opts().labelSmoothing(0.3).reduction("none")), TOL);
        // with class weights "mean" still divides by the number of rows (PyTorch's rule for probability targets)
        assertEquals((weighted[0] + weighted[1] + weighted[2]) / 3,
                F.crossEntropy(logits, probs, opts().weight(f64(w, 3))).item(), TOL);
        // a one-hot probability target equals the class-index loss
        Tensor oneHot = f64(new double[] {0, 0, 1, 1, 0, 0, 1, 0, 0}, 3, 3);
        assertEquals(F.crossEntropy(logits, ids(2, 0, 0)).item(), F.crossEntropy(logits, oneHot).item(), TOL);
    }

    @Test
    void crossEntropy_float32Logits_giveFloat32Loss() {
        Tensor loss = F.crossEntropy(Tensor.of(new float[] {1, 2, 3}, 1, 3), ids(2));
        assertEquals(DType.FLOAT32, loss.dtype());
        assertEquals(logSumExp(1, 2, 3) - 3, loss.item(), 1e-6);
    }

    @Test
    void crossEntropy_badArguments_areNamed() {
        Tensor logits = f64(LOGITS, 3, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.crossEntropy(logits, ids(0, 1)));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.crossEntropy(logits, f64(new double[6], 3, 2)));
        assertTrue(e.getMessage().contains("probability targets"), e.getMessage());
        assertThrows(RuntimeException.class, () -> F.crossEntropy(logits, ids(0, 3, 1)).item());
        e = assertThrows(IllegalArgumentException.class, () -> opts().reduction("avg"));
        assertTrue(e.getMessage().contains("'mean', 'sum' or 'none'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> opts().labelSmoothing(1.5));
        e = assertThrows(IllegalArgumentException.class, () -> F.crossEntropy(logits, ids(0, 1, 2), opts().weight(f64(new double[2], 2))));
        assertTrue(e.getMessage().contains("class weights must be [3]"), e.getMessage());
    }

    @Test
    void crossEntropy_gradients_matchFiniteDifferences() {
        Tensor x = f64(randomValues(4 * 3, 43), 4, 3);
        Tensor w = f64(new double[] {0.5, 2, 1.5}, 3);
        Tensor t = ids(2, -100, 0, 1);
        GradCheck.check(in -> F.crossEntropy(in[0], t), x);
        GradCheck.check(in -> F.crossEntropy(in[0], t, opts().weight(in[1]).labelSmoothing(0.15)), x, w);
        GradCheck.check(in -> F.crossEntropy(in[0], t, opts().labelSmoothing(0.15).reduction("none")), x);
        Tensor p = f64(new double[] {0.1, 0.6, 0.3, 0.5, 0.5, 0, 0, 0, 1, 0.2, 0.2, 0.6}, 4, 3);
        GradCheck.check(in -> F.crossEntropy(in[0], in[1], opts().labelSmoothing(0.1).weight(w)), x, p);
        Tensor spatial = f64(randomValues(2 * 3 * 2, 44), 2, 3, 2);
        GradCheck.check(in -> F.crossEntropy(in[0], Tensor.of(new long[] {0, 2, 1, 1}, 2, 2), opts().reduction("sum")), spatial);
    }

    @Test
    void nllLoss_weightsIgnoreAndReductions_matchHandValues() {
        double[] lp = {-0.5, -1, -2, -3, -0.1, -4};
        Tensor x = f64(lp, 2, 3);
        assertEquals((2 + 0.1) / 2, F.nllLoss(x, ids(2, 1)).item(), TOL);
        Tensor w = f64(new double[] {1, 3, 0.5}, 3);
        // weighted mean: (0.5·2 + 3·0.1) / (0.5 + 3)
        assertEquals((0.5 * 2 + 3 * 0.1) / 3.5, F.nllLoss(x, ids(2, 1), w, -100, "mean").item(), TOL);
        assertEquals(0.5 * 2 + 3 * 0.1, F.nllLoss(x, ids(2, 1), w, -100, "sum").item(), TOL);
        assertValues(new double[] {0, 0.3}, F.nllLoss(x, ids(2, 1), w, 2, "none"), TOL);
        assertEquals(0.1, F.nllLoss(x, ids(2, 1), w, 2, "mean").item(), TOL);
        assertEquals(2, F.nllLoss(f64(new double[] {-0.5, -1, -2}, 3), Tensor.scalar(2, DType.INT64)).item(), TOL);
        GradCheck.check(in -> F.nllLoss(in[0], ids(2, 0), in[1], -100, "mean"), x, w);
        assertThrows(IllegalArgumentException.class, () -> F.nllLoss(x, f64(new double[] {2, 1}, 2)));
    }

    @Test
    void mseAndL1_eachReduction_handComputed() {
        Tensor a = f64(new double[] {1, 2, 3}, 3);
        Tensor b = f64(new double[] {0, 2, 5}, 3);
        assertEquals(5 / 3.0, F.mseLoss(a, b).item(), TOL);
        assertEquals(5, F.mseLoss(a, b, "sum").item(), TOL);
        assertValues(new double[] {1, 0, 4}, F.mseLoss(a, b, "none"), TOL);
        assertEquals(1, F.l1Loss(a, b).item(), TOL);
        assertEquals(3, F.l1Loss(a, b, "sum").item(), TOL);
        assertValues(new double[] {1, 0, 2}, F.l1Loss(a, b, "none"), TOL);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.mseLoss(a, Tensor.zeros(3, 1)));
        assertTrue(e.getMessage().contains("same shape"), e.getMessage());
        Tensor x = f64(new double[] {0.3, -1.2, 2.5, 0.7}, 2, 2);
        Tensor y = f64(new double[] {0.1, 0.4, -1, 2}, 2, 2);
        GradCheck.check(in -> F.mseLoss(in[0], in[1]), x, y);
        GradCheck.check(in -> F.l1Loss(in[0], in[1], "sum"), x, y);
    }

    @Test
    void smoothL1_beta_switchesBetweenQuadraticAndLinear() {
        Tensor a = f64(new double[] {1, 2, 3, 0.25}, 4);
        Tensor b = f64(new double[] {0, 2, 5, 0}, 4);
        // |d| = 1, 0, 2, 0.25 with beta 1: 0.5, 0, 1.5, 0.03125
        assertValues(new double[] {0.5, 0, 1.5, 0.03125}, F.smoothL1Loss(a, b, 1, "none"), TOL);
        assertEquals((0.5 + 1.5 + 0.03125) / 4, F.smoothL1Loss(a, b).item(), TOL);
        // beta 2.5: all quadratic, 0.5·d²/2.5
        assertEquals((1 + 4 + 0.0625) / 5, F.smoothL1Loss(a, b, 2.5, "sum").item(), TOL);
        assertEquals(F.l1Loss(a, b).item(), F.smoothL1Loss(a, b, 0, "mean").item(), TOL);
        assertThrows(IllegalArgumentException.class, () -> F.smoothL1Loss(a, b, -1, "mean"));
        Tensor x = f64(new double[] {0.3, -1.2, 2.5, 0.7}, 4);
        GradCheck.check(in -> F.smoothL1Loss(in[0], in[1], 1.0, "mean"), x, f64(new double[] {0.1, 0.4, -1, 1.1}, 4));
    }

    @Test
    void binaryCrossEntropy_clampsLogAtMinus100() {
        Tensor x = f64(new double[] {0.9, 0.2, 0, 1, 1}, 5);
        Tensor y = f64(new double[] {1, 0, 1, 1, 0}, 5);
        double[] expected = {-Math.log(0.9), -Math.log(0.8), 100, 0, 100};
        assertValues(expected, F.binaryCrossEntropy(x, y, null, "none"), TOL);
        assertEquals((expected[0] + expected[1] + 200) / 5, F.binaryCrossEntropy(x, y).item(), TOL);
        Tensor w = f64(new double[] {2, 1, 0.5, 1, 0}, 5);
        assertEquals(2 * expected[0] + expected[1] + 50, F.binaryCrossEntropy(x, y, w, "sum").item(), TOL);
        // soft target y = 0.25 at x = 0.5: -(0.25·log 0.5 + 0.75·log 0.5) = log 2
        assertEquals(Math.log(2), F.binaryCrossEntropy(f64(new double[] {0.5}, 1), f64(new double[] {0.25}, 1)).item(), TOL);
    }

    @Test
    void binaryCrossEntropy_gradients_finiteAtClampAndMatchInside() {
        Tensor x = f64(new double[] {0, 1, 0.5}, 3).requiresGrad(true);
        F.binaryCrossEntropy(x, f64(new double[] {1, 0, 1}, 3), null, "sum").backward();
        for (double g : x.grad().toDoubleArray()) {
            assertTrue(Double.isFinite(g), "gradient " + g);
        }
        assertEquals(-2, x.grad().toDoubleArray()[2], TOL); // d/dx -log x at 0.5
        Tensor p = f64(new double[] {0.1, 0.35, 0.6, 0.95}, 2, 2);
        Tensor y = f64(new double[] {0, 1, 0.3, 1}, 2, 2);
        GradCheck.check(in -> F.binaryCrossEntropy(in[0], in[1], f64(new double[] {1, 2}, 2), "mean"), p, y);
    }

    @Test
    void binaryCrossEntropyWithLogits_matchesSigmoidDefinitionAndIsStable() {
        double[] xs = {2, -1, 0, 0.7};
        double[] ys = {1, 0, 0.5, 0.2};
        double[] pw = {3, 0.5};
        double[] plain = new double[4];
        double[] weighted = new double[4];
        for (int i = 0; i < 4; i++) {
            double s = 1 / (1 + Math.exp(-xs[i]));
            plain[i] = -(ys[i] * Math.log(s) + (1 - ys[i]) * Math.log(1 - s));
            weighted[i] = -(pw[i % 2] * ys[i] * Math.log(s) + (1 - ys[i]) * Math.log(1 - s));
        }
        Tensor x = f64(xs, 2, 2);
        Tensor y = f64(ys, 2, 2);
        assertValues(plain, F.binaryCrossEntropyWithLogits(x, y, null, null, "none"), 1e-12);
        assertEquals((plain[0] + plain[1] + plain[2] + plain[3]) / 4, F.binaryCrossEntropyWithLogits(x, y).item(), 1e-12);
        assertValues(weighted, F.binaryCrossEntropyWithLogits(x, y, null, f64(pw, 2), "none"), 1e-12);
        double[] w = {1, 0.5};
        assertEquals(plain[0] + 0.5 * plain[1] + plain[2] + 0.5 * plain[3],
                F.binaryCrossEntropyWithLogits(x, y, f64(w, 2), null, "sum").item(), 1e-12);
        // |x| = 1000 would overflow exp in a naive form
        assertValues(new double[] {1000, 1000, 0}, F.binaryCrossEntropyWithLogits(f64(new double[] {1000, -1000, 1000}, 3),
                f64(new double[] {0, 1, 1}, 3), null, null, "none"), 1e-12);
        GradCheck.check(in -> F.binaryCrossEntropyWithLogits(in[0], in[1], null, in[2], "mean"), x, y, f64(pw, 2));
    }
}
