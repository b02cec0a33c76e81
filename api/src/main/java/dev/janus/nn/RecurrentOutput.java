package dev.janus.nn;

import dev.janus.Tensor;

/**
 * What {@link RNN}, {@link LSTM} and {@link GRU} return: the last layer's hidden state at every time step and
 * each layer's final states.
 *
 * @param output {@code [seq, batch, directions·hidden]} ({@code [batch, seq, ...]} with batchFirst,
 *     {@code [seq, directions·hidden]} for an unbatched input)
 * @param hN final hidden states {@code [layers·directions, batch, hidden]} (never batch-first, as in PyTorch)
 * @param cN final cell states, same shape as {@code hN}; null except for {@link LSTM}
 */
public record RecurrentOutput(Tensor output, Tensor hN, Tensor cN) {
    /** The final (h, c) of an LSTM, ready to pass as the next call's initial state. */
    public LSTMState state() {
        return new LSTMState(hN, cN);
    }
}
