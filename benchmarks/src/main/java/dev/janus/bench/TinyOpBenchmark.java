package dev.janus.bench;

import dev.janus.Tensor;
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

/** Per-op overhead: {@code a.add(b)} on 2-element float32 tensors, the cost of dispatch alone. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TinyOpBenchmark {
    Tensor a;
    Tensor b;

    @Setup
    public void setup() {
        a = Tensor.of(new float[] {1, 2});
        b = Tensor.of(new float[] {3, 4});
    }

    @Benchmark
    public Tensor add() {
        return a.add(b);
    }
}
