package dev.janus.bench;

import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.examples.models.LeNet;
import dev.janus.nn.F;
import dev.janus.optim.SGD;
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
 * One eager training step of LeNet (batch 64, SGD momentum 0.9, lr 0.01, cross-entropy), the same workload as
 * {@code benchmarks/peers/torch_lenet_train.py}. Steps per second = 1000 / (ms per op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LeNetTrainBenchmark {
    LeNet model;
    SGD optimizer;
    Tensor x;
    Tensor y;

    @Setup
    public void setup() {
        Janus.manualSeed(0);
        model = new LeNet();
        optimizer = new SGD(model.parameters(), 0.01).momentum(0.9);
        x = Tensor.randn(64, 1, 28, 28);
        y = Tensor.randint(0, 10, 64);
    }

    @Benchmark
    public double trainStep() {
        optimizer.zeroGrad();
        Tensor loss = F.crossEntropy(model.forward(x), y);
        loss.backward();
        optimizer.step();
        return loss.item();
    }
}
