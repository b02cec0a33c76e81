package dev.janus.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.janus.Tensor;
import org.junit.jupiter.api.Test;

/** Runs each traced-vs-eager benchmark body once and checks that both modes compute the same thing. */
class TracedVsEagerSmokeTest {
    final TracedVsEagerBenchmark bench = new TracedVsEagerBenchmark();

    @Test
    void seedRnn_tracedMatchesEager() {
        TracedVsEagerBenchmark.Rnn s = new TracedVsEagerBenchmark.Rnn();
        s.setup();
        assertSameTensor(bench.rnnEager(s), bench.rnnTraced(s), new long[] {256, 32});
    }

    @Test
    void lstm_tracedMatchesEager() {
        TracedVsEagerBenchmark.Lstm s = new TracedVsEagerBenchmark.Lstm();
        s.setup();
        assertSameTensor(bench.lstmEager(s), bench.lstmTraced(s), new long[] {50, 32, 256});
    }

    @Test
    void traceLeNet_tracesOnce() {
        TracedVsEagerBenchmark.LeNetTrace s = new TracedVsEagerBenchmark.LeNetTrace();
        s.setup();
        assertEquals(1, bench.traceLeNet(s).traceCount());
    }

    private static void assertSameTensor(Tensor eager, Tensor traced, long[] shape) {
        assertArrayEquals(shape, eager.shape().dims());
        assertArrayEquals(shape, traced.shape().dims());
        assertArrayEquals(eager.toFloatArray(), traced.toFloatArray(), 1e-5f);
    }
}
