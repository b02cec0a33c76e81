package dev.janus.bench;

import dev.janus.Generator;
import dev.janus.Tensor;
import dev.janus.nn.F;
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

/** LeNet's first convolution forward: batch 64, 1→6 channels, 5×5 kernel, 28×28 input, with bias. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ConvBenchmark {
    Tensor x;
    Tensor w;
    Tensor bias;

    @Setup
    public void setup() {
        Generator g = new Generator(1);
        x = Tensor.randn(g, 64, 1, 28, 28);
        w = Tensor.randn(g, 6, 1, 5, 5);
        bias = Tensor.randn(g, 6);
    }

    @Benchmark
    public Tensor lenetConv2d() {
        return F.conv2d(x, w, bias, 1, 0);
    }
}
