package dev.janus.bench;

import dev.janus.bench.Workloads.Workload;
import dev.janus.io.LoadedModel;
import dev.janus.io.ModelArchive;
import dev.janus.trace.TracedFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * What it costs to get a graph: {@code Tracer.trace} of each workload (parse the class files, interpret,
 * record, optimize and compile for execution) in a warm JVM and as the first trace of a fresh JVM, and
 * {@link ModelArchive#load} of a saved traced model (read, validate, compile).
 *
 * <p>The cold figure is JMH's single-shot mode: each fork builds the model, then times its first trace, so
 * it includes loading the tracer's and ASM's classes and running them in the interpreter. The score is the
 * mean over forks; run it on its own ({@code -bm} and iteration options on the command line would override
 * its single-shot settings):
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar 'TraceTime.(traceWarm|archiveLoad)' -prof gc
 * java -jar benchmarks/target/benchmarks.jar 'TraceTime.traceCold' -f 5
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TraceTimeBenchmark {

    /** A workload, not yet traced. */
    @State(Scope.Thread)
    public static class Model {
        @Param({"mlp_b64", "lenet_b64", "rnn", "lstm", "transformer", "mlp_train", "lenet_train"})
        public String workload;

        Workload w;

        @Setup
        public void setup() {
            w = Workloads.get(workload);
        }
    }

    /** A forward workload traced and saved as a model archive in a temporary file. */
    @State(Scope.Thread)
    public static class Archive {
        @Param({"mlp_b64", "lenet_b64", "rnn", "lstm", "transformer"})
        public String workload;

        Path file;

        @Setup
        public void setup() throws IOException {
            file = Files.createTempFile("janus-bench-" + workload, ".janus");
            ModelArchive.save(Workloads.get(workload).trace().get(), file);
        }

        @TearDown
        public void delete() throws IOException {
            Files.deleteIfExists(file);
        }
    }

    /** One trace in a warm JVM, from the method reference to a graph ready to run. */
    @Benchmark
    public TracedFunction<?> traceWarm(Model s) {
        return s.w.trace().get();
    }

    /** The first trace in a fresh JVM. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(5)
    public TracedFunction<?> traceCold(Model s) {
        return s.w.trace().get();
    }

    /** Loading a saved traced model: unzip, validate, read the weights, compile the graph. */
    @Benchmark
    public LoadedModel archiveLoad(Archive s) throws IOException {
        return ModelArchive.load(s.file);
    }
}
