package dev.janus.nn;

import dev.janus.Tensor;
import java.util.List;

/**
 * A gated recurrent unit with PyTorch's gate order (reset, update, new) and parameters ({@code weight_ih
 * [3·hidden, input]}, {@code weight_hh [3·hidden, hidden]}, {@code bias_ih}, {@code bias_hh [3·hidden]}, all
 * from U(-1/√hidden, 1/√hidden)):
 *
 * <pre>
 * r  = σ(W_ir x + b_ir + W_hr h + b_hr)
 * z  = σ(W_iz x + b_iz + W_hz h + b_hz)
 * n  = tanh(W_in x + b_in + r·(W_hn h + b_hn))
 * h' = (1 - z)·n + z·h
 * </pre>
 *
 * <pre>{@code
 * GRUCell cell = new GRUCell(10, 20);
 * Tensor h = null;                                   // zeros
 * for (Tensor x : steps) { h = cell.forward(x, h); } // x: [batch, 10], h: [batch, 20]
 * }</pre>
 */
public class GRUCell extends Module {
    public final Tensor weightIh;
    public final Tensor weightHh;
    public final Tensor biasIh;
    public final Tensor biasHh;
    private final int inputSize;
    private final int hiddenSize;

    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    public GRUCell(int inputSize, int hiddenSize, boolean bias) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException("GRUCell needs positive sizes, got inputSize=" + inputSize + ", hiddenSize="
                    + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        weightIh = registerParameter("weight_ih", Tensor.zeros(3L * hiddenSize, inputSize));
        weightHh = registerParameter("weight_hh", Tensor.zeros(3L * hiddenSize, hiddenSize));
        biasIh = bias ? registerParameter("bias_ih", Tensor.zeros(3L * hiddenSize)) : null;
        biasHh = bias ? registerParameter("bias_hh", Tensor.zeros(3L * hiddenSize)) : null;
        RNNBase.initUniform(this, hiddenSize);
    }

    /** One step from a zero state. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null);
    }

    /** One step: x {@code [batch, input]} (or {@code [input]}), h {@code [batch, hidden]} or null for zeros. */
    public Tensor forward(Tensor x, Tensor h) {
        Tensor h0 = RNNBase.cellState("GRUCell", x, h, inputSize, hiddenSize, weightIh);
        return step(x, h0, weightIh, weightHh, biasIh, biasHh);
    }

    /**
     * The cell as a function of explicit tensors (biases may be null), e.g. for gradient checks in float64.
     *
     * <pre>{@code Tensor h1 = GRUCell.step(x, h0, wIh, wHh, bIh, bHh);}</pre>
     */
    public static Tensor step(Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        return recur(F.linear(x, wIh, bIh), h, wHh, bHh);
    }

    /** The step given the input projection {@code x·W_ihᵀ + b_ih} (computed for all steps at once by GRU). */
    static Tensor recur(Tensor xProj, Tensor h, Tensor wHh, Tensor bHh) {
        List<Tensor> in = xProj.chunk(3, -1);
        List<Tensor> hid = F.linear(h, wHh, bHh).chunk(3, -1);
        Tensor r = in.get(0).add(hid.get(0)).sigmoid();
        Tensor z = in.get(1).add(hid.get(1)).sigmoid();
        Tensor n = in.get(2).add(r.mul(hid.get(2))).tanh();
        return n.add(z.mul(h.sub(n)));
    }

    @Override
    protected String describe() {
        return "GRUCell(" + inputSize + " → " + hiddenSize + (biasIh == null ? ", no bias" : "") + ")";
    }
}
