package dev.janus.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.io.LoadedModel;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs each trace-time benchmark body once: a trace per workload, and an archive's load. */
class TraceTimeSmokeTest {
    final TraceTimeBenchmark bench = new TraceTimeBenchmark();

    @ParameterizedTest
    @ValueSource(strings = {"mlp_b64", "lenet_b64", "rnn", "lstm", "transformer", "mlp_train", "lenet_train"})
    void trace_producesOneGraph(String workload) {
        TraceTimeBenchmark.Model s = new TraceTimeBenchmark.Model();
        s.workload = workload;
        s.setup();
        assertEquals(1, bench.traceWarm(s).traceCount());
        assertEquals(1, bench.traceCold(s).traceCount());
    }

    @Test
    void archiveLoad_runsLikeTheEagerModel() throws IOException {
        TraceTimeBenchmark.Archive s = new TraceTimeBenchmark.Archive();
        s.workload = "mlp_b64";
        s.setup();
        try {
            LoadedModel m = bench.archiveLoad(s);
            Workloads.Workload w = Workloads.get("mlp_b64");
            Tensor eager;
            try (var off = Janus.noGrad()) {
                eager = (Tensor) w.eager().get();
            }
            assertArrayEquals(eager.toFloatArray(), m.run((Tensor) w.args()[0])[0].toFloatArray(), 1e-5f);
        } finally {
            s.delete();
        }
    }
}
