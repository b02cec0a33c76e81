package dev.janus.nn;

import dev.janus.Tensor;

/**
 * A multi-layer Elman RNN ({@link RNNCell} per layer and direction) with PyTorch's semantics, parameter names
 * and initialization; see {@link RNNBase} for layouts and parameters.
 *
 * <pre>{@code
 * RNN rnn = new RNN(10, 20, 2);                       // input 10, hidden 20, 2 layers
 * RecurrentOutput r = rnn.forward(x, null);            // x: [seq, batch, 10]
 * r.output();                                          // [seq, batch, 20]
 * r.hN();                                              // [2, batch, 20]
 * }</pre>
 */
public class RNN extends RNNBase {
    private final String nonlinearity;

    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1);
    }

    public RNN(int inputSize, int hiddenSize, int numLayers) {
        this(inputSize, hiddenSize, numLayers, "tanh", true, false, 0, false);
    }

    /**
     * PyTorch's full constructor, in its argument order. {@code nonlinearity} is {@code "tanh"} or
     * {@code "relu"}; {@code dropout} applies to the outputs of every layer but the last, in training only.
     */
    public RNN(int inputSize, int hiddenSize, int numLayers, String nonlinearity, boolean bias, boolean batchFirst,
            double dropout, boolean bidirectional) {
        super(1, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
        this.nonlinearity = RNNCell.checkNonlinearity(nonlinearity);
    }

    /** The output sequence, from zero initial states. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null).output();
    }

    /** Runs over {@code x} from {@code h0} ({@code [layers·directions, batch, hidden]}, null for zeros). */
    public RecurrentOutput forward(Tensor x, Tensor h0) {
        return run(x, new Tensor[] {h0});
    }

    @Override
    Tensor[] step(Tensor xProj, Tensor[] state, Tensor wHh, Tensor bHh) {
        return new Tensor[] {RNNCell.recur(xProj, state[0], wHh, bHh, nonlinearity)};
    }

    @Override
    protected String describe() {
        String base = super.describe();
        return base.substring(0, base.length() - 1) + ", " + nonlinearity + ")";
    }
}
