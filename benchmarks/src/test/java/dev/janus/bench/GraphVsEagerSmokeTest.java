package dev.janus.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs each graph-vs-eager benchmark body once and checks that both modes compute the same thing. */
class GraphVsEagerSmokeTest {
    static final float FORWARD_TOLERANCE = 1e-5f;
    static final double LOSS_TOLERANCE = 1e-5;

    final GraphVsEagerBenchmark bench = new GraphVsEagerBenchmark();

    @ParameterizedTest
    @ValueSource(ints = {1, 64})
    void mlpForward_graphMatchesEager(int batch) {
        GraphVsEagerBenchmark.MlpForward s = new GraphVsEagerBenchmark.MlpForward();
        s.batch = batch;
        s.setup();
        assertSameTensor(bench.mlpForwardEager(s), bench.mlpForwardGraph(s), new long[] {batch, 10});
    }

    @Test
    void lenetForward_graphMatchesEager() {
        GraphVsEagerBenchmark.LeNetForward s = new GraphVsEagerBenchmark.LeNetForward();
        s.setup();
        assertSameTensor(bench.lenetForwardEager(s), bench.lenetForwardGraph(s), new long[] {64, 10});
    }

    @Test
    void mlpTrainStep_graphLossMatchesEagerBeforeAndAfterOneStep() {
        GraphVsEagerBenchmark.MlpTrainEager eager = new GraphVsEagerBenchmark.MlpTrainEager();
        GraphVsEagerBenchmark.MlpTrainGraph graph = new GraphVsEagerBenchmark.MlpTrainGraph();
        eager.setup();
        graph.setup();
        double eagerFirst = bench.mlpTrainEager(eager);
        double graphFirst = bench.mlpTrainGraph(graph);
        assertEquals(eagerFirst, graphFirst, LOSS_TOLERANCE, "loss before any update");
        // each step returns the loss before its update, so the second call gives the loss after one step
        double eagerSecond = bench.mlpTrainEager(eager);
        double graphSecond = bench.mlpTrainGraph(graph);
        assertEquals(eagerSecond, graphSecond, LOSS_TOLERANCE, "loss after one SGD step");
        assertTrue(eagerSecond < eagerFirst, eagerFirst + " -> " + eagerSecond);
    }

    private static void assertSameTensor(Tensor eager, Tensor graph, long[] shape) {
        assertArrayEquals(shape, eager.shape().dims());
        assertArrayEquals(shape, graph.shape().dims());
        assertArrayEquals(eager.toFloatArray(), graph.toFloatArray(), FORWARD_TOLERANCE);
    }
}
