package dev.janus.bench;

import ai.onnxruntime.OrtException;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.bench.Workloads.Workload;
import dev.janus.trace.TracedFunction;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The suite's workloads ({@link Workloads}) run three ways: eagerly, traced ({@code Tracer.trace} once in
 * {@code @Setup}, then {@link TracedFunction#call}, which runs the optimized, memory-planned
 * {@code CompiledGraph}), and — for forward passes — as Janus's own ONNX export of the same traced graph, with
 * the same weights, in ONNX Runtime with 2 intra-op threads ({@link OrtModel}). Eager forwards run under
 * {@link Janus#noGrad()}, as the traced graph keeps no autograd record.
 *
 * <ul>
 *   <li>forward: MLP 784-512-256-10 at batch 1 and 64, LeNet-5 at batch 64, the seed recurrence
 *       {@code h = tanh(W h + b)} (hidden 256, batch 32, T = 100, T a dynamic argument: one {@code loop} node),
 *       the library LSTM 256→256 over 50 steps at batch 32 (unrolled), a Transformer encoder layer (d 256,
 *       4 heads, feed-forward 1024, sequence 64, batch 8);</li>
 *   <li>training step: MLP and LeNet-5 at batch 64, cross-entropy, SGD lr 0.01 momentum 0.9; traced, the
 *       whole step (forward, backward, update) is one graph that writes the live parameters.</li>
 * </ul>
 *
 * <pre>{@code java -jar benchmarks/target/benchmarks.jar TracedVsEager -prof gc}</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TracedVsEagerBenchmark {

    /** A forward workload run eagerly. */
    @State(Scope.Thread)
    public static class Eager {
        @Param({"mlp_b1", "mlp_b64", "lenet_b64", "rnn", "lstm", "transformer"})
        public String workload;

        Workload w;

        @Setup
        public void setup() {
            w = Workloads.get(workload);
        }
    }

    /** A forward workload and its trace. */
    @State(Scope.Thread)
    public static class Traced {
        @Param({"mlp_b1", "mlp_b64", "lenet_b64", "rnn", "lstm", "transformer"})
        public String workload;

        Workload w;
        TracedFunction<?> traced;

        @Setup
        public void setup() {
            w = Workloads.get(workload);
            traced = w.trace().get();
        }
    }

    /** A forward workload's trace, exported to ONNX and loaded in ONNX Runtime. */
    @State(Scope.Thread)
    public static class OnnxRuntime {
        @Param({"mlp_b1", "mlp_b64", "lenet_b64", "rnn", "lstm", "transformer"})
        public String workload;

        OrtModel ort;

        @Setup
        public void setup() {
            Workload w = Workloads.get(workload);
            ort = new OrtModel(w.trace().get(), w.args());
        }

        @TearDown
        public void close() {
            ort.close();
        }
    }

    /** A training step run eagerly. */
    @State(Scope.Thread)
    public static class TrainEager {
        @Param({"mlp_train", "lenet_train"})
        public String workload;

        Workload w;

        @Setup
        public void setup() {
            w = Workloads.get(workload);
        }
    }

    /** A training step traced into one graph. */
    @State(Scope.Thread)
    public static class TrainTraced {
        @Param({"mlp_train", "lenet_train"})
        public String workload;

        Workload w;
        TracedFunction<?> traced;

        @Setup
        public void setup() {
            w = Workloads.get(workload);
            traced = w.trace().get();
        }
    }

    @Benchmark
    public Object forwardEager(Eager s) {
        try (var off = Janus.noGrad()) {
            return s.w.eager().get();
        }
    }

    @Benchmark
    public Object forwardTraced(Traced s) {
        return s.traced.call(s.w.args());
    }

    @Benchmark
    public int forwardOnnxRuntime(OnnxRuntime s) throws OrtException {
        return s.ort.run();
    }

    /** One eager step; returns the loss before the update. */
    @Benchmark
    public Object trainEager(TrainEager s) {
        return ((Tensor) s.w.eager().get()).item();
    }

    /** One traced step (forward, loss, backward and update in one graph run); returns the loss before the update. */
    @Benchmark
    public Object trainTraced(TrainTraced s) {
        return ((Tensor) s.traced.call(s.w.args())).item();
    }
}
