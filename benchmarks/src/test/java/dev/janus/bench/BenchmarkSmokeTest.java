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
    void lenetConv_producesLeNetShape() {
        ConvBenchmark b = new ConvBenchmark();
        b.setup();
        assertArrayEquals(new long[] {64, 6, 24, 24}, b.lenetConv2d().shape().dims());
    }
}
