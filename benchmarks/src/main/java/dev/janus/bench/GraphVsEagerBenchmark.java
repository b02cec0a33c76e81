package dev.janus.bench;

import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.examples.models.LeNet;
import dev.janus.examples.models.Mlp;
import dev.janus.graph.CompiledGraph;
import dev.janus.graph.GraphCapture;
import dev.janus.graph.TrainingStep;
import dev.janus.graph.passes.PassManager;
import dev.janus.nn.F;
import dev.janus.nn.Module;
import dev.janus.ops.TensorSpec;
import dev.janus.optim.SGD;
import java.util.IdentityHashMap;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same workloads run eagerly and as a captured graph: each graph is captured once in {@code @Setup}
 * ({@link GraphCapture}), optimized with {@link PassManager#forExecution()} (simplification, folding, CSE,
 * dead code, GEMM-epilogue and elementwise fusion) and run by a {@link CompiledGraph} (memory-planned,
 * preallocated buffers). Eager forwards run under {@link Janus#noGrad()}.
 *
 * <ul>
 *   <li>MLP 784-512-256-10 forward, batch 1 and 64 ({@code batch} parameter);</li>
 *   <li>LeNet-5 forward, batch 64;</li>
 *   <li>MLP training step, batch 64, plain SGD lr 0.01, cross-entropy. Eager: zeroGrad, forward, loss,
 *       backward, {@link SGD#step()}. Graph: the same step captured once as a {@link TrainingStep}
 *       (forward, loss, backward and update in one graph run that writes the live parameters).</li>
 * </ul>
 *
 * <pre>{@code java -jar benchmarks/target/benchmarks.jar GraphVsEager -prof gc}</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GraphVsEagerBenchmark {
    static final double LR = 0.01;
    static final long SEED = 0;

    /** The MLP, one input batch and its forward graph. */
    @State(Scope.Thread)
    public static class MlpForward {
        @Param({"1", "64"})
        public int batch;

        Mlp model;
        Tensor x;
        CompiledGraph graph;

        @Setup
        public void setup() {
            Janus.manualSeed(SEED);
            model = new Mlp();
            x = Tensor.randn(batch, 784);
            graph = forwardGraph(model, x);
        }
    }

    /** LeNet, one batch of 64 images and its forward graph. */
    @State(Scope.Thread)
    public static class LeNetForward {
        LeNet model;
        Tensor x;
        CompiledGraph graph;

        @Setup
        public void setup() {
            Janus.manualSeed(SEED);
            model = new LeNet();
            x = Tensor.randn(64, 1, 28, 28);
            graph = forwardGraph(model, x);
        }
    }

    /** An MLP trained eagerly on one fixed batch of 64. */
    @State(Scope.Thread)
    public static class MlpTrainEager {
        Mlp model;
        SGD optimizer;
        Tensor x;
        Tensor y;

        @Setup
        public void setup() {
            Janus.manualSeed(SEED);
            model = new Mlp();
            optimizer = new SGD(model.parameters(), LR);
            x = Tensor.randn(64, 784);
            y = Tensor.randint(0, 10, 64);
        }
    }

    /**
     * An MLP (same seed, so the same weights and batch as {@link MlpTrainEager}) trained through one captured
     * graph: forward, loss, backward and the SGD update ({@link TrainingStep}).
     */
    @State(Scope.Thread)
    public static class MlpTrainGraph {
        Mlp model;
        SGD optimizer;
        Tensor x;
        Tensor y;
        TrainingStep step;

        @Setup
        public void setup() {
            Janus.manualSeed(SEED);
            model = new Mlp();
            optimizer = new SGD(model.parameters(), LR);
            x = Tensor.randn(64, 784);
            y = Tensor.randint(0, 10, 64);
            step = TrainingStep.capture(model, in -> {
                optimizer.zeroGrad();
                Tensor loss = F.crossEntropy(model.forward(in[0]), in[1]);
                loss.backward();
                optimizer.step();
                return loss;
            }, specOf(x), specOf(y));
        }
    }

    @Benchmark
    public Tensor mlpForwardEager(MlpForward s) {
        try (var off = Janus.noGrad()) {
            return s.model.forward(s.x);
        }
    }

    @Benchmark
    public Tensor mlpForwardGraph(MlpForward s) {
        return s.graph.run(s.x)[0];
    }

    @Benchmark
    public Tensor lenetForwardEager(LeNetForward s) {
        try (var off = Janus.noGrad()) {
            return s.model.forward(s.x);
        }
    }

    @Benchmark
    public Tensor lenetForwardGraph(LeNetForward s) {
        return s.graph.run(s.x)[0];
    }

    /** One eager step; returns the loss before the update. */
    @Benchmark
    public double mlpTrainEager(MlpTrainEager s) {
        s.optimizer.zeroGrad();
        Tensor loss = F.crossEntropy(s.model.forward(s.x), s.y);
        loss.backward();
        s.optimizer.step();
        return loss.item();
    }

    /** One graph step (forward, loss, backward and SGD update in one graph run); returns the loss before the update. */
    @Benchmark
    public double mlpTrainGraph(MlpTrainGraph s) {
        return s.step.run(s.x, s.y).item();
    }

    static CompiledGraph forwardGraph(Module model, Tensor example) {
        return new CompiledGraph(PassManager.forExecution().apply(GraphCapture.capture(model, model::forward, specOf(example))));
    }

    static TensorSpec specOf(Tensor t) {
        return new TensorSpec(t.dtype(), t.shape());
    }

    /** Dotted parameter names, so the graph's parameters read {@code fc1.weight} rather than {@code param0}. */
    static Map<Tensor, String> parameterNames(Module model) {
        Map<Tensor, String> names = new IdentityHashMap<>();
        model.namedParameters().forEach((k, v) -> names.put(v, k));
        return names;
    }
}
