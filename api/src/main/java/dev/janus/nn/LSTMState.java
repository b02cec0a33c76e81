package dev.janus.nn;

import dev.janus.Tensor;

/**
 * The state an LSTM carries between time steps: hidden state {@code h} and cell state {@code c}, both
 * {@code [batch, hidden]} for a cell or {@code [layers·directions, batch, hidden]} for a whole {@link LSTM}.
 * Either may be null where an initial state is expected, meaning zeros.
 *
 * <pre>{@code LSTMState s = cell.forward(x, new LSTMState(h0, c0)); Tensor h1 = s.h();}</pre>
 */
public record LSTMState(Tensor h, Tensor c) {}
