package dev.janus.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import dev.janus.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs each traced-vs-eager benchmark body once (one workload each) and checks that the modes compute the same
 * thing: eager, traced and the ONNX Runtime export of the trace; the eager and traced training steps.
 */
class TracedVsEagerSmokeTest {
    static final float FORWARD_TOLERANCE = 1e-5f;
    /** ONNX Runtime sums in another order (and fuses differently): relative to the output's largest magnitude. */
    static final double ORT_TOLERANCE = 1e-4;
    static final double LOSS_TOLERANCE = 1e-5;

    final TracedVsEagerBenchmark bench = new TracedVsEagerBenchmark();

    @ParameterizedTest
    @ValueSource(strings = {"mlp_b1", "mlp_b64", "lenet_b64", "rnn", "lstm", "transformer"})
    void forward_tracedAndOnnxRuntimeMatchEager(String workload) throws OrtException {
        TracedVsEagerBenchmark.Eager eager = new TracedVsEagerBenchmark.Eager();
        TracedVsEagerBenchmark.Traced traced = new TracedVsEagerBenchmark.Traced();
        TracedVsEagerBenchmark.OnnxRuntime ort = new TracedVsEagerBenchmark.OnnxRuntime();
        eager.workload = workload;
        traced.workload = workload;
        ort.workload = workload;
        eager.setup();
        traced.setup();
        ort.setup();
        try {
            Tensor e = (Tensor) bench.forwardEager(eager);
            Tensor t = (Tensor) bench.forwardTraced(traced);
            assertArrayEquals(e.shape().dims(), t.shape().dims());
            assertArrayEquals(e.toFloatArray(), t.toFloatArray(), FORWARD_TOLERANCE);
            assertEquals(1, bench.forwardOnnxRuntime(ort));
            assertClose(e.toFloatArray(), ort.ort.runToArray());
        } finally {
            ort.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp_train", "lenet_train"})
    void trainStep_tracedLossMatchesEagerBeforeAndAfterOneStep(String workload) {
        TracedVsEagerBenchmark.TrainEager eager = new TracedVsEagerBenchmark.TrainEager();
        TracedVsEagerBenchmark.TrainTraced traced = new TracedVsEagerBenchmark.TrainTraced();
        eager.workload = workload;
        traced.workload = workload;
        eager.setup();
        traced.setup();
        double eagerFirst = (Double) bench.trainEager(eager);
        double tracedFirst = (Double) bench.trainTraced(traced);
        assertEquals(eagerFirst, tracedFirst, LOSS_TOLERANCE, "loss before the measured step's update");
        // each step returns the loss before its update, so the second call gives the loss after one more step
        double eagerSecond = (Double) bench.trainEager(eager);
        double tracedSecond = (Double) bench.trainTraced(traced);
        assertEquals(eagerSecond, tracedSecond, LOSS_TOLERANCE, "loss after one more SGD step");
        assertTrue(eagerSecond < eagerFirst, eagerFirst + " -> " + eagerSecond);
    }

    @Test
    void workloads_unknownNameIsRefusedWithTheKnownOnes() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Workloads.get("resnet"));
        assertTrue(e.getMessage().contains("mlp_b1"), e.getMessage());
    }

    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "element count");
        double scale = 1;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(expected[i] - actual[i]);
            assertTrue(diff <= ORT_TOLERANCE * scale, "element " + i + ": Janus " + expected[i] + ", ONNX Runtime "
                    + actual[i]);
        }
    }
}
