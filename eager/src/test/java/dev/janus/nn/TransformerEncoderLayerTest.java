package dev.janus.nn;

import static dev.janus.nn.RecurrentCellTest.assertClose;
import static dev.janus.nn.RecurrentCellTest.assertGrad;
import static dev.janus.nn.RecurrentCellTest.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * TransformerEncoderLayer in evaluation mode against a reference composed in plain Java float64 from the
 * layer's own parameters (attention from {@link AttentionTest#reference}, layer norm, linear layers, ReLU or
 * exact GELU), for both norm orders; PyTorch's state-dict names; dropout in training; and gradients against
 * central differences of the reference.
 */
class TransformerEncoderLayerTest {
    private static final int N = 2;
    private static final int S = 3;
    private static final int D = 4;
    private static final int HEADS = 2;
    private static final int FF = 6;
    private static final double EPS = 1e-5;
    /** Layer norm divides by a standard deviation of order 0.5: allow a few more float32 ulps. */
    private static final double TOL = 5e-5;
    private static final double GRAD_TOL = 2e-4;

    // ------------------------------------------------------------------ the reference

    /** The layer on batch-first {@code x [N][S][D]}; {@code mask} is AttentionTest's additive [N][H][S][S] or null. */
    static double[][][] reference(Map<String, double[]> p, double[][][] x, boolean normFirst, String activation,
            double[][][][] mask) {
        Map<String, double[]> attn = new LinkedHashMap<>();
        p.forEach((k, v) -> {
            if (k.startsWith("self_attn.")) {
                attn.put(k.substring("self_attn.".length()), v);
            }
        });
        double[][][] out = new double[x.length][][];
        for (int b = 0; b < x.length; b++) {
            double[][] h = x[b];
            if (normFirst) {
                h = add(h, attention(attn, norm(p, "norm1", h), mask, b));
                h = add(h, feedForward(p, norm(p, "norm2", h), activation));
            } else {
                h = norm(p, "norm1", add(h, attention(attn, h, mask, b)));
                h = norm(p, "norm2", add(h, feedForward(p, h, activation)));
            }
            out[b] = h;
        }
        return out;
    }

    private static double[][] attention(Map<String, double[]> attn, double[][] x, double[][][][] mask, int b) {
        double[][][] one = {x};
        return AttentionTest.reference(one, one, one, HEADS, attn, mask == null ? null : new double[][][][] {mask[b]})
                .output()[0];
    }

    private static double[][] feedForward(Map<String, double[]> p, double[][] x, String activation) {
        double[][] hidden = AttentionTest.project(x, p.get("linear1.weight"), p.get("linear1.bias"), 0, FF);
        for (double[] row : hidden) {
            for (int j = 0; j < row.length; j++) {
                row[j] = "gelu".equals(activation) ? row[j] / 2 * (1 + erf(row[j] / Math.sqrt(2))) : Math.max(0, row[j]);
            }
        }
        return AttentionTest.project(hidden, p.get("linear2.weight"), p.get("linear2.bias"), 0, D);
    }

    private static double[][] norm(Map<String, double[]> p, String name, double[][] x) {
        double[] w = p.get(name + ".weight");
        double[] bias = p.get(name + ".bias");
        double[][] y = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double mean = Arrays.stream(x[t]).average().orElseThrow();
            double var = Arrays.stream(x[t]).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
            y[t] = new double[x[t].length];
            for (int j = 0; j < y[t].length; j++) {
                y[t][j] = (x[t][j] - mean) / Math.sqrt(var + EPS) * w[j] + bias[j];
            }
        }
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] y = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                y[i][j] = a[i][j] + b[i][j];
            }
        }
        return y;
    }

    /**
     * erf by its Maclaurin series (error below 1e-11 for |x| ≤ 4; erfc(4) ≈ 1.5e-8 beyond, negligible next to
     * the float32 tolerance).
     */
    static double erf(double x) {
        if (Math.abs(x) > 4) {
            return Math.signum(x);
        }
        double term = x;
        double sum = x;
        for (int n = 1; n < 200 && Math.abs(term) > 1e-17; n++) {
            term *= -x * x / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    // ------------------------------------------------------------------ fixtures

    /** A layer in eval mode whose biases and norm parameters are random too (PyTorch's init makes them 0/1). */
    private static TransformerEncoderLayer layer(long seed, String activation, boolean batchFirst, boolean normFirst) {
        Janus.manualSeed(seed);
        TransformerEncoderLayer layer = new TransformerEncoderLayer(D, HEADS, FF, 0.1, activation, EPS, batchFirst,
                normFirst);
        Generator g = new Generator(seed);
        for (Map.Entry<String, Tensor> e : layer.namedParameters().entrySet()) {
            if (e.getKey().endsWith("bias") || e.getKey().startsWith("norm")) {
                e.getValue().assign(uniform(g, e.getValue().shape().dims()).add(e.getKey().endsWith("weight") ? 1.0 : 0.0));
            }
        }
        layer.eval();
        return layer;
    }

    private static double[][][] nested(Tensor t) {
        return RecurrentLayerTest.nested(t);
    }

    private static double[] flat(double[][][] a) {
        return RecurrentLayerTest.flat(a);
    }

    // ------------------------------------------------------------------ forward against the reference

    @Test
    void forward_postNormEvalMatchesReference() {
        TransformerEncoderLayer layer = layer(71, "relu", false, false);
        Tensor x = uniform(new Generator(1), S, N, D).mul(2);
        Tensor y = layer.forward(x);
        assertArrayEquals(new long[] {S, N, D}, y.shape().dims());
        double[][][] ref = reference(RecurrentCellTest.flatParameters(layer), nested(x.transpose(0, 1)), false, "relu", null);
        assertClose(flat(ref), y.transpose(0, 1), TOL, "post-norm output");
    }

    @Test
    void forward_preNormEvalMatchesReference() {
        TransformerEncoderLayer layer = layer(72, "gelu", true, true);
        Tensor x = uniform(new Generator(2), N, S, D).mul(2);
        Tensor y = layer.forward(x);
        assertArrayEquals(new long[] {N, S, D}, y.shape().dims());
        double[][][] ref = reference(RecurrentCellTest.flatParameters(layer), nested(x), true, "gelu", null);
        assertClose(flat(ref), y, TOL, "pre-norm output");
    }

    @Test
    void forward_bothNormOrdersAndActivationsDiffer() {
        Tensor x = uniform(new Generator(3), N, S, D);
        Tensor post = layer(73, "relu", true, false).forward(x);
        Tensor pre = layer(73, "relu", true, true).forward(x);
        Tensor gelu = layer(73, "gelu", true, false).forward(x);
        assertFalse(Arrays.equals(post.toDoubleArray(), pre.toDoubleArray()));
        assertFalse(Arrays.equals(post.toDoubleArray(), gelu.toDoubleArray()));
    }

    @Test
    void forward_withMasksMatchesReference() {
        for (boolean normFirst : new boolean[] {false, true}) {
            TransformerEncoderLayer layer = layer(74, "gelu", true, normFirst);
            Tensor x = uniform(new Generator(4), N, S, D).mul(2);
            boolean[][] pad = {{false, false, true}, {false, false, false}};
            Tensor padding = Tensor.of(new boolean[] {false, false, true, false, false, false}, N, S);
            Tensor causal = Tensor.of(new boolean[] {false, true, true, false, false, true, false, false, false}, S, S);
            double[][][][] mask = AttentionTest.paddingMask(pad, HEADS, S);
            for (double[][][] perBatch : mask) {
                for (double[][] head : perBatch) {
                    for (int i = 0; i < S; i++) {
                        for (int j = i + 1; j < S; j++) {
                            head[i][j] = Double.NEGATIVE_INFINITY;
                        }
                    }
                }
            }
            double[][][] ref = reference(RecurrentCellTest.flatParameters(layer), nested(x), normFirst, "gelu", mask);
            assertClose(flat(ref), layer.forward(x, causal, padding), TOL, "masked output, normFirst=" + normFirst);
        }
    }

    // ------------------------------------------------------------------ parameters and modes

    @Test
    void parameters_pytorchStateDictNamesAndShapes() {
        TransformerEncoderLayer layer = new TransformerEncoderLayer(8, 2, 16, 0.1, "relu", 1e-5, false, false);
        Map<String, Tensor> p = layer.stateDict();
        assertEquals(List.of("self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
                "self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
                "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"), List.copyOf(p.keySet()));
        assertArrayEquals(new long[] {24, 8}, p.get("self_attn.in_proj_weight").shape().dims());
        assertArrayEquals(new long[] {16, 8}, p.get("linear1.weight").shape().dims());
        assertArrayEquals(new long[] {8, 16}, p.get("linear2.weight").shape().dims());
        assertArrayEquals(new long[] {8}, p.get("norm2.bias").shape().dims());
        assertEquals(List.of("self_attn", "linear1", "dropout", "linear2", "norm1", "norm2", "dropout1", "dropout2"),
                List.copyOf(layer.children().keySet()));
        assertThrows(IllegalArgumentException.class,
                () -> new TransformerEncoderLayer(8, 2, 16, 0.1, "tanh", 1e-5, false, false));
    }

    @Test
    void dropout_activeInTrainingOnly() {
        TransformerEncoderLayer layer = layer(75, "relu", true, false);
        Tensor x = uniform(new Generator(5), N, S, D);
        Tensor eval1 = layer.forward(x);
        assertArrayEquals(eval1.toDoubleArray(), layer.forward(x).toDoubleArray(), 0.0);
        layer.train();
        assertTrue(layer.selfAttn.isTraining() && layer.dropout.isTraining());
        assertFalse(Arrays.equals(eval1.toDoubleArray(), layer.forward(x).toDoubleArray()));
    }

    // ------------------------------------------------------------------ gradients

    @Test
    void backward_gradsMatchReferenceCentralDifferences() {
        for (boolean normFirst : new boolean[] {false, true}) {
            TransformerEncoderLayer layer = layer(76, "gelu", true, normFirst);
            Generator g = new Generator(6);
            Tensor x = uniform(g, N, S, D).requiresGrad(true);
            Tensor w = uniform(g, N, S, D);
            layer.forward(x).mul(w).sum().backward();
            Map<String, double[]> p = RecurrentCellTest.flatParameters(layer);
            double[] xs = x.toDoubleArray();
            double[] ws = w.toDoubleArray();
            DoubleSupplier loss = () -> {
                double[] y = flat(reference(p, nested(Tensor.of(xs, N, S, D)), normFirst, "gelu", null));
                double total = 0;
                for (int i = 0; i < y.length; i++) {
                    total += ws[i] * y[i];
                }
                return total;
            };
            for (Map.Entry<String, Tensor> e : layer.namedParameters().entrySet()) {
                assertGrad(e.getKey() + " (normFirst=" + normFirst + ")", e.getValue(), p.get(e.getKey()), loss, GRAD_TOL);
            }
            assertGrad("x (normFirst=" + normFirst + ")", x, xs, loss, GRAD_TOL);
        }
    }
}
