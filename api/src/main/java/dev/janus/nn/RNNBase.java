package dev.janus.nn;

import dev.janus.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link RNN}, {@link LSTM} and {@link GRU} share (PyTorch's {@code RNNBase}): the stacked, optionally
 * bidirectional layers with PyTorch's parameter names and shapes, the loop over time steps, inter-layer
 * dropout, batch-first and unbatched layouts, and initial/final states. A subclass supplies one time step of
 * its cell. Everything is written with tensor ops; the Java loops run over layers, directions and time steps
 * (so a traced graph unrolls them for a concrete sequence length).
 *
 * <p>Parameters, per layer {@code k} and direction (suffix {@code _reverse} for the backward one):
 * {@code weight_ih_lk [gates·hidden, in]}, {@code weight_hh_lk [gates·hidden, hidden]}, {@code bias_ih_lk},
 * {@code bias_hh_lk [gates·hidden]}, where {@code in} is the input size for layer 0 and
 * {@code directions·hidden} above it; all drawn from U(-1/√hidden, 1/√hidden).
 */
public abstract class RNNBase extends Module {
    protected final int inputSize;
    protected final int hiddenSize;
    protected final int numLayers;
    protected final boolean bias;
    protected final boolean batchFirst;
    protected final double dropout;
    protected final boolean bidirectional;
    /** Per (layer, direction), layer-major: {weight_ih, weight_hh, bias_ih, bias_hh}; biases may be null. */
    private final List<Tensor[]> weights = new ArrayList<>();

    RNNBase(int gates, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
            boolean bidirectional) {
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " needs positive sizes, got inputSize="
                    + inputSize + ", hiddenSize=" + hiddenSize + ", numLayers=" + numLayers);
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + dropout);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
        for (int layer = 0; layer < numLayers; layer++) {
            for (int d = 0; d < directions(); d++) {
                long in = layer == 0 ? inputSize : (long) hiddenSize * directions();
                weights.add(registerCell("_l" + layer + (d == 1 ? "_reverse" : ""), gates, in));
            }
        }
        initUniform(this, hiddenSize);
    }

    private Tensor[] registerCell(String suffix, int gates, long in) {
        long rows = (long) gates * hiddenSize;
        return new Tensor[] {
            registerParameter("weight_ih" + suffix, Tensor.zeros(rows, in)),
            registerParameter("weight_hh" + suffix, Tensor.zeros(rows, hiddenSize)),
            bias ? registerParameter("bias_ih" + suffix, Tensor.zeros(rows)) : null,
            bias ? registerParameter("bias_hh" + suffix, Tensor.zeros(rows)) : null};
    }

    /**
     * One time step of the cell: the new state from the step's input projection {@code x·W_ihᵀ + b_ih}
     * ({@code [batch, gates·hidden]}) and the previous state ({h} or {h, c}, each {@code [batch, hidden]}).
     * The new hidden state comes first.
     */
    abstract Tensor[] step(Tensor xProj, Tensor[] state, Tensor wHh, Tensor bHh);

    /** 2 for a bidirectional module, else 1. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /**
     * Runs every layer over {@code x}. {@code init} holds the initial states ({h0} or {h0, c0}), each
     * {@code [layers·directions, batch, hidden]} ({@code [layers·directions, hidden]} for an unbatched input)
     * or null for zeros.
     */
    final RecurrentOutput run(Tensor x, Tensor[] init) {
        boolean batched = checkInput(x);
        Tensor seq = !batched ? x.unsqueeze(1) : batchFirst ? x.transpose(0, 1) : x;
        Tensor[] states = new Tensor[init.length];
        for (int i = 0; i < init.length; i++) {
            states[i] = initialState(init[i], batched, seq.dim(1), i);
        }
        Tensor[][] finals = new Tensor[init.length][numLayers * directions()];
        for (int layer = 0; layer < numLayers; layer++) {
            seq = runLayer(layer, seq, states, finals);
            if (layer + 1 < numLayers) {
                seq = F.dropout(seq, dropout, isTraining());
            }
        }
        Tensor output = !batched ? seq.squeeze(1) : batchFirst ? seq.transpose(0, 1) : seq;
        Tensor[] last = new Tensor[init.length];
        for (int i = 0; i < last.length; i++) {
            Tensor f = Tensor.stack(0, finals[i]);
            last[i] = batched ? f : f.squeeze(1);
        }
        return new RecurrentOutput(output, last[0], last.length > 1 ? last[1] : null);
    }

    /**
     * Every direction of one layer over {@code seq [T, batch, in]}, from the initial states {@code init}; returns
     * the directions' outputs side by side and stores their final states in
     * {@code finals[state][layer·directions + direction]}.
     */
    private Tensor runLayer(int layer, Tensor seq, Tensor[] init, Tensor[][] finals) {
        Tensor[] out = new Tensor[directions()];
        for (int d = 0; d < directions(); d++) {
            int index = layer * directions() + d;
            Tensor[] state = new Tensor[init.length];
            for (int i = 0; i < state.length; i++) {
                state[i] = init[i].select(0, index);
            }
            out[d] = runDirection(seq, weights.get(index), state, d == 1);
            for (int i = 0; i < state.length; i++) {
                finals[i][index] = state[i];
            }
        }
        return Tensor.cat(-1, out);
    }

    /**
     * One direction of one layer over {@code seq [T, batch, in]}; returns the hidden states {@code [T, batch,
     * hidden]} in time order and leaves the final state in {@code state}.
     */
    private Tensor runDirection(Tensor seq, Tensor[] w, Tensor[] state, boolean reverse) {
        // NOTE: the input projection of every time step is one matrix product; only h·W_hhᵀ stays in the loop.
        Tensor xProj = F.linear(seq, w[0], w[2]);
        int steps = (int) seq.dim(0);
        Tensor[] hs = new Tensor[steps];
        for (int k = 0; k < steps; k++) {
            int t = reverse ? steps - 1 - k : k;
            Tensor[] next = step(xProj.select(0, t), state, w[1], w[3]);
            System.arraycopy(next, 0, state, 0, state.length);
            hs[t] = state[0];
        }
        return Tensor.stack(0, hs);
    }

    private boolean checkInput(Tensor x) {
        if (x.rank() != 2 && x.rank() != 3) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " expects input [seq, batch, " + inputSize
                    + "]" + (batchFirst ? " (batch first: [batch, seq, " + inputSize + "])" : "") + " or unbatched [seq, "
                    + inputSize + "], got " + x.shape());
        }
        if (x.dim(-1) != inputSize) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": input " + x.shape() + " has " + x.dim(-1)
                    + " features, expected inputSize=" + inputSize);
        }
        if (x.dim(batchFirst && x.rank() == 3 ? 1 : 0) == 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": the sequence " + x.shape() + " is empty");
        }
        return x.rank() == 3;
    }

    /** The initial state as {@code [layers·directions, batch, hidden]} in the weights' dtype. */
    private Tensor initialState(Tensor given, boolean batched, long batch, int which) {
        Tensor w = weights.get(0)[0];
        long layers = (long) numLayers * directions();
        if (given == null) {
            return Tensor.zeros(w.dtype(), layers, batch, hiddenSize).to(w.device());
        }
        long[] expected = batched ? new long[] {layers, batch, hiddenSize} : new long[] {layers, hiddenSize};
        if (!Arrays.equals(given.shape().dims(), expected)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": initial " + (which == 0 ? "h0" : "c0")
                    + " has shape " + given.shape() + ", expected " + Arrays.toString(expected)
                    + " [layers·directions, batch, hidden]");
        }
        Tensor s = given.cast(w.dtype());
        return batched ? s : s.unsqueeze(1);
    }

    @Override
    protected String describe() {
        return getClass().getSimpleName() + "(" + inputSize + " → " + hiddenSize + (numLayers > 1 ? ", layers=" + numLayers : "")
                + (bias ? "" : ", no bias") + (batchFirst ? ", batchFirst" : "") + (dropout > 0 ? ", dropout=" + dropout : "")
                + (bidirectional ? ", bidirectional" : "") + ")";
    }

    // ------------------------------------------------------------------ shared with the cells

    /** PyTorch's recurrent initialization: every parameter of {@code m} from U(-1/√hidden, 1/√hidden). */
    static void initUniform(Module m, int hiddenSize) {
        double k = 1 / Math.sqrt(hiddenSize);
        for (Tensor p : m.parameters()) {
            Init.uniform(p, -k, k);
        }
    }

    /**
     * Checks a cell's input {@code [batch, in]} or unbatched {@code [in]} and its state (null means zeros);
     * returns the state to use.
     */
    static Tensor cellState(String cell, Tensor x, Tensor h, int inputSize, int hiddenSize, Tensor weight) {
        if ((x.rank() != 1 && x.rank() != 2) || x.dim(-1) != inputSize) {
            throw new IllegalArgumentException(cell + " expects input [batch, " + inputSize + "] or [" + inputSize
                    + "], got " + x.shape());
        }
        long[] expected = x.rank() == 2 ? new long[] {x.dim(0), hiddenSize} : new long[] {hiddenSize};
        if (h == null) {
            return Tensor.zeros(weight.dtype(), expected).to(weight.device());
        }
        if (!Arrays.equals(h.shape().dims(), expected)) {
            throw new IllegalArgumentException(cell + ": state " + h.shape() + " does not fit input " + x.shape()
                    + "; expected " + Arrays.toString(expected));
        }
        return h;
    }
}
