package dev.janus.nn;

import dev.janus.Tensor;

/**
 * A multi-layer LSTM ({@link LSTMCell} per layer and direction, gate order i, f, g, o) with PyTorch's
 * semantics, parameter names and initialization; see {@link RNNBase} for layouts and parameters. (PyTorch's
 * {@code proj_size} is not supported.)
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(10, 20, 2);
 * RecurrentOutput r = lstm.forward(x, null);           // x: [seq, batch, 10]
 * r.output();                                          // [seq, batch, 20]
 * r.hN(); r.cN();                                      // [2, batch, 20] each
 * RecurrentOutput next = lstm.forward(x2, r.state());  // continue from the final state
 * }</pre>
 */
public class LSTM extends RNNBase {
    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1);
    }

    public LSTM(int inputSize, int hiddenSize, int numLayers) {
        this(inputSize, hiddenSize, numLayers, true, false, 0, false);
    }

    /**
     * PyTorch's full constructor, in its argument order; {@code dropout} applies to the outputs of every layer
     * but the last, in training only.
     */
    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
            boolean bidirectional) {
        super(4, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
    }

    /** The output sequence, from zero initial states. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null).output();
    }

    /**
     * Runs over {@code x} from {@code initial} (h0 and c0 each {@code [layers·directions, batch, hidden]}; the
     * state or either part null for zeros).
     */
    public RecurrentOutput forward(Tensor x, LSTMState initial) {
        return run(x, initial == null ? new Tensor[2] : new Tensor[] {initial.h(), initial.c()});
    }

    @Override
    Tensor[] step(Tensor xProj, Tensor[] state, Tensor wHh, Tensor bHh) {
        LSTMState next = LSTMCell.recur(xProj, new LSTMState(state[0], state[1]), wHh, bHh);
        return new Tensor[] {next.h(), next.c()};
    }
}
