package dev.janus.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Generator;
import dev.janus.Tensor;
import dev.janus.graph.Graph;
import dev.janus.graph.Node;
import dev.janus.ops.Op;
import org.junit.jupiter.api.Test;

/** The seed: {@code for (t < T) h = tanh(W h + b)} traced once with T dynamic serves every T. */
class TraceSeedTest {
    private final TraceModels.Rnn rnn = new TraceModels.Rnn(4, 7);
    private final Tensor h0 = Tensor.randn(new Generator(3), 4, 1);

    static long count(Graph g, Op op) {
        long n = 0;
        for (Node node : g.nodes()) {
            n += node.op() == op ? 1 : 0;
            for (Graph sub : node.subgraphs()) {
                n += count(sub, op);
            }
        }
        return n;
    }

    @Test
    void seedLoop_dynamicTripCount_oneGraphMatchesEagerForEveryT() {
        TracedFunction<Tensor> f = Tracer.trace(TraceOptions.defaults().dynamicScalars(1), TraceModels.Rnn::forward,
                rnn, h0, 5);
        for (int t : new int[] {1, 5, 50, 0}) {
            assertArrayEquals(rnn.forward(h0, t).toFloatArray(), f.call(h0, t).toFloatArray(), 1e-5f, "T=" + t);
        }
        assertEquals(1, count(f.graph(), Op.LOOP), f.graph().toString());
        assertEquals(1, f.traceCount());
    }

    @Test
    void seedLoop_byName_loopReadsTheTripCountInputDirectly() {
        TracedFunction<Object> f = Tracer.trace(TraceOptions.defaults().dynamicScalars(1), rnn, "forward", h0, 3);
        String text = f.graph().toString();
        assertTrue(text.contains("= loop(%steps, "), text);
        assertTrue(text.contains("TraceModels.java:" + SourceLines.lineOf("TraceModels.java", "@seed-body")), text);
        assertArrayEquals(rnn.forward(h0, 9).toFloatArray(), ((Tensor) f.call(h0, 9)).toFloatArray(), 1e-5f);
    }

    @Test
    void seedLoop_staticTripCount_unrollsAndRetracesOnANewValue() {
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Rnn::forward, rnn, h0, 3);
        assertEquals(0, count(f.graph(), Op.LOOP));
        assertEquals(3, count(f.graph(), Op.TANH));
        assertArrayEquals(rnn.forward(h0, 4).toFloatArray(), f.call(h0, 4).toFloatArray(), 1e-5f);
        assertEquals(2, f.traceCount());
        assertTrue(f.retraceReasons().get(0).contains("value was 3, now 4"), f.retraceReasons().toString());
    }
}
