package dev.janus.nn;

import static dev.janus.nn.RecurrentCellTest.F32_TOL;
import static dev.janus.nn.RecurrentCellTest.assertClose;
import static dev.janus.nn.RecurrentCellTest.GRAD_TOL;
import static dev.janus.nn.RecurrentCellTest.assertGrad;
import static dev.janus.nn.RecurrentCellTest.assertParameterGrads;
import static dev.janus.nn.RecurrentCellTest.flatParameters;
import static dev.janus.nn.RecurrentCellTest.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.nn.RecurrentCellTest.CellParams;
import dev.janus.nn.RecurrentCellTest.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RNN, LSTM and GRU (multi-layer, bidirectional, batch-first, unbatched, initial states, inter-layer dropout)
 * against a plain-Java float64 reference that loops over layers, directions, batch rows and time steps with
 * {@link Kind#step}; and their gradients against central differences of that reference.
 */
class RecurrentLayerTest {
    private static final int T = 3;
    private static final int B = 2;
    private static final int IN = 3;
    private static final int H = 4;

    /** Reference result: output [T][B][D·H] and final states [state][L·D][B][H]. */
    record Ref(double[][][] output, double[][][][] finals) {}

    /** The reference run; {@code init[state][L·D][B][H]}, or null for zeros. */
    static Ref reference(Kind kind, Map<String, double[]> p, int layers, boolean bidirectional, double[][][] x,
            double[][][][] init) {
        int dirs = bidirectional ? 2 : 1;
        int steps = x.length;
        int batch = x[0].length;
        double[][][][] finals = new double[kind.stateCount()][layers * dirs][batch][];
        double[][][] seq = x;
        for (int layer = 0; layer < layers; layer++) {
            double[][][] next = new double[steps][batch][dirs * H];
            for (int d = 0; d < dirs; d++) {
                int idx = layer * dirs + d;
                CellParams cp = CellParams.from(p, "_l" + layer + (d == 1 ? "_reverse" : ""), kind.gates * H);
                for (int b = 0; b < batch; b++) {
                    double[][] s = new double[kind.stateCount()][];
                    for (int i = 0; i < s.length; i++) {
                        s[i] = init == null ? new double[H] : init[i][idx][b];
                    }
                    for (int k = 0; k < steps; k++) {
                        int t = d == 0 ? k : steps - 1 - k;
                        s = kind.step(cp, seq[t][b], s);
                        System.arraycopy(s[0], 0, next[t][b], d * H, H);
                    }
                    for (int i = 0; i < s.length; i++) {
                        finals[i][idx][b] = s[i];
                    }
                }
            }
            seq = next;
        }
        return new Ref(seq, finals);
    }

    static RNNBase layer(Kind kind, int layers, boolean batchFirst, double dropout, boolean bidirectional) {
        return switch (kind) {
            case RNN_TANH -> new RNN(IN, H, layers, "tanh", true, batchFirst, dropout, bidirectional);
            case RNN_RELU -> new RNN(IN, H, layers, "relu", true, batchFirst, dropout, bidirectional);
            case LSTM -> new LSTM(IN, H, layers, true, batchFirst, dropout, bidirectional);
            case GRU -> new GRU(IN, H, layers, true, batchFirst, dropout, bidirectional);
        };
    }

    /** Calls the module's two-argument forward; {@code init} null or {h0} / {h0, c0}. */
    static RecurrentOutput run(RNNBase m, Tensor x, Tensor[] init) {
        if (m instanceof LSTM lstm) {
            return lstm.forward(x, init == null ? null : new LSTMState(init[0], init[1]));
        }
        Tensor h0 = init == null ? null : init[0];
        return m instanceof RNN rnn ? rnn.forward(x, h0) : ((GRU) m).forward(x, h0);
    }

    /** Flat row-major data of a tensor as nested [d0][d1][d2]. */
    static double[][][] nested(Tensor t) {
        double[] v = t.toDoubleArray();
        int a = (int) t.dim(0);
        int b = (int) t.dim(1);
        int c = (int) t.dim(2);
        double[][][] out = new double[a][b][c];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                System.arraycopy(v, (i * b + j) * c, out[i][j], 0, c);
            }
        }
        return out;
    }

    static double[] flat(double[][][] a) {
        return Arrays.stream(a).flatMap(Arrays::stream).flatMapToDouble(Arrays::stream).toArray();
    }

    private static void assertMatches(Ref ref, RecurrentOutput out, Kind kind) {
        assertClose(flat(ref.output()), out.output(), F32_TOL, kind + " output");
        assertClose(flat(ref.finals()[0]), out.hN(), F32_TOL, kind + " h_n");
        if (kind == Kind.LSTM) {
            assertClose(flat(ref.finals()[1]), out.cN(), F32_TOL, kind + " c_n");
        } else {
            assertNull(out.cN());
        }
    }

    // ------------------------------------------------------------------ forward against the reference

    @ParameterizedTest
    @EnumSource(Kind.class)
    void multiLayer_matchesReference(Kind kind) {
        Janus.manualSeed(31);
        RNNBase m = layer(kind, 2, false, 0, false);
        Tensor x = uniform(new Generator(1), T, B, IN);
        RecurrentOutput out = run(m, x, null);
        assertArrayEquals(new long[] {T, B, H}, out.output().shape().dims());
        assertArrayEquals(new long[] {2, B, H}, out.hN().shape().dims());
        assertMatches(reference(kind, flatParameters(m), 2, false, nested(x), null), out, kind);
        assertArrayEquals(out.output().toDoubleArray(), m.forward(x).toDoubleArray(), 0);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void initialState_matchesReference(Kind kind) {
        Janus.manualSeed(32);
        Generator g = new Generator(2);
        RNNBase m = layer(kind, 2, false, 0, false);
        Tensor x = uniform(g, T, B, IN);
        Tensor[] init = new Tensor[kind.stateCount()];
        double[][][][] refInit = new double[init.length][][][];
        for (int i = 0; i < init.length; i++) {
            init[i] = uniform(g, 2, B, H);
            refInit[i] = nested(init[i]);
        }
        assertMatches(reference(kind, flatParameters(m), 2, false, nested(x), refInit), run(m, x, init), kind);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void batchFirst_matchesReferenceOnTransposedInput(Kind kind) {
        Janus.manualSeed(33);
        RNNBase m = layer(kind, 2, true, 0, false);
        Tensor x = uniform(new Generator(3), B, T, IN);
        RecurrentOutput out = run(m, x, null);
        assertArrayEquals(new long[] {B, T, H}, out.output().shape().dims());
        assertArrayEquals(new long[] {2, B, H}, out.hN().shape().dims());
        Ref ref = reference(kind, flatParameters(m), 2, false, nested(x.transpose(0, 1)), null);
        assertClose(flat(ref.output()), out.output().transpose(0, 1), F32_TOL, "batch-first output");
        assertClose(flat(ref.finals()[0]), out.hN(), F32_TOL, "h_n");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void bidirectional_matchesReference(Kind kind) {
        Janus.manualSeed(34);
        Generator g = new Generator(4);
        RNNBase m = layer(kind, 2, false, 0, true);
        Tensor x = uniform(g, T, B, IN);
        Tensor[] init = new Tensor[kind.stateCount()];
        double[][][][] refInit = new double[init.length][][][];
        for (int i = 0; i < init.length; i++) {
            init[i] = uniform(g, 4, B, H);
            refInit[i] = nested(init[i]);
        }
        RecurrentOutput out = run(m, x, init);
        assertArrayEquals(new long[] {T, B, 2 * H}, out.output().shape().dims());
        assertArrayEquals(new long[] {4, B, H}, out.hN().shape().dims());
        assertMatches(reference(kind, flatParameters(m), 2, true, nested(x), refInit), out, kind);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void unbatchedInput_matchesBatchedColumn(Kind kind) {
        Janus.manualSeed(35);
        RNNBase m = layer(kind, 2, false, 0, true);
        Tensor x = uniform(new Generator(5), T, B, IN);
        RecurrentOutput batched = run(m, x, null);
        RecurrentOutput single = run(m, x.select(1, 1), null);
        assertArrayEquals(new long[] {T, 2 * H}, single.output().shape().dims());
        assertArrayEquals(new long[] {4, H}, single.hN().shape().dims());
        assertArrayEquals(batched.output().select(1, 1).toDoubleArray(), single.output().toDoubleArray(), 1e-6);
        assertArrayEquals(batched.hN().select(1, 1).toDoubleArray(), single.hN().toDoubleArray(), 1e-6);
    }

    @Test
    void lstm_continuingFromFinalStateEqualsOneLongRun() {
        Janus.manualSeed(36);
        LSTM lstm = new LSTM(IN, H, 2);
        Tensor x = uniform(new Generator(6), 2 * T, B, IN);
        RecurrentOutput whole = lstm.forward(x, null);
        RecurrentOutput first = lstm.forward(x.narrow(0, 0, T), null);
        RecurrentOutput second = lstm.forward(x.narrow(0, T, T), first.state());
        assertArrayEquals(whole.output().narrow(0, T, T).toDoubleArray(), second.output().toDoubleArray(), 1e-6);
        assertArrayEquals(whole.hN().toDoubleArray(), second.hN().toDoubleArray(), 1e-6);
        assertArrayEquals(whole.cN().toDoubleArray(), second.cN().toDoubleArray(), 1e-6);
    }

    // ------------------------------------------------------------------ dropout between layers

    @Test
    void dropout_appliesBetweenLayersInTrainingOnly() {
        Janus.manualSeed(37);
        GRU gru = new GRU(IN, H, 2, true, false, 1.0, false);
        Tensor x = uniform(new Generator(7), T, B, IN);
        Map<String, double[]> p = flatParameters(gru);
        // p = 1 zeroes the first layer's outputs, so in training the second layer runs on zeros.
        Ref zeroed = reference(Kind.GRU, Map.of("weight_ih_l0", p.get("weight_ih_l1"), "weight_hh_l0", p.get("weight_hh_l1"),
                "bias_ih_l0", p.get("bias_ih_l1"), "bias_hh_l0", p.get("bias_hh_l1")), 1, false, new double[T][B][H], null);
        assertClose(flat(zeroed.output()), gru.forward(x), F32_TOL, "training output");
        gru.eval();
        assertClose(flat(reference(Kind.GRU, p, 2, false, nested(x), null).output()), gru.forward(x), F32_TOL, "eval output");
    }

    @Test
    void dropout_neverAppliesAfterTheLastLayer() {
        Janus.manualSeed(38);
        RNN rnn = new RNN(IN, H, 1, "tanh", true, false, 0.9, false);
        Tensor x = uniform(new Generator(8), T, B, IN);
        assertClose(flat(reference(Kind.RNN_TANH, flatParameters(rnn), 1, false, nested(x), null).output()), rnn.forward(x),
                F32_TOL, "single-layer training output");
    }

    // ------------------------------------------------------------------ parameters and errors

    @Test
    void parameters_pytorchNamesOrderAndShapes() {
        LSTM lstm = new LSTM(5, 6, 2, true, false, 0, true);
        List<String> expected = new ArrayList<>();
        for (String layer : new String[] {"_l0", "_l0_reverse", "_l1", "_l1_reverse"}) {
            for (String kind : new String[] {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}) {
                expected.add(kind + layer);
            }
        }
        Map<String, Tensor> p = lstm.namedParameters();
        assertEquals(expected, List.copyOf(p.keySet()));
        assertArrayEquals(new long[] {24, 5}, p.get("weight_ih_l0").shape().dims());
        assertArrayEquals(new long[] {24, 12}, p.get("weight_ih_l1_reverse").shape().dims());
        assertArrayEquals(new long[] {24, 6}, p.get("weight_hh_l1").shape().dims());
        assertArrayEquals(new long[] {24}, p.get("bias_hh_l0_reverse").shape().dims());
        double bound = 1 / Math.sqrt(6);
        p.values().forEach(t -> assertFalse(Arrays.stream(t.toDoubleArray()).anyMatch(v -> Math.abs(v) > bound)));
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0"), List.copyOf(new GRU(3, 3, 1, false, false, 0, false)
                .namedParameters().keySet()));
    }

    @Test
    void forward_rejectsBadShapes() {
        LSTM lstm = new LSTM(IN, H, 2);
        assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(T, B, IN + 1)));
        assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(B, IN)
                .reshape(1, 1, 1, B, IN)));
        assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(T, B, IN),
                new LSTMState(Tensor.zeros(1, B, H), null)));
        assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(0, B, IN)));
        assertThrows(IllegalArgumentException.class, () -> new GRU(IN, H, 2, true, false, 1.5, false));
    }

    // ------------------------------------------------------------------ gradients

    @ParameterizedTest
    @EnumSource(Kind.class)
    void backward_gradsMatchReferenceCentralDifferences(Kind kind) {
        Janus.manualSeed(39);
        Generator g = new Generator(9);
        RNNBase m = layer(kind, 2, false, 0, true);
        Tensor x = uniform(g, T, B, IN).requiresGrad(true);
        Tensor h0 = uniform(g, 4, B, H).requiresGrad(true);
        Tensor[] init = kind == Kind.LSTM ? new Tensor[] {h0, uniform(g, 4, B, H)} : new Tensor[] {h0};
        Tensor wOut = uniform(g, T, B, 2 * H);
        Tensor wH = uniform(g, 4, B, H);
        RecurrentOutput out = run(m, x, init);
        out.output().mul(wOut).sum().add(out.hN().mul(wH).sum()).backward();

        Map<String, double[]> p = flatParameters(m);
        double[] xs = x.toDoubleArray();
        double[] hs = h0.toDoubleArray();
        double[][][][] refInit = new double[init.length][][][];
        double[] wo = wOut.toDoubleArray();
        double[] wh = wH.toDoubleArray();
        ToDoubleFunction<Map<String, double[]>> loss = q -> {
            refInit[0] = nested(Tensor.of(hs, 4, B, H));
            if (init.length > 1) {
                refInit[1] = nested(init[1]);
            }
            Ref r = reference(kind, q, 2, true, nested(Tensor.of(xs, T, B, IN)), refInit);
            return dot(wo, flat(r.output())) + dot(wh, flat(r.finals()[0]));
        };
        assertParameterGrads(m, p, loss);
        assertGrad("x", x, xs, () -> loss.applyAsDouble(p), GRAD_TOL);
        assertGrad("h0", h0, hs, () -> loss.applyAsDouble(p), GRAD_TOL);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
