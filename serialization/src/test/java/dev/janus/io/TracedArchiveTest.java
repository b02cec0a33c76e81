package dev.janus.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.ops.Op;
import dev.janus.trace.TraceOptions;
import dev.janus.trace.TracedFunction;
import dev.janus.trace.Tracer;
import example.traced.TracedModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traced models saved as archives: same outputs after loading, in this JVM and in a fresh one whose class path
 * holds neither the model classes nor the tracer.
 */
class TracedArchiveTest {
    @TempDir
    Path dir;

    @Test
    void tracedLenet_savedAndLoaded_givesTheEagerOutputs_hereAndInAFreshJvm() throws Exception {
        Janus.manualSeed(31);
        TracedModels.LeNet net = new TracedModels.LeNet();
        Tensor x = Tensor.randn(new Generator(32), 2, 1, 28, 28);
        TracedFunction<Tensor> traced = Tracer.trace(TracedModels.LeNet::forward, net, x);
        Path archive = dir.resolve("lenet.janus");
        ModelArchive.save(traced, archive);
        Tensor eager;
        try (var off = Janus.noGrad()) {
            eager = net.forward(x);
        }
        LoadedModel loaded = ModelArchive.load(archive);
        assertEquals("forward", loaded.name());
        assertArrayEquals(eager.toFloatArray(), loaded.run(x)[0].toFloatArray(), 1e-5f);
        float[] fresh = new ModelArchiveRedeployTest().runFreshIn(dir, archive, java.util.Map.of(
                loaded.signature().inputs().get(0).name(), x)).get("output0").toFloatArray();
        assertArrayEquals(eager.toFloatArray(), fresh, 1e-5f);
    }

    @Test
    void tracedRnnLoop_savedAndLoaded_servesEveryTripCount() throws Exception {
        TracedModels.Rnn rnn = new TracedModels.Rnn();
        Tensor h0 = Tensor.randn(new Generator(7), 8, 3);
        TracedFunction<Tensor> traced = Tracer.trace(TraceOptions.defaults().dynamicScalars(1), TracedModels.Rnn::forward, rnn, h0, 4);
        assertTrue(traced.graph().nodes().stream().anyMatch(n -> n.op() == Op.LOOP), traced.graph().toString());
        Path archive = dir.resolve("rnn.janus");
        ModelArchive.save(traced, archive);
        LoadedModel loaded = ModelArchive.load(archive);
        ModelArchiveRedeployTest fresh = new ModelArchiveRedeployTest();
        for (int steps : new int[] {1, 9, 30}) {
            float[] eager = rnn.forward(h0, steps).toFloatArray();
            Tensor trips = Tensor.scalar(steps, loaded.signature().inputs().get(1).spec().dtype());
            assertArrayEquals(eager, loaded.run(h0, trips)[0].toFloatArray(), 1e-5f, "T = " + steps);
            if (steps != 1) {
                java.util.Map<String, Tensor> in = java.util.Map.of(loaded.signature().inputs().get(0).name(), h0,
                        loaded.signature().inputs().get(1).name(), trips);
                assertArrayEquals(eager, fresh.runFreshIn(dir, archive, in).get("output0").toFloatArray(), 1e-5f,
                        "fresh JVM, T = " + steps);
            }
        }
        assertEquals(DType.INT64, loaded.signature().inputs().get(1).spec().dtype());
    }
}
