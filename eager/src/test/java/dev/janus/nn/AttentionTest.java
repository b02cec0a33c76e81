package dev.janus.nn;

import static dev.janus.nn.RecurrentCellTest.assertClose;
import static dev.janus.nn.RecurrentCellTest.assertGrad;
import static dev.janus.nn.RecurrentCellTest.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.GradCheck;
import dev.janus.Janus;
import dev.janus.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * MultiheadAttention against a plain-Java float64 reference that loops over batch, heads, queries and keys;
 * masking contracts; float64 gradient checks of {@link MultiheadAttention#attention}; and the module's own
 * gradients against central differences of the reference. The reference is shared with
 * {@link TransformerEncoderLayerTest}.
 */
class AttentionTest {
    private static final int N = 2;
    private static final int L = 3;
    private static final int S = 4;
    private static final int E = 4;
    private static final int HEADS = 2;
    private static final double TOL = 2e-5;
    private static final double GRAD_TOL = 2e-4;

    /** Reference result: output [N][L][E] and head-averaged weights [N][L][S]. */
    record Ref(double[][][] output, double[][][] weights) {}

    /**
     * Reference attention on batch-first data. {@code mask[n][h][l][s]} is added to the scores (−∞ for a
     * masked key) or null.
     */
    static Ref reference(double[][][] q, double[][][] k, double[][][] v, int heads, Map<String, double[]> p,
            double[][][][] mask) {
        double[] inW = p.get("in_proj_weight");
        double[] inB = p.get("in_proj_bias");
        double[] outW = p.get("out_proj.weight");
        double[] outB = p.get("out_proj.bias");
        int n = q.length;
        int l = q[0].length;
        int s = k[0].length;
        int e = q[0][0].length;
        int hd = e / heads;
        double[][][] context = new double[n][l][e];
        double[][][] weights = new double[n][l][s];
        for (int b = 0; b < n; b++) {
            for (int h = 0; h < heads; h++) {
                double[][] qh = project(q[b], inW, inB, h * hd, hd);
                double[][] kh = project(k[b], inW, inB, e + h * hd, hd);
                double[][] vh = project(v[b], inW, inB, 2 * e + h * hd, hd);
                for (int i = 0; i < l; i++) {
                    double[] scores = new double[s];
                    for (int j = 0; j < s; j++) {
                        for (int d = 0; d < hd; d++) {
                            scores[j] += qh[i][d] * kh[j][d];
                        }
                        scores[j] = scores[j] / Math.sqrt(hd) + (mask == null ? 0 : mask[b][h][i][j]);
                    }
                    double[] prob = softmax(scores);
                    for (int j = 0; j < s; j++) {
                        weights[b][i][j] += prob[j] / heads;
                        for (int d = 0; d < hd; d++) {
                            context[b][i][h * hd + d] += prob[j] * vh[j][d];
                        }
                    }
                }
            }
        }
        double[][][] out = new double[n][l][];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < l; i++) {
                out[b][i] = project(new double[][] {context[b][i]}, outW, outB, 0, e)[0];
            }
        }
        return new Ref(out, weights);
    }

    /** Rows {@code x·W[r0 : r0+rows]ᵀ + b[r0 : r0+rows]} with W flat [*, in] (b may be null). */
    static double[][] project(double[][] x, double[] w, double[] b, int r0, int rows) {
        int in = x[0].length;
        double[][] y = new double[x.length][rows];
        for (int t = 0; t < x.length; t++) {
            for (int r = 0; r < rows; r++) {
                double acc = b == null ? 0 : b[r0 + r];
                for (int c = 0; c < in; c++) {
                    acc += w[(r0 + r) * in + c] * x[t][c];
                }
                y[t][r] = acc;
            }
        }
        return y;
    }

    static double[] softmax(double[] x) {
        double max = Arrays.stream(x).max().orElseThrow();
        double[] e = Arrays.stream(x).map(v -> Math.exp(v - max)).toArray();
        double sum = Arrays.stream(e).sum();
        return Arrays.stream(e).map(v -> v / sum).toArray();
    }

    /** An additive mask [N][HEADS][L][S] that is −∞ where the bool key-padding mask [N][S] is true. */
    static double[][][][] paddingMask(boolean[][] pad, int heads, int l) {
        double[][][][] m = new double[pad.length][heads][l][pad[0].length];
        for (int b = 0; b < pad.length; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < l; i++) {
                    for (int j = 0; j < pad[b].length; j++) {
                        m[b][h][i][j] = pad[b][j] ? Double.NEGATIVE_INFINITY : 0;
                    }
                }
            }
        }
        return m;
    }

    static Map<String, double[]> params(Module m) {
        return RecurrentCellTest.flatParameters(m);
    }

    private static double[][][] nested(Tensor t) {
        return RecurrentLayerTest.nested(t);
    }

    private static double[] flat(double[][][] a) {
        return RecurrentLayerTest.flat(a);
    }

    private static MultiheadAttention mha(long seed, boolean batchFirst) {
        Janus.manualSeed(seed);
        MultiheadAttention m = new MultiheadAttention(E, HEADS, 0, true, batchFirst);
        // NOTE: PyTorch zeroes both biases at init; random ones test that they are applied in the right place.
        m.inProjBias.assign(uniform(new Generator(seed), 3 * E));
        m.outProj.bias.assign(uniform(new Generator(seed + 1), E));
        return m;
    }

    // ------------------------------------------------------------------ forward against the reference

    @Test
    void forward_sequenceFirstMatchesReference() {
        MultiheadAttention m = mha(41, false);
        Generator g = new Generator(1);
        Tensor q = uniform(g, L, N, E);
        Tensor k = uniform(g, S, N, E);
        Tensor v = uniform(g, S, N, E);
        MultiheadAttention.Output o = m.forward(q, k, v);
        assertArrayEquals(new long[] {L, N, E}, o.output().shape().dims());
        assertArrayEquals(new long[] {N, L, S}, o.weights().shape().dims());
        Ref ref = reference(nested(q.transpose(0, 1)), nested(k.transpose(0, 1)), nested(v.transpose(0, 1)), HEADS,
                params(m), null);
        assertClose(flat(ref.output()), o.output().transpose(0, 1), TOL, "output");
        assertClose(flat(ref.weights()), o.weights(), TOL, "weights");
    }

    @Test
    void forward_batchFirstMatchesReference() {
        MultiheadAttention m = mha(42, true);
        Generator g = new Generator(2);
        Tensor q = uniform(g, N, L, E);
        Tensor k = uniform(g, N, S, E);
        Tensor v = uniform(g, N, S, E);
        MultiheadAttention.Output o = m.forward(q, k, v);
        Ref ref = reference(nested(q), nested(k), nested(v), HEADS, params(m), null);
        assertClose(flat(ref.output()), o.output(), TOL, "output");
        assertClose(flat(ref.weights()), o.weights(), TOL, "weights");
    }

    @Test
    void forward_selfAttentionOfOneTensorMatchesReference() {
        MultiheadAttention m = mha(43, true);
        Tensor x = uniform(new Generator(3), N, L, E);
        Ref ref = reference(nested(x), nested(x), nested(x), HEADS, params(m), null);
        assertClose(flat(ref.output()), m.forward(x), TOL, "fused-projection output");
        assertClose(flat(ref.output()), m.forward(x, x.add(0.0), x.mul(1.0)).output(), TOL, "separate-projection output");
    }

    @Test
    void forward_unbatchedMatchesBatchedRow() {
        MultiheadAttention m = mha(44, false);
        Generator g = new Generator(4);
        Tensor q = uniform(g, L, N, E);
        Tensor kv = uniform(g, S, N, E);
        MultiheadAttention.Output batched = m.forward(q, kv, kv);
        MultiheadAttention.Output single = m.forward(q.select(1, 1), kv.select(1, 1), kv.select(1, 1));
        assertArrayEquals(new long[] {L, E}, single.output().shape().dims());
        assertArrayEquals(new long[] {L, S}, single.weights().shape().dims());
        assertArrayEquals(batched.output().select(1, 1).toDoubleArray(), single.output().toDoubleArray(), 1e-6);
        assertArrayEquals(batched.weights().select(0, 1).toDoubleArray(), single.weights().toDoubleArray(), 1e-6);
    }

    @Test
    void forward_handComputedSingleHead() {
        // E = 1, one head, q = k = v = x, no biases, identity output: weights softmax(x_l · x_s).
        MultiheadAttention m = new MultiheadAttention(1, 1, 0, false, true);
        m.inProjWeight.assign(Tensor.of(new float[] {1, 1, 1}, 3, 1));
        m.outProj.weight.assign(Tensor.of(new float[] {1}, 1, 1));
        Tensor x = Tensor.of(new float[] {0, 1}, 1, 2, 1);
        MultiheadAttention.Output o = m.forward(x, x, x);
        double e = Math.E;
        assertArrayEquals(new double[] {0.5, 0.5, 1 / (1 + e), e / (1 + e)}, o.weights().toDoubleArray(), 1e-6);
        assertArrayEquals(new double[] {0.5, e / (1 + e)}, o.output().toDoubleArray(), 1e-6);
    }

    @Test
    void forward_withoutWeightsReturnsNullWeights() {
        MultiheadAttention m = mha(45, true);
        Tensor x = uniform(new Generator(5), N, L, E);
        assertNull(m.forward(x, x, x, null, false, null).weights());
    }

    // ------------------------------------------------------------------ masks

    @Test
    void keyPaddingMask_maskedKeysGetZeroWeightAndRowsSumToOne() {
        MultiheadAttention m = mha(46, true);
        Generator g = new Generator(6);
        Tensor q = uniform(g, N, L, E);
        Tensor kv = uniform(g, N, S, E);
        boolean[][] pad = {{false, true, false, true}, {false, false, false, true}};
        Tensor mask = Tensor.of(new boolean[] {false, true, false, true, false, false, false, true}, N, S);
        MultiheadAttention.Output o = m.forward(q, kv, kv, mask, true, null);
        double[] w = o.weights().toDoubleArray();
        for (int b = 0; b < N; b++) {
            for (int i = 0; i < L; i++) {
                double sum = 0;
                for (int j = 0; j < S; j++) {
                    double wij = w[(b * L + i) * S + j];
                    if (pad[b][j]) {
                        assertEquals(0.0, wij, 0.0, "masked key " + j + " of batch " + b);
                    }
                    sum += wij;
                }
                assertEquals(1.0, sum, 1e-6);
            }
        }
        Ref ref = reference(nested(q), nested(kv), nested(kv), HEADS, params(m), paddingMask(pad, HEADS, L));
        assertClose(flat(ref.output()), o.output(), TOL, "output");
        assertClose(flat(ref.weights()), o.weights(), TOL, "weights");
    }

    @Test
    void keyPaddingMask_floatMaskIsAdded() {
        MultiheadAttention m = mha(47, true);
        Generator g = new Generator(7);
        Tensor q = uniform(g, N, L, E);
        Tensor kv = uniform(g, N, S, E);
        Tensor add = uniform(g, N, S).mul(3);
        double[] a = add.toDoubleArray();
        double[][][][] mask = new double[N][HEADS][L][S];
        for (int b = 0; b < N; b++) {
            for (int h = 0; h < HEADS; h++) {
                for (int i = 0; i < L; i++) {
                    for (int j = 0; j < S; j++) {
                        mask[b][h][i][j] = a[b * S + j];
                    }
                }
            }
        }
        MultiheadAttention.Output o = m.forward(q, kv, kv, add, true, null);
        Ref ref = reference(nested(q), nested(kv), nested(kv), HEADS, params(m), mask);
        assertClose(flat(ref.output()), o.output(), TOL, "output");
        assertClose(flat(ref.weights()), o.weights(), TOL, "weights");
    }

    @Test
    void attnMask_boolCausalMaskZeroesFutureKeys() {
        MultiheadAttention m = mha(48, true);
        Tensor x = uniform(new Generator(8), N, L, E);
        boolean[] causal = new boolean[L * L];
        double[][][][] mask = new double[N][HEADS][L][L];
        for (int i = 0; i < L; i++) {
            for (int j = i + 1; j < L; j++) {
                causal[i * L + j] = true;
                for (int b = 0; b < N; b++) {
                    for (int h = 0; h < HEADS; h++) {
                        mask[b][h][i][j] = Double.NEGATIVE_INFINITY;
                    }
                }
            }
        }
        MultiheadAttention.Output o = m.forward(x, x, x, null, true, Tensor.of(causal, L, L));
        double[] w = o.weights().toDoubleArray();
        for (int b = 0; b < N; b++) {
            assertEquals(1.0, w[b * L * L], 1e-6, "the first query sees only the first key");
            for (int i = 0; i < L; i++) {
                for (int j = i + 1; j < L; j++) {
                    assertEquals(0.0, w[(b * L + i) * L + j], 0.0);
                }
            }
        }
        Ref ref = reference(nested(x), nested(x), nested(x), HEADS, params(m), mask);
        assertClose(flat(ref.output()), o.output(), TOL, "output");
    }

    @Test
    void attnMask_perHeadFloatMaskMatchesReference() {
        MultiheadAttention m = mha(49, true);
        Generator g = new Generator(9);
        Tensor q = uniform(g, N, L, E);
        Tensor kv = uniform(g, N, S, E);
        Tensor add = uniform(g, N * HEADS, L, S).mul(2);
        double[] a = add.toDoubleArray();
        double[][][][] mask = new double[N][HEADS][L][S];
        for (int b = 0; b < N; b++) {
            for (int h = 0; h < HEADS; h++) {
                for (int i = 0; i < L; i++) {
                    for (int j = 0; j < S; j++) {
                        mask[b][h][i][j] = a[((b * HEADS + h) * L + i) * S + j];
                    }
                }
            }
        }
        MultiheadAttention.Output o = m.forward(q, kv, kv, null, true, add);
        Ref ref = reference(nested(q), nested(kv), nested(kv), HEADS, params(m), mask);
        assertClose(flat(ref.output()), o.output(), TOL, "output");
        assertClose(flat(ref.weights()), o.weights(), TOL, "weights");
    }

    @Test
    void masks_rejectWrongShapesAndTypes() {
        MultiheadAttention m = mha(50, true);
        Tensor x = uniform(new Generator(10), N, L, E);
        assertThrows(IllegalArgumentException.class, () -> m.forward(x, x, x, Tensor.zeros(N, L + 1), true, null));
        assertThrows(IllegalArgumentException.class, () -> m.forward(x, x, x, null, true, Tensor.zeros(HEADS, L, L)));
        assertThrows(IllegalArgumentException.class, () -> m.forward(x, x, x, Tensor.zeros(DType.INT64, N, L), true, null));
        assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(6, 4));
        assertThrows(IllegalArgumentException.class, () -> m.forward(x, x.select(0, 0), x));
    }

    // ------------------------------------------------------------------ parameters and dropout

    @Test
    void parameters_pytorchNamesShapesAndInit() {
        MultiheadAttention m = new MultiheadAttention(8, 2);
        Map<String, Tensor> p = m.namedParameters();
        assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"), List.copyOf(p.keySet()));
        assertArrayEquals(new long[] {24, 8}, p.get("in_proj_weight").shape().dims());
        assertArrayEquals(new long[] {24}, p.get("in_proj_bias").shape().dims());
        assertArrayEquals(new long[] {8, 8}, p.get("out_proj.weight").shape().dims());
        assertArrayEquals(new long[] {8}, p.get("out_proj.bias").shape().dims());
        double xavier = Math.sqrt(6.0 / (8 + 24));
        assertTrue(p.get("in_proj_weight").abs().max().item() <= xavier);
        assertEquals(0.0, p.get("in_proj_bias").abs().max().item(), 0.0);
        assertEquals(0.0, p.get("out_proj.bias").abs().max().item(), 0.0);
        assertEquals(List.of("in_proj_weight", "out_proj.weight"),
                List.copyOf(new MultiheadAttention(8, 2, 0, false, false).namedParameters().keySet()));
    }

    @Test
    void dropout_appliesToWeightsInTrainingOnly() {
        Janus.manualSeed(51);
        MultiheadAttention m = new MultiheadAttention(E, HEADS, 0.5, true, true);
        Tensor x = uniform(new Generator(11), N, L, E);
        MultiheadAttention.Output train = m.forward(x, x, x);
        m.eval();
        MultiheadAttention.Output eval = m.forward(x, x, x);
        Ref ref = reference(nested(x), nested(x), nested(x), HEADS, params(m), null);
        assertClose(flat(ref.output()), eval.output(), TOL, "eval output");
        assertClose(flat(ref.weights()), eval.weights(), TOL, "eval weights");
        assertFalse(Arrays.equals(train.weights().toDoubleArray(), eval.weights().toDoubleArray()));
    }

    @Test
    void dropout_ofOneZeroesEveryWeightInTraining() {
        MultiheadAttention m = new MultiheadAttention(E, HEADS, 1.0, true, true);
        m.outProj.bias.assign(Tensor.of(new float[] {1, 2, 3, 4}, E));
        Tensor x = uniform(new Generator(13), N, L, E);
        MultiheadAttention.Output o = m.forward(x, x, x);
        assertEquals(0.0, o.weights().abs().max().item(), 0.0);
        // No attention reaches the output projection, which leaves its bias.
        assertArrayEquals(Tensor.of(new float[] {1, 2, 3, 4}, E).expand(N, L, E).toDoubleArray(), o.output().toDoubleArray(),
                0.0);
    }

    // ------------------------------------------------------------------ gradients

    private static Tensor f64(Generator g, long... shape) {
        return Tensor.randn(g, DType.FLOAT64, shape).mul(0.5);
    }

    @Test
    void attention_gradCheckFloat64() {
        Generator g = new Generator(61);
        Tensor[] in = {f64(g, N, L, E), f64(g, N, S, E), f64(g, N, S, E), f64(g, 3 * E, E), f64(g, 3 * E), f64(g, E, E),
            f64(g, E)};
        GradCheck.check(t -> MultiheadAttention.attention(t[0], t[1], t[2], HEADS, t[3], t[4], t[5], t[6], null, false,
                null, 0).output(), in);
    }

    @Test
    void attention_gradCheckFloat64WithMasksAndWeights() {
        Generator g = new Generator(62);
        Tensor pad = Tensor.of(new boolean[] {false, false, true, false, true, false, false, false}, N, S);
        Tensor add = f64(g, L, S);
        Tensor[] in = {f64(g, N, L, E), f64(g, N, S, E), f64(g, N, S, E), f64(g, 3 * E, E), f64(g, 3 * E), f64(g, E, E),
            f64(g, E)};
        GradCheck.check(t -> {
            MultiheadAttention.Output o = MultiheadAttention.attention(t[0], t[1], t[2], HEADS, t[3], t[4], t[5], t[6], pad,
                    true, add, 0);
            return Tensor.cat(-1, o.output(), o.weights());
        }, in);
    }

    @Test
    void attention_gradCheckFloat64SelfAttention() {
        Generator g = new Generator(63);
        Tensor[] in = {f64(g, N, L, E), f64(g, 3 * E, E), f64(g, 3 * E), f64(g, E, E), f64(g, E)};
        GradCheck.check(t -> MultiheadAttention.attention(t[0], t[0], t[0], HEADS, t[1], t[2], t[3], t[4], null, false,
                null, 0).output(), in);
    }

    @Test
    void backward_gradsMatchReferenceCentralDifferences() {
        MultiheadAttention m = mha(64, false);
        Generator g = new Generator(12);
        Tensor q = uniform(g, L, N, E).requiresGrad(true);
        Tensor kv = uniform(g, S, N, E).requiresGrad(true);
        Tensor wOut = uniform(g, L, N, E);
        boolean[][] pad = {{false, false, true, false}, {true, false, false, false}};
        Tensor mask = Tensor.of(new boolean[] {false, false, true, false, true, false, false, false}, N, S);
        m.forward(q, kv, kv, mask, false, null).output().mul(wOut).sum().backward();

        Map<String, double[]> p = params(m);
        double[] qs = q.toDoubleArray();
        double[] kvs = kv.toDoubleArray();
        double[] w = wOut.transpose(0, 1).toDoubleArray();
        double[][][][] addMask = paddingMask(pad, HEADS, L);
        DoubleSupplier loss = () -> {
            double[][][] qq = nested(Tensor.of(qs, L, N, E).transpose(0, 1));
            double[][][] kk = nested(Tensor.of(kvs, S, N, E).transpose(0, 1));
            double[] out = flat(reference(qq, kk, kk, HEADS, p, addMask).output());
            double total = 0;
            for (int i = 0; i < out.length; i++) {
                total += w[i] * out[i];
            }
            return total;
        };
        for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) {
            assertGrad(e.getKey(), e.getValue(), p.get(e.getKey()), loss, GRAD_TOL);
        }
        assertGrad("query", q, qs, loss, GRAD_TOL);
        assertGrad("key/value", kv, kvs, loss, GRAD_TOL);
    }
}
