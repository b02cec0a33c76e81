package dev.janus.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.janus.Generator;
import dev.janus.Tensor;
import org.junit.jupiter.api.Test;

/** A LeNet-style CNN (Conv2d, max pooling, Linear) traced equals eager, for any batch size when dim 0 is dynamic. */
class TraceLeNetTest {
    private final TraceModels.LeNet net = new TraceModels.LeNet();

    private static Tensor images(long seed, int batch) {
        return Tensor.randn(new Generator(seed), batch, 1, 28, 28);
    }

    @Test
    void lenet_traced_matchesEager() {
        Tensor x = images(1, 4);
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.LeNet::forward, net, x);
        assertArrayEquals(net.forward(x).toFloatArray(), f.call(x).toFloatArray(), 1e-5f);
        Tensor y = images(2, 4);
        assertArrayEquals(net.forward(y).toFloatArray(), f.call(y).toFloatArray(), 1e-5f);
        assertEquals(1, f.traceCount());
    }

    @Test
    void lenet_dynamicBatch_oneGraphServesEveryBatchSize() {
        TracedFunction<Tensor> f = Tracer.trace(TraceOptions.defaults().dynamicDims(0, 0), TraceModels.LeNet::forward,
                net, images(3, 8));
        for (int batch : new int[] {1, 8, 13}) {
            Tensor x = images(batch, batch);
            assertArrayEquals(net.forward(x).toFloatArray(), f.call(x).toFloatArray(), 1e-5f, "batch " + batch);
        }
        assertEquals(1, f.traceCount(), f.explain());
    }

    /** Prints trace times: the first trace in this JVM (cold) and later traces of a fresh function (warm). */
    @Test
    void lenet_traceTime_isReported() {
        Tensor x = images(4, 16);
        long t0 = System.nanoTime();
        TracedFunction<Tensor> first = Tracer.trace(TraceModels.LeNet::forward, net, x);
        long cold = System.nanoTime() - t0;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            long t = System.nanoTime();
            Tracer.trace(TraceModels.LeNet::forward, net, x);
            best = Math.min(best, System.nanoTime() - t);
        }
        System.out.printf("LeNet trace: first in this JVM %.1f ms (trace part %.1f ms), warm best of 20 %.2f ms%n",
                cold / 1e6, first.lastTraceTime().toNanos() / 1e6, best / 1e6);
        assertEquals(1, first.traceCount());
    }
}
