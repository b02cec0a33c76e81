package dev.janus.bench;

import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.examples.models.LeNet;
import dev.janus.examples.models.Mlp;
import dev.janus.nn.F;
import dev.janus.nn.LSTM;
import dev.janus.nn.Module;
import dev.janus.nn.TransformerEncoderLayer;
import dev.janus.optim.SGD;
import dev.janus.trace.TraceOptions;
import dev.janus.trace.TracedFunction;
import dev.janus.trace.Tracer;
import java.util.List;
import java.util.function.Supplier;

/**
 * The workloads of the benchmark suite, each one model with its inputs, its eager call and how to trace it.
 * The names are the JMH {@code workload}/{@code model} parameters and the keys of
 * {@code benchmarks/peers/torch_workloads.py}, which runs the same shapes in PyTorch.
 *
 * <pre>{@code
 * Workload w = Workloads.get("mlp_b64");
 * Object eager = w.eager().get();
 * Object traced = w.trace().get().call(w.args());
 * }</pre>
 */
final class Workloads {
    static final int HIDDEN = 256;
    static final int RNN_BATCH = 32;
    static final int RNN_STEPS = 100;
    static final int LSTM_STEPS = 50;
    static final int D_MODEL = 256;
    static final int HEADS = 4;
    static final int FEEDFORWARD = 1024;
    static final int SEQ = 64;
    static final int TRANSFORMER_BATCH = 8;
    static final double LR = 0.01;
    static final double MOMENTUM = 0.9;

    /** Forward passes (inference): eager, traced and ONNX Runtime. */
    static final List<String> FORWARD = List.of("mlp_b1", "mlp_b64", "lenet_b64", "rnn", "lstm", "transformer");
    /** Training steps (forward, cross-entropy, backward, SGD with momentum), batch 64. */
    static final List<String> TRAINING = List.of("mlp_train", "lenet_train");

    private Workloads() {}

    /**
     * One workload: {@code eager} runs the model's Java code once; {@code trace} traces it afresh (each call a
     * new {@link TracedFunction}); {@code args} are the arguments of the traced call.
     */
    record Workload(String name, Module model, Supplier<Object> eager, Supplier<TracedFunction<?>> trace,
            Object... args) {}

    /** Builds the workload {@code name} with fixed seeds, so every build has the same weights and inputs. */
    static Workload get(String name) {
        Janus.manualSeed(0);
        Generator data = new Generator(1);
        return switch (name) {
            case "mlp_b1" -> mlp(name, Tensor.randn(data, 1, 784));
            case "mlp_b64" -> mlp(name, Tensor.randn(data, 64, 784));
            case "lenet_b64" -> {
                LeNet m = new LeNet();
                Tensor x = Tensor.randn(data, 64, 1, 28, 28);
                yield new Workload(name, m, () -> m.forward(x), () -> Tracer.trace(LeNet::forward, m, x), x);
            }
            case "rnn" -> {
                SeedRnn m = new SeedRnn(new Generator(0));
                Tensor h = Tensor.randn(data, HIDDEN, RNN_BATCH);
                yield new Workload(name, m, () -> m.forward(h, RNN_STEPS),
                        () -> Tracer.trace(TraceOptions.defaults().dynamicScalars(1), SeedRnn::forward, m, h, 3),
                        h, RNN_STEPS);
            }
            case "lstm" -> {
                LstmEncoder m = new LstmEncoder();
                Tensor x = Tensor.randn(data, LSTM_STEPS, RNN_BATCH, HIDDEN);
                yield new Workload(name, m, () -> m.forward(x), () -> Tracer.trace(LstmEncoder::forward, m, x), x);
            }
            case "transformer" -> {
                EncoderLayer m = new EncoderLayer();
                m.eval();
                Tensor x = Tensor.randn(data, TRANSFORMER_BATCH, SEQ, D_MODEL);
                yield new Workload(name, m, () -> m.forward(x), () -> Tracer.trace(EncoderLayer::forward, m, x), x);
            }
            case "mlp_train" -> training(name, new Mlp(), Tensor.randn(data, 64, 784), data);
            case "lenet_train" -> training(name, new LeNet(), Tensor.randn(data, 64, 1, 28, 28), data);
            default -> throw new IllegalArgumentException("unknown workload '" + name + "'; known: " + FORWARD + " "
                    + TRAINING);
        };
    }

    private static Workload mlp(String name, Tensor x) {
        Mlp m = new Mlp();
        return new Workload(name, m, () -> m.forward(x), () -> Tracer.trace(Mlp::forward, m, x), x);
    }

    /** One eager step is taken here: SGD creates its momentum buffers on the first update (see docs/tracing.md). */
    private static Workload training(String name, Module model, Tensor x, Generator data) {
        Tensor y = Tensor.randint(data, 0, 10, 64);
        Trainer t = new Trainer(model, new SGD(model.parameters(), LR).momentum(MOMENTUM));
        t.step(x, y);
        return new Workload(name, model, () -> t.step(x, y), () -> Tracer.trace(Trainer::step, t, x, y), x, y);
    }

    /** The seed recurrence {@code h = tanh(W h + b)}, {@code steps} times, hidden 256. */
    public static final class SeedRnn extends Module {
        final Tensor w;
        final Tensor b;

        SeedRnn(Generator g) {
            w = registerParameter("W", Tensor.randn(g, HIDDEN, HIDDEN).mul(1.0 / Math.sqrt(HIDDEN)));
            b = registerParameter("b", Tensor.randn(g, HIDDEN, 1).mul(0.1));
        }

        @Override
        public Tensor forward(Tensor h) {
            return forward(h, 1);
        }

        public Tensor forward(Tensor h, int steps) {
            for (int t = 0; t < steps; t++) {
                h = w.matmul(h).add(b).tanh();
            }
            return h;
        }
    }

    /** A user module around the library LSTM (256 → 256): the output sequence {@code [time, batch, hidden]}. */
    public static final class LstmEncoder extends Module {
        final LSTM lstm = new LSTM(HIDDEN, HIDDEN);

        @Override
        public Tensor forward(Tensor x) {
            return lstm.forward(x, null).output();
        }
    }

    /**
     * A user module around the library Transformer encoder layer: d 256, 4 heads, feed-forward 1024, ReLU,
     * post-norm, batch first, no dropout (PyTorch's {@code nn.TransformerEncoderLayer(256, 4, 1024, 0.0,
     * batch_first=True)}).
     */
    public static final class EncoderLayer extends Module {
        final TransformerEncoderLayer layer =
                new TransformerEncoderLayer(D_MODEL, HEADS, FEEDFORWARD, 0.0, "relu", 1e-5, true, false);

        @Override
        public Tensor forward(Tensor x) {
            return layer.forward(x);
        }
    }

    /** One training step, written as it is written eagerly; it returns the loss before the update. */
    public static final class Trainer {
        final Module model;
        final SGD opt;

        Trainer(Module model, SGD opt) {
            this.model = model;
            this.opt = opt;
        }

        public Tensor step(Tensor x, Tensor y) {
            opt.zeroGrad();
            Tensor loss = F.crossEntropy(model.forward(x), y);
            loss.backward();
            opt.step();
            return loss;
        }
    }
}
