package dev.janus.bench;

import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.examples.models.LeNet;
import dev.janus.nn.LSTM;
import dev.janus.nn.Module;
import dev.janus.trace.TraceOptions;
import dev.janus.trace.TracedFunction;
import dev.janus.trace.Tracer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Plain Java models run eagerly and through the bytecode tracer ({@link Tracer#trace}, then
 * {@link TracedFunction#call}, which runs the optimized {@code CompiledGraph}). Eager forwards run under
 * {@link Janus#noGrad()}, as the traced graph keeps no autograd record.
 *
 * <ul>
 *   <li>the seed recurrence {@code h = tanh(W h + b)} over T = 100 steps, hidden 256, batch 32, with T a
 *       dynamic argument: the trace is one {@code loop} node;</li>
 *   <li>the library {@link LSTM} (input 256, hidden 256) over 50 steps, batch 32, in a user module: its Java
 *       loop over time steps unrolls into the graph;</li>
 *   <li>tracing itself: {@link Tracer#trace} of a LeNet-5 forward (batch 16), a fresh traced function per call
 *       (parse, interpret, record, and compile for execution), warm JVM.</li>
 * </ul>
 *
 * <pre>{@code java -jar benchmarks/target/benchmarks.jar TracedVsEager}</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TracedVsEagerBenchmark {
    static final int HIDDEN = 256;
    static final int BATCH = 32;
    static final int RNN_STEPS = 100;
    static final int LSTM_STEPS = 50;

    /** The seed: {@code h = tanh(W h + b)}, {@code steps} times. */
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

    /** A user module around the library LSTM: the output sequence {@code [time, batch, hidden]}. */
    public static final class LstmEncoder extends Module {
        final LSTM lstm = new LSTM(HIDDEN, HIDDEN);

        @Override
        public Tensor forward(Tensor x) {
            return lstm.forward(x, null).output();
        }
    }

    /** The seed model, h0 {@code [256, 32]}, and its trace with T dynamic. */
    @State(Scope.Thread)
    public static class Rnn {
        SeedRnn model;
        Tensor h0;
        TracedFunction<Tensor> traced;

        @Setup
        public void setup() {
            Generator g = new Generator(0);
            model = new SeedRnn(g);
            h0 = Tensor.randn(g, HIDDEN, BATCH);
            traced = Tracer.trace(TraceOptions.defaults().dynamicScalars(1), SeedRnn::forward, model, h0, 3);
        }
    }

    /** The LSTM encoder, a sequence {@code [50, 32, 256]}, and its trace. */
    @State(Scope.Thread)
    public static class Lstm {
        LstmEncoder model;
        Tensor x;
        TracedFunction<Tensor> traced;

        @Setup
        public void setup() {
            Janus.manualSeed(0);
            model = new LstmEncoder();
            x = Tensor.randn(new Generator(1), LSTM_STEPS, BATCH, HIDDEN);
            traced = Tracer.trace(LstmEncoder::forward, model, x);
        }
    }

    /** LeNet-5 and a batch of 16 images, for timing the tracer itself. */
    @State(Scope.Thread)
    public static class LeNetTrace {
        LeNet model;
        Tensor x;

        @Setup
        public void setup() {
            Janus.manualSeed(0);
            model = new LeNet();
            x = Tensor.randn(new Generator(2), 16, 1, 28, 28);
        }
    }

    @Benchmark
    public Tensor rnnEager(Rnn s) {
        try (var off = Janus.noGrad()) {
            return s.model.forward(s.h0, RNN_STEPS);
        }
    }

    @Benchmark
    public Tensor rnnTraced(Rnn s) {
        return s.traced.call(s.h0, RNN_STEPS);
    }

    @Benchmark
    public Tensor lstmEager(Lstm s) {
        try (var off = Janus.noGrad()) {
            return s.model.forward(s.x);
        }
    }

    @Benchmark
    public Tensor lstmTraced(Lstm s) {
        return s.traced.call(s.x);
    }

    /** One trace of LeNet's forward, from the method reference to a graph ready to run. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public TracedFunction<Tensor> traceLeNet(LeNetTrace s) {
        return Tracer.trace(LeNet::forward, s.model, s.x);
    }
}
