package dev.janus.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Tensor;
import org.junit.jupiter.api.Test;

/** Guards, retraces and the trace cache. */
class TraceRetraceTest {
    private final TraceModels.Net net = new TraceModels.Net();

    private static Tensor batch(int n) {
        return Tensor.randn(new Generator(n), n, 8);
    }

    @Test
    void newBatchSize_retracesOnce_reasonNamesTheDim_andBothGraphsAreCached() {
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Net::forward, net, batch(32));
        Tensor x64 = batch(64);
        assertArrayEquals(net.forward(x64).toFloatArray(), f.call(x64).toFloatArray(), 1e-5f);
        assertEquals(2, f.traceCount());
        assertEquals("arg 0 (x): dim 0 was 32, now 64", f.retraceReasons().get(0));
        f.call(batch(32));
        f.call(x64);
        assertEquals(2, f.traceCount(), "both shapes are cached");
    }

    @Test
    void newDtype_retraceReasonNamesIt() {
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Gate::forward, new TraceModels.Gate(), batch(4));
        f.call(batch(4).cast(DType.FLOAT64));
        assertTrue(f.retraceReasons().get(0).contains("arg 0 (x): dtype was f32, now f64"), f.retraceReasons().toString());
    }

    @Test
    void dynamicBatchDim_noRetrace() {
        TracedFunction<Tensor> f = Tracer.trace(TraceOptions.defaults().dynamicDims(0, 0), TraceModels.Net::forward, net,
                batch(32));
        for (int n : new int[] {1, 64, 7}) {
            assertArrayEquals(net.forward(batch(n)).toFloatArray(), f.call(batch(n)).toFloatArray(), 1e-5f);
        }
        assertEquals(1, f.traceCount());
        assertTrue(f.guards().stream().noneMatch(g -> g.kind() == Guard.Kind.DIM && g.dim() == 0), f.guards().toString());
    }

    @Test
    void failPolicy_throwsNamingTheGuard() {
        TracedFunction<Tensor> f = Tracer.trace(TraceOptions.defaults().policy(RetracePolicy.FAIL),
                TraceModels.Net::forward, net, batch(32));
        TraceException e = assertThrows(TraceException.class, () -> f.call(batch(16)));
        assertTrue(e.getMessage().contains("dim 0 was 32, now 16"), e.getMessage());
    }

    @Test
    void generalizePolicy_makesTheChangedDimDynamic() {
        TracedFunction<Tensor> f = Tracer.trace(TraceOptions.defaults().policy(RetracePolicy.GENERALIZE),
                TraceModels.Net::forward, net, batch(32));
        f.call(batch(16));
        f.call(batch(5));
        assertEquals(2, f.traceCount());
        assertArrayEquals(net.forward(batch(5)).toFloatArray(), f.call(batch(5)).toFloatArray(), 1e-5f);
    }

    @Test
    void trainingModeChange_retraces() {
        TraceModels.Net m = new TraceModels.Net();
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Net::forward, m, batch(4));
        m.eval();
        f.call(batch(4));
        assertEquals("receiver: training mode was true, now false", f.retraceReasons().get(0));
    }

    @Test
    void readingADynamicDim_specializesTheGraphOnIt() {
        TracedFunction<Object> f = Tracer.trace(TraceOptions.defaults().dynamicDims(0, 0), new Reshaper(), "forward",
                batch(6));
        assertTrue(f.guards().contains(new Guard(0, "x", Guard.Kind.DIM, 0, 6L)), f.guards().toString());
        f.call(batch(3));
        assertEquals(2, f.traceCount());
        assertEquals("arg 0 (x): dim 0 was 6, now 3", f.retraceReasons().get(0));
    }

    /** Reads the batch size: a graph for one size only. */
    static final class Reshaper {
        public Tensor forward(Tensor x) {
            return x.reshape(x.dim(0) * 2, 4);
        }
    }
}
