package dev.janus.nn;

import dev.janus.Tensor;

/**
 * A multi-layer GRU ({@link GRUCell} per layer and direction, gate order r, z, n) with PyTorch's semantics,
 * parameter names and initialization; see {@link RNNBase} for layouts and parameters.
 *
 * <pre>{@code
 * GRU gru = new GRU(10, 20, 2, true, true, 0.0, false);   // batch first
 * RecurrentOutput r = gru.forward(x, null);                 // x: [batch, seq, 10]
 * r.output();                                               // [batch, seq, 20]
 * r.hN();                                                   // [2, batch, 20]
 * }</pre>
 */
public class GRU extends RNNBase {
    public GRU(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1);
    }

    public GRU(int inputSize, int hiddenSize, int numLayers) {
        this(inputSize, hiddenSize, numLayers, true, false, 0, false);
    }

    /**
     * PyTorch's full constructor, in its argument order; {@code dropout} applies to the outputs of every layer
     * but the last, in training only.
     */
    public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
            boolean bidirectional) {
        super(3, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
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
        return new Tensor[] {GRUCell.recur(xProj, state[0], wHh, bHh)};
    }
}
