package dev.janus.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.GradCheck;
import dev.janus.Janus;
import dev.janus.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RNNCell, LSTMCell and GRUCell against plain-Java float64 references written from PyTorch's documented
 * formulas, plus float64 gradient checks of the cell functions and the modules' parameter gradients against
 * central differences of the reference. The reference ({@link Kind#step}) is shared with
 * {@link RecurrentLayerTest}.
 */
class RecurrentCellTest {
    static final int IN = 3;
    static final int HIDDEN = 4;
    static final int BATCH = 2;
    /** float32 module vs float64 reference, values of order 1 after a few fused steps. */
    static final double F32_TOL = 2e-5;
    /** float32 analytic gradients vs float64 central differences of the reference. */
    static final double GRAD_TOL = 2e-4;
    static final double FD_STEP = 1e-6;

    // ------------------------------------------------------------------ the reference

    /** A cell's weights as plain arrays; biases may be null. */
    record CellParams(double[][] wIh, double[][] wHh, double[] bIh, double[] bHh) {
        /** The cell named by {@code suffix} ("" for a cell module, "_l0", "_l1_reverse", ...) from flat arrays. */
        static CellParams from(Map<String, double[]> p, String suffix, int rows) {
            return new CellParams(matrix(p.get("weight_ih" + suffix), rows), matrix(p.get("weight_hh" + suffix), rows),
                    p.get("bias_ih" + suffix), p.get("bias_hh" + suffix));
        }
    }

    /** The cell kinds, each with its reference step for one batch row. */
    enum Kind {
        RNN_TANH(1), RNN_RELU(1), LSTM(4), GRU(3);

        final int gates;

        Kind(int gates) {
            this.gates = gates;
        }

        int stateCount() {
            return this == LSTM ? 2 : 1;
        }

        /** One step: {h} or {h, c} from the previous state. */
        double[][] step(CellParams p, double[] x, double[][] s) {
            double[] gi = affine(p.wIh(), x, p.bIh());
            double[] gh = affine(p.wHh(), s[0], p.bHh());
            int n = s[0].length;
            double[] h = new double[n];
            double[] c = new double[n];
            for (int j = 0; j < n; j++) {
                switch (this) {
                    case RNN_TANH -> h[j] = Math.tanh(gi[j] + gh[j]);
                    case RNN_RELU -> h[j] = Math.max(0, gi[j] + gh[j]);
                    case LSTM -> {
                        double i = sigmoid(gi[j] + gh[j]);
                        double f = sigmoid(gi[n + j] + gh[n + j]);
                        double g = Math.tanh(gi[2 * n + j] + gh[2 * n + j]);
                        double o = sigmoid(gi[3 * n + j] + gh[3 * n + j]);
                        c[j] = f * s[1][j] + i * g;
                        h[j] = o * Math.tanh(c[j]);
                    }
                    case GRU -> {
                        double r = sigmoid(gi[j] + gh[j]);
                        double z = sigmoid(gi[n + j] + gh[n + j]);
                        double nn = Math.tanh(gi[2 * n + j] + r * gh[2 * n + j]);
                        h[j] = (1 - z) * nn + z * s[0][j];
                    }
                }
            }
            return this == LSTM ? new double[][] {h, c} : new double[][] {h};
        }

        /** A fresh cell module of this kind. */
        Module cell(int in, int hidden, boolean bias) {
            return switch (this) {
                case RNN_TANH -> new RNNCell(in, hidden, bias, "tanh");
                case RNN_RELU -> new RNNCell(in, hidden, bias, "relu");
                case LSTM -> new LSTMCell(in, hidden, bias);
                case GRU -> new GRUCell(in, hidden, bias);
            };
        }

        /** Runs a cell module one step; returns {h} or {h, c}. */
        Tensor[] forward(Module cell, Tensor x, Tensor[] state) {
            return switch (this) {
                case RNN_TANH, RNN_RELU -> new Tensor[] {((RNNCell) cell).forward(x, state == null ? null : state[0])};
                case GRU -> new Tensor[] {((GRUCell) cell).forward(x, state == null ? null : state[0])};
                case LSTM -> {
                    LSTMState s = ((LSTMCell) cell).forward(x, state == null ? null : new LSTMState(state[0], state[1]));
                    yield new Tensor[] {s.h(), s.c()};
                }
            };
        }
    }

    static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** {@code w·x + b} (b may be null). */
    static double[] affine(double[][] w, double[] x, double[] b) {
        double[] y = new double[w.length];
        for (int r = 0; r < w.length; r++) {
            double acc = b == null ? 0 : b[r];
            for (int c = 0; c < x.length; c++) {
                acc += w[r][c] * x[c];
            }
            y[r] = acc;
        }
        return y;
    }

    static double[][] matrix(double[] flat, int rows) {
        int cols = flat.length / rows;
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, m[r], 0, cols);
        }
        return m;
    }

    /** The module's parameters as flat double arrays, by name (float32 values are exact in double). */
    static Map<String, double[]> flatParameters(Module m) {
        Map<String, double[]> out = new LinkedHashMap<>();
        m.namedParameters().forEach((k, v) -> out.put(k, v.toDoubleArray()));
        return out;
    }

    /** Uniform values in [-1, 1) as a float32 tensor (its doubles are what the reference sees). */
    static Tensor uniform(Generator g, long... shape) {
        return Tensor.rand(g, shape).mul(2).sub(1);
    }

    static void assertClose(double[] expected, Tensor actual, double tol, String what) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length, what + ": element count");
        for (int i = 0; i < a.length; i++) {
            double e = expected[i];
            assertTrue(Math.abs(a[i] - e) <= tol * (1 + Math.abs(e)), what + " at " + i + ": expected " + e + ", got " + a[i]);
        }
    }

    static double[] flat(double[][] rows) {
        int n = rows[0].length;
        double[] out = new double[rows.length * n];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * n, n);
        }
        return out;
    }

    /** Compares each parameter's {@code grad()} with central differences of {@code loss} over its elements. */
    static void assertParameterGrads(Module m, Map<String, double[]> p, ToDoubleFunction<Map<String, double[]>> loss) {
        for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) {
            assertGrad(e.getKey(), e.getValue(), p.get(e.getKey()), () -> loss.applyAsDouble(p), GRAD_TOL);
        }
    }

    /**
     * Compares {@code t.grad()} with central differences of {@code loss} over {@code values} (t's data, which
     * {@code loss} reads).
     */
    static void assertGrad(String what, Tensor t, double[] values, DoubleSupplier loss, double tol) {
        assertNotNull(t.grad(), what + " has no gradient");
        double[] grad = t.grad().toDoubleArray();
        for (int i = 0; i < values.length; i++) {
            double numeric = centralDifference(values, i, loss);
            assertTrue(Math.abs(grad[i] - numeric) <= tol * (1 + Math.abs(numeric)),
                    what + "[" + i + "]: autograd " + grad[i] + ", central difference " + numeric);
        }
    }

    /** {@code (f(v + h) - f(v - h)) / 2h} for element {@code i} of {@code values}, restored afterwards. */
    static double centralDifference(double[] values, int i, DoubleSupplier f) {
        double v = values[i];
        values[i] = v + FD_STEP;
        double plus = f.getAsDouble();
        values[i] = v - FD_STEP;
        double minus = f.getAsDouble();
        values[i] = v;
        return (plus - minus) / (2 * FD_STEP);
    }

    /** Reference step for a batch: state rows {h} or {h, c} per batch row → new states [state][batch][hidden]. */
    static double[][][] referenceStep(Kind kind, CellParams p, double[][] x, double[][][] state) {
        double[][][] out = new double[kind.stateCount()][x.length][];
        for (int b = 0; b < x.length; b++) {
            double[][] s = new double[kind.stateCount()][];
            for (int i = 0; i < s.length; i++) {
                s[i] = state[i][b];
            }
            double[][] next = kind.step(p, x[b], s);
            for (int i = 0; i < s.length; i++) {
                out[i][b] = next[i];
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ forward against the reference

    @ParameterizedTest
    @EnumSource(Kind.class)
    void cellStep_matchesReference(Kind kind) {
        Generator g = new Generator(11);
        Janus.manualSeed(1);
        Module cell = kind.cell(IN, HIDDEN, true);
        Tensor x = uniform(g, BATCH, IN);
        Tensor[] state = new Tensor[kind.stateCount()];
        double[][][] refState = new double[state.length][][];
        for (int i = 0; i < state.length; i++) {
            state[i] = uniform(g, BATCH, HIDDEN);
            refState[i] = matrix(state[i].toDoubleArray(), BATCH);
        }
        Tensor[] out = kind.forward(cell, x, state);
        CellParams p = CellParams.from(flatParameters(cell), "", kind.gates * HIDDEN);
        double[][][] expected = referenceStep(kind, p, matrix(x.toDoubleArray(), BATCH), refState);
        for (int i = 0; i < out.length; i++) {
            assertArrayEquals(new long[] {BATCH, HIDDEN}, out[i].shape().dims());
            assertClose(flat(expected[i]), out[i], F32_TOL, kind + " state " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void cellStep_nullStateIsZeroState(Kind kind) {
        Janus.manualSeed(2);
        Module cell = kind.cell(IN, HIDDEN, true);
        Tensor x = uniform(new Generator(12), BATCH, IN);
        Tensor[] zeros = new Tensor[kind.stateCount()];
        java.util.Arrays.fill(zeros, Tensor.zeros(BATCH, HIDDEN));
        Tensor[] a = kind.forward(cell, x, null);
        Tensor[] b = kind.forward(cell, x, zeros);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(b[i].toDoubleArray(), a[i].toDoubleArray(), 0);
        }
        assertArrayEquals(a[0].toDoubleArray(), cell.forward(x).toDoubleArray(), 0);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void cellStep_withoutBiasMatchesReference(Kind kind) {
        Generator g = new Generator(13);
        Janus.manualSeed(3);
        Module cell = kind.cell(IN, HIDDEN, false);
        assertEquals(List.of("weight_ih", "weight_hh"), List.copyOf(cell.namedParameters().keySet()));
        Tensor x = uniform(g, BATCH, IN);
        Tensor[] state = new Tensor[kind.stateCount()];
        double[][][] refState = new double[state.length][][];
        for (int i = 0; i < state.length; i++) {
            state[i] = uniform(g, BATCH, HIDDEN);
            refState[i] = matrix(state[i].toDoubleArray(), BATCH);
        }
        Tensor[] out = kind.forward(cell, x, state);
        CellParams p = CellParams.from(flatParameters(cell), "", kind.gates * HIDDEN);
        double[][][] expected = referenceStep(kind, p, matrix(x.toDoubleArray(), BATCH), refState);
        for (int i = 0; i < out.length; i++) {
            assertClose(flat(expected[i]), out[i], F32_TOL, kind + " state " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void cellStep_unbatchedInputMatchesBatchedRow(Kind kind) {
        Generator g = new Generator(14);
        Janus.manualSeed(4);
        Module cell = kind.cell(IN, HIDDEN, true);
        Tensor x = uniform(g, BATCH, IN);
        Tensor[] state = new Tensor[kind.stateCount()];
        Tensor[] row = new Tensor[state.length];
        for (int i = 0; i < state.length; i++) {
            state[i] = uniform(g, BATCH, HIDDEN);
            row[i] = state[i].select(0, 1);
        }
        Tensor[] batched = kind.forward(cell, x, state);
        Tensor[] single = kind.forward(cell, x.select(0, 1), row);
        for (int i = 0; i < batched.length; i++) {
            assertArrayEquals(new long[] {HIDDEN}, single[i].shape().dims());
            assertArrayEquals(batched[i].select(0, 1).toDoubleArray(), single[i].toDoubleArray(), 1e-6);
        }
    }

    @Test
    void lstmCell_handComputedStep() {
        // One input, one hidden unit, all weights 0 except: i, f, g, o pre-activations 0, 0, 1, 0 from the bias.
        LSTMCell cell = new LSTMCell(1, 1);
        Init.zeros(cell.weightIh);
        Init.zeros(cell.weightHh);
        Init.zeros(cell.biasHh);
        cell.biasIh.assign(Tensor.of(new float[] {0, 0, 1, 0}, 4));
        LSTMState s = cell.forward(Tensor.of(new float[] {5}, 1, 1), new LSTMState(Tensor.zeros(1, 1), Tensor.full(2, 1, 1)));
        double c = 0.5 * 2 + 0.5 * Math.tanh(1);          // σ(0)·c + σ(0)·tanh(1)
        assertEquals(c, s.c().item(), 1e-6);
        assertEquals(0.5 * Math.tanh(c), s.h().item(), 1e-6);
    }

    @Test
    void gruCell_handComputedStep() {
        // Zero weights: r = z = σ(b), n = tanh(b_in + r·b_hn).
        GRUCell cell = new GRUCell(1, 1);
        Init.zeros(cell.weightIh);
        Init.zeros(cell.weightHh);
        cell.biasIh.assign(Tensor.of(new float[] {0, 0, 0.5f}, 3));
        cell.biasHh.assign(Tensor.of(new float[] {0, 0, 1}, 3));
        Tensor h = cell.forward(Tensor.of(new float[] {3}, 1, 1), Tensor.full(0.8, 1, 1));
        double n = Math.tanh(0.5 + 0.5 * 1);
        assertEquals(0.5 * n + 0.5 * 0.8, h.item(), 1e-6);
    }

    // ------------------------------------------------------------------ parameters

    @ParameterizedTest
    @EnumSource(Kind.class)
    void cellParameters_pytorchNamesShapesAndInitRange(Kind kind) {
        Module cell = kind.cell(5, 7, true);
        Map<String, Tensor> p = cell.namedParameters();
        assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"), List.copyOf(p.keySet()));
        long rows = (long) kind.gates * 7;
        assertArrayEquals(new long[] {rows, 5}, p.get("weight_ih").shape().dims());
        assertArrayEquals(new long[] {rows, 7}, p.get("weight_hh").shape().dims());
        assertArrayEquals(new long[] {rows}, p.get("bias_ih").shape().dims());
        assertArrayEquals(new long[] {rows}, p.get("bias_hh").shape().dims());
        double bound = 1 / Math.sqrt(7);
        for (Tensor t : p.values()) {
            assertTrue(t.requiresGrad());
            for (double v : t.toDoubleArray()) {
                assertTrue(Math.abs(v) <= bound, "value " + v + " outside ±" + bound);
            }
            assertTrue(t.abs().max().item() > bound / 2, "initialization looks degenerate");
        }
    }

    @Test
    void cells_rejectBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new RNNCell(3, 4, true, "sigmoid"));
        assertThrows(IllegalArgumentException.class, () -> new LSTMCell(0, 4));
        GRUCell gru = new GRUCell(3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gru.forward(Tensor.zeros(2, 5)));
        assertTrue(e.getMessage().contains("[batch, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gru.forward(Tensor.zeros(2, 3), Tensor.zeros(3, 4)));
    }

    // ------------------------------------------------------------------ gradients

    private static Tensor f64(Generator g, long... shape) {
        return Tensor.randn(g, DType.FLOAT64, shape).mul(0.5);
    }

    @Test
    void rnnCellStep_gradCheckFloat64() {
        Generator g = new Generator(21);
        Tensor[] in = {f64(g, BATCH, IN), f64(g, BATCH, HIDDEN), f64(g, HIDDEN, IN), f64(g, HIDDEN, HIDDEN), f64(g, HIDDEN),
            f64(g, HIDDEN)};
        for (String act : new String[] {"tanh", "relu"}) {
            GradCheck.check(t -> RNNCell.step(t[0], t[1], t[2], t[3], t[4], t[5], act), in);
        }
    }

    @Test
    void lstmCellStep_gradCheckFloat64() {
        Generator g = new Generator(22);
        Tensor[] in = {f64(g, BATCH, IN), f64(g, BATCH, HIDDEN), f64(g, BATCH, HIDDEN), f64(g, 4 * HIDDEN, IN),
            f64(g, 4 * HIDDEN, HIDDEN), f64(g, 4 * HIDDEN), f64(g, 4 * HIDDEN)};
        GradCheck.check(t -> {
            LSTMState s = LSTMCell.step(t[0], new LSTMState(t[1], t[2]), t[3], t[4], t[5], t[6]);
            return Tensor.cat(-1, s.h(), s.c());
        }, in);
    }

    @Test
    void gruCellStep_gradCheckFloat64() {
        Generator g = new Generator(23);
        Tensor[] in = {f64(g, BATCH, IN), f64(g, BATCH, HIDDEN), f64(g, 3 * HIDDEN, IN), f64(g, 3 * HIDDEN, HIDDEN),
            f64(g, 3 * HIDDEN), f64(g, 3 * HIDDEN)};
        GradCheck.check(t -> GRUCell.step(t[0], t[1], t[2], t[3], t[4], t[5]), in);
    }

    /** The module's own backward: parameter and input gradients against the reference's central differences. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void cellBackward_gradsMatchReferenceCentralDifferences(Kind kind) {
        Generator g = new Generator(24);
        Janus.manualSeed(5);
        Module cell = kind.cell(IN, HIDDEN, true);
        Tensor x = uniform(g, BATCH, IN).requiresGrad(true);
        Tensor[] state = new Tensor[kind.stateCount()];
        Tensor[] weights = new Tensor[state.length];
        for (int i = 0; i < state.length; i++) {
            state[i] = uniform(g, BATCH, HIDDEN).requiresGrad(true);
            weights[i] = uniform(g, BATCH, HIDDEN);
        }
        Tensor[] out = kind.forward(cell, x, state);
        Tensor loss = out[0].mul(weights[0]).sum();
        for (int i = 1; i < out.length; i++) {
            loss = loss.add(out[i].mul(weights[i]).sum());
        }
        loss.backward();

        Map<String, double[]> p = flatParameters(cell);
        double[] xs = x.toDoubleArray();
        double[][] ss = new double[state.length][];
        for (int i = 0; i < ss.length; i++) {
            ss[i] = state[i].toDoubleArray();
        }
        ToDoubleFunction<Map<String, double[]>> refLoss = q -> {
            double[][][] st = new double[ss.length][][];
            for (int i = 0; i < st.length; i++) {
                st[i] = matrix(ss[i], BATCH);
            }
            double[][][] next = referenceStep(kind, CellParams.from(q, "", kind.gates * HIDDEN), matrix(xs, BATCH), st);
            double total = 0;
            for (int i = 0; i < next.length; i++) {
                double[] w = weights[i].toDoubleArray();
                double[] v = flat(next[i]);
                for (int j = 0; j < v.length; j++) {
                    total += w[j] * v[j];
                }
            }
            return total;
        };
        assertParameterGrads(cell, p, refLoss);
        assertGrad("x", x, xs, () -> refLoss.applyAsDouble(p), GRAD_TOL);
        for (int i = 0; i < state.length; i++) {
            assertGrad("state " + i, state[i], ss[i], () -> refLoss.applyAsDouble(p), GRAD_TOL);
        }
    }
}
