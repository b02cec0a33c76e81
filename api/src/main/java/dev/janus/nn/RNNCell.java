package dev.janus.nn;

import dev.janus.Tensor;

/**
 * An Elman RNN cell, {@code h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)} with {@code act} tanh or relu, with
 * PyTorch's parameters ({@code weight_ih [hidden, input]}, {@code weight_hh [hidden, hidden]},
 * {@code bias_ih}, {@code bias_hh [hidden]}) and initialization U(-1/√hidden, 1/√hidden).
 *
 * <pre>{@code
 * RNNCell cell = new RNNCell(10, 20);
 * Tensor h = null;                                   // zeros
 * for (Tensor x : steps) { h = cell.forward(x, h); } // x: [batch, 10], h: [batch, 20]
 * }</pre>
 */
public class RNNCell extends Module {
    public final Tensor weightIh;
    public final Tensor weightHh;
    public final Tensor biasIh;
    public final Tensor biasHh;
    private final int inputSize;
    private final int hiddenSize;
    private final String nonlinearity;

    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, "tanh");
    }

    /** {@code nonlinearity} is {@code "tanh"} or {@code "relu"}. */
    public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException("RNNCell needs positive sizes, got inputSize=" + inputSize + ", hiddenSize="
                    + hiddenSize);
        }
        checkNonlinearity(nonlinearity);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.nonlinearity = nonlinearity;
        weightIh = registerParameter("weight_ih", Tensor.zeros(hiddenSize, inputSize));
        weightHh = registerParameter("weight_hh", Tensor.zeros(hiddenSize, hiddenSize));
        biasIh = bias ? registerParameter("bias_ih", Tensor.zeros(hiddenSize)) : null;
        biasHh = bias ? registerParameter("bias_hh", Tensor.zeros(hiddenSize)) : null;
        RNNBase.initUniform(this, hiddenSize);
    }

    /** One step from a zero state. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null);
    }

    /** One step: x {@code [batch, input]} (or {@code [input]}), h {@code [batch, hidden]} or null for zeros. */
    public Tensor forward(Tensor x, Tensor h) {
        Tensor h0 = RNNBase.cellState("RNNCell", x, h, inputSize, hiddenSize, weightIh);
        return step(x, h0, weightIh, weightHh, biasIh, biasHh, nonlinearity);
    }

    /**
     * The cell as a function of explicit tensors (biases may be null), e.g. for gradient checks in float64.
     *
     * <pre>{@code Tensor h1 = RNNCell.step(x, h0, wIh, wHh, bIh, bHh, "tanh");}</pre>
     */
    public static Tensor step(Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, String nonlinearity) {
        return recur(F.linear(x, wIh, bIh), h, wHh, bHh, nonlinearity);
    }

    /** The step given the input projection {@code x·W_ihᵀ + b_ih} (computed for all steps at once by RNN). */
    static Tensor recur(Tensor xProj, Tensor h, Tensor wHh, Tensor bHh, String nonlinearity) {
        return activation(xProj.add(F.linear(h, wHh, bHh)), nonlinearity);
    }

    private static Tensor activation(Tensor x, String nonlinearity) {
        return checkNonlinearity(nonlinearity).equals("relu") ? x.relu() : x.tanh();
    }

    static String checkNonlinearity(String nonlinearity) {
        if (!"tanh".equals(nonlinearity) && !"relu".equals(nonlinearity)) {
            throw new IllegalArgumentException("RNN nonlinearity must be \"tanh\" or \"relu\", got \"" + nonlinearity + "\"");
        }
        return nonlinearity;
    }

    @Override
    protected String describe() {
        return "RNNCell(" + inputSize + " → " + hiddenSize + ", " + nonlinearity + (biasIh == null ? ", no bias" : "") + ")";
    }
}
