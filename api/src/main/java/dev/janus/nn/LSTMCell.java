package dev.janus.nn;

import dev.janus.Tensor;
import java.util.List;

/**
 * A long short-term memory cell with PyTorch's gate order (input, forget, cell, output) and parameters
 * ({@code weight_ih [4·hidden, input]}, {@code weight_hh [4·hidden, hidden]}, {@code bias_ih}, {@code bias_hh
 * [4·hidden]}, all from U(-1/√hidden, 1/√hidden)):
 *
 * <pre>
 * i, f, g, o = split(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)
 * c' = σ(f)·c + σ(i)·tanh(g)
 * h' = σ(o)·tanh(c')
 * </pre>
 *
 * <pre>{@code
 * LSTMCell cell = new LSTMCell(10, 20);
 * LSTMState s = null;                                  // zeros
 * for (Tensor x : steps) { s = cell.forward(x, s); }   // s.h(), s.c(): [batch, 20]
 * }</pre>
 */
public class LSTMCell extends Module {
    public final Tensor weightIh;
    public final Tensor weightHh;
    public final Tensor biasIh;
    public final Tensor biasHh;
    private final int inputSize;
    private final int hiddenSize;

    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    public LSTMCell(int inputSize, int hiddenSize, boolean bias) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException("LSTMCell needs positive sizes, got inputSize=" + inputSize + ", hiddenSize="
                    + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        weightIh = registerParameter("weight_ih", Tensor.zeros(4L * hiddenSize, inputSize));
        weightHh = registerParameter("weight_hh", Tensor.zeros(4L * hiddenSize, hiddenSize));
        biasIh = bias ? registerParameter("bias_ih", Tensor.zeros(4L * hiddenSize)) : null;
        biasHh = bias ? registerParameter("bias_hh", Tensor.zeros(4L * hiddenSize)) : null;
        RNNBase.initUniform(this, hiddenSize);
    }

    /** One step from a zero state; returns the new hidden state. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null).h();
    }

    /**
     * One step: x {@code [batch, input]} (or {@code [input]}); {@code state} (or either of its parts) null means
     * zeros.
     */
    public LSTMState forward(Tensor x, LSTMState state) {
        Tensor h = RNNBase.cellState("LSTMCell", x, state == null ? null : state.h(), inputSize, hiddenSize, weightIh);
        Tensor c = RNNBase.cellState("LSTMCell", x, state == null ? null : state.c(), inputSize, hiddenSize, weightIh);
        return step(x, new LSTMState(h, c), weightIh, weightHh, biasIh, biasHh);
    }

    /**
     * The cell as a function of explicit tensors (biases may be null), e.g. for gradient checks in float64.
     *
     * <pre>{@code LSTMState s1 = LSTMCell.step(x, new LSTMState(h0, c0), wIh, wHh, bIh, bHh);}</pre>
     */
    public static LSTMState step(Tensor x, LSTMState state, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        return recur(F.linear(x, wIh, bIh), state, wHh, bHh);
    }

    /** The step given the input projection {@code x·W_ihᵀ + b_ih} (computed for all steps at once by LSTM). */
    static LSTMState recur(Tensor xProj, LSTMState state, Tensor wHh, Tensor bHh) {
        List<Tensor> gates = xProj.add(F.linear(state.h(), wHh, bHh)).chunk(4, -1);
        Tensor c = gates.get(1).sigmoid().mul(state.c()).add(gates.get(0).sigmoid().mul(gates.get(2).tanh()));
        Tensor h = gates.get(3).sigmoid().mul(c.tanh());
        return new LSTMState(h, c);
    }

    @Override
    protected String describe() {
        return "LSTMCell(" + inputSize + " → " + hiddenSize + (biasIh == null ? ", no bias" : "") + ")";
    }
}
