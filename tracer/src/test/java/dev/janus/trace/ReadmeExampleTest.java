package dev.janus.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.graph.Node;
import dev.janus.ops.Op;
import org.junit.jupiter.api.Test;

/** The tracing example of the README, as written there. */
class ReadmeExampleTest {
    static class Rnn {
        final Tensor w = Tensor.randn(16, 16).mul(0.3), b = Tensor.zeros(16, 1);

        Tensor forward(Tensor h, int steps) {
            for (int t = 0; t < steps; t++) {
                h = w.matmul(h).add(b).tanh();
            }
            return h;
        }
    }

    @Test
    void readmeRnn_oneGraphForEveryNumberOfSteps() {
        Janus.manualSeed(42);
        Rnn rnn = new Rnn();
        TracedFunction<Tensor> f = Tracer.trace(TraceOptions.defaults().dynamicScalars(1), Rnn::forward, rnn,
                Tensor.randn(16, 4), 5);
        Tensor h0 = Tensor.randn(16, 4);
        for (int steps : new int[] {50, 1, 7}) {
            assertArrayEquals(rnn.forward(h0, steps).toFloatArray(), f.call(h0, steps).toFloatArray(), 1e-5f);
        }
        assertEquals(1, f.traceCount());
        assertEquals(1, f.graph().nodes().stream().filter(n -> n.op() == Op.LOOP).count(), f.graph().toString());
        assertTrue(f.explain().contains("ReadmeExampleTest.java"), f.explain());
        assertTrue(f.graph().nodes().stream().map(Node::op).noneMatch(op -> op == Op.TANH), "tanh lives in the loop body");
    }
}
