package dev.janus.trace;

import dev.janus.Generator;
import dev.janus.Tensor;
import dev.janus.nn.LSTM;
import dev.janus.nn.Linear;
import dev.janus.nn.Module;
import java.util.ArrayList;
import java.util.List;

/** Recurrent models over sequences {@code [time, batch, features]}. */
final class SequenceModels {
    private SequenceModels() {}

    /** A user-written LSTM cell (gate order i, f, g, o) run over the first {@code steps} time steps. */
    static final class ManualLstm extends Module {
        final int hidden;
        final Tensor wIh;
        final Tensor wHh;
        final Tensor bias;

        ManualLstm(int input, int hidden, long seed) {
            Generator g = new Generator(seed);
            this.hidden = hidden;
            wIh = registerParameter("w_ih", Tensor.randn(g, input, 4L * hidden).mul(0.3));
            wHh = registerParameter("w_hh", Tensor.randn(g, hidden, 4L * hidden).mul(0.3));
            bias = registerParameter("bias", Tensor.randn(g, 4L * hidden).mul(0.1));
        }

        @Override
        public Tensor forward(Tensor x) {
            return forward(x, (int) x.dim(0));
        }

        /** The last hidden state after {@code steps} steps. */
        public Tensor forward(Tensor x, int steps) {
            Tensor h = Tensor.zeros(x.dim(1), hidden);
            Tensor c = Tensor.zeros(x.dim(1), hidden);
            for (int t = 0; t < steps; t++) {
                Tensor xt = x.select(0, t); // @lstm-select
                List<Tensor> g = xt.matmul(wIh).add(h.matmul(wHh)).add(bias).chunk(4, 1);
                c = g.get(1).sigmoid().mul(c).add(g.get(0).sigmoid().mul(g.get(2).tanh()));
                h = g.get(3).sigmoid().mul(c.tanh());
            }
            return h;
        }

        /** Every step's hidden state, stacked: {@code [steps, batch, hidden]}. */
        public Tensor sequence(Tensor x, int steps) {
            List<Tensor> outs = new ArrayList<>();
            Tensor h = Tensor.zeros(x.dim(1), hidden);
            Tensor c = Tensor.zeros(x.dim(1), hidden);
            for (int t = 0; t < steps; t++) {
                List<Tensor> g = x.select(0, t).matmul(wIh).add(h.matmul(wHh)).add(bias).chunk(4, 1);
                c = g.get(1).sigmoid().mul(c).add(g.get(0).sigmoid().mul(g.get(2).tanh()));
                h = g.get(3).sigmoid().mul(c.tanh());
                outs.add(h); // @scan-add
            }
            return Tensor.stack(0, outs);
        }

        /** A window of {@code length} steps from a data-dependent start, summed over time. */
        public Tensor window(Tensor x, int start) {
            return x.narrow(0, start, 2).sum(0);
        }
    }

    /** A user module around the library LSTM: its Java loop over time steps runs for the example's length. */
    static final class Tagger extends Module {
        final LSTM lstm = new LSTM(8, 16);
        final Linear head = new Linear(16, 5);

        @Override
        public Tensor forward(Tensor x) {
            return head.forward(lstm.forward(x, null).output()).logSoftmax(-1);
        }
    }
}
