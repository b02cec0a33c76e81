package dev.janus.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Runs each benchmark body once so the suite keeps compiling and running; timings are JMH's job. */
class BenchmarkSmokeTest {
    @Test
    void tinyAdd_runs() {
        TinyOpBenchmark b = new TinyOpBenchmark();
        b.setup();
        assertArrayEquals(new float[] {4, 6}, b.add().toFloatArray());
    }

    @Test
    void matmul_producesSquareResult() {
        MatmulBenchmark b = new MatmulBenchmark();
        b.n = 256;
        b.setup();
        assertArrayEquals(new long[] {256, 256}, b.matmul().shape().dims());
    }

    @Test
    void lenetTrainStep_lossIsFiniteAndFalls() {
        LeNetTrainBenchmark b = new LeNetTrainBenchmark();
        b.setup();
        double first = b.trainStep();
        double later = first;
        for (int i = 0; i < 20; i++) {
            later = b.trainStep();
        }
        // the same batch 21 times: training must have reduced its loss
        org.junit.jupiter.api.Assertions.assertTrue(Double.isFinite(later) && later < first, first + " -> " + later);
    }

    @Test
    void lenetConv_producesLeNetShape() {
        ConvBenchmark b = new ConvBenchmark();
        b.setup();
        assertArrayEquals(new long[] {64, 6, 24, 24}, b.lenetConv2d().shape().dims());
    }
}
