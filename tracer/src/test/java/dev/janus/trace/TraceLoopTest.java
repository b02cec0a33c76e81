package dev.janus.trace;

import static dev.janus.trace.TraceSeedTest.count;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Tensor;
import dev.janus.ops.Op;
import org.junit.jupiter.api.Test;

/** Loops on tensor data or dynamic scalars become LOOP nodes; loops on concrete values unroll. */
class TraceLoopTest {
    private final TraceModels.Loops loops = new TraceModels.Loops();
    private final Tensor x = Tensor.of(new float[] {3f, -1f, 2f, 0.5f});

    private static void assertClose(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 1e-5f);
    }

    @Test
    void whileOnTensorData_recordsALoopWithACondition() {
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Loops::halve, loops, x);
        assertEquals(1, count(f.graph(), Op.LOOP), f.graph().toString());
        for (float scale : new float[] {1f, 0.01f, 40f}) {
            Tensor in = x.mul((double) scale);
            assertClose(loops.halve(in), f.call(in));
        }
        assertTrue(f.graph().toString().contains("loop(") && f.graph().toString().contains(
                SourceLines.at("TraceModels.java", "@halve-while")), f.graph().toString());
    }

    @Test
    void doWhileOnTensorData_runsTheBodyOnceThenLoops() {
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Loops::doubleUntil, loops, x);
        assertEquals(1, count(f.graph(), Op.LOOP), f.graph().toString());
        for (float scale : new float[] {1f, 0.001f, 100f}) {
            Tensor in = x.mul((double) scale);
            assertClose(loops.doubleUntil(in), f.call(in));
        }
    }

    @Test
    void countedLoopCarryingTensorAndNumber_withAnIfInside_matchesEager() {
        TracedFunction<Tensor> f = Tracer.trace(TraceOptions.defaults().dynamicScalars(1), TraceModels.Loops::accumulate,
                loops, x, 4);
        assertEquals(1, count(f.graph(), Op.LOOP), f.graph().toString());
        assertEquals(1, count(f.graph(), Op.IF), f.graph().toString());
        for (int n : new int[] {0, 1, 4, 9}) {
            assertClose(loops.accumulate(x, n), f.call(x, n));
        }
        assertEquals(1, f.traceCount());
    }

    @Test
    void loopOnAConcreteCount_unrolls() {
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Loops::unrolled, loops, x);
        assertEquals(0, count(f.graph(), Op.LOOP));
        assertEquals(3, count(f.graph(), Op.RELU));
        assertClose(loops.unrolled(x), f.call(x));
    }

    @Test
    void objectsCreatedInsideALoopBody_mayBeFilledThere() {
        TracedFunction<Tensor> f = Tracer.trace(TraceOptions.defaults().dynamicScalars(1),
                TraceModels.Loops::freshObjects, loops, x, 2);
        assertEquals(1, count(f.graph(), Op.LOOP));
        for (int n : new int[] {0, 3}) {
            assertClose(loops.freshObjects(x, n), f.call(x, n));
        }
    }

    @Test
    void listFilledByACountedLoop_returnedAsAList_hasOneTensorPerIteration() {
        TracedFunction<java.util.List<Tensor>> f = Tracer.trace(TraceOptions.defaults().dynamicScalars(1),
                TraceModels.Loops::trajectory, loops, x, 2);
        assertEquals(1, count(f.graph(), Op.LOOP), f.graph().toString());
        for (int n : new int[] {0, 2, 5}) {
            java.util.List<Tensor> expected = loops.trajectory(x, n);
            java.util.List<Tensor> actual = f.call(x, n);
            assertEquals(expected.size(), actual.size());
            for (int i = 0; i < expected.size(); i++) {
                assertClose(expected.get(i), actual.get(i));
            }
        }
    }

    @Test
    void listFilledByAWhileLoop_stackedAlongAxis1_matchesEager() {
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Loops::halvings, loops, x);
        assertEquals(1, count(f.graph(), Op.LOOP), f.graph().toString());
        for (float scale : new float[] {1f, 0.01f, 40f}) {
            Tensor in = x.mul((double) scale);
            Tensor expected = loops.halvings(in);
            Tensor actual = f.call(in);
            assertArrayEquals(expected.shape().dims(), actual.shape().dims());
            assertClose(expected, actual);
        }
    }

    @Test
    void whileTrueWithABreakEndingTheBody_isADoWhileLoop() {
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Loops::halveUntilSmall, loops, x);
        assertEquals(1, count(f.graph(), Op.LOOP), f.graph().toString());
        for (float scale : new float[] {1f, 0.01f, 40f}) {
            Tensor in = x.mul((double) scale);
            assertClose(loops.halveUntilSmall(in), f.call(in));
        }
    }

    @Test
    void continueUnderADataDependentCondition_insideACountedLoop_matchesEager() {
        TracedFunction<Tensor> f = Tracer.trace(TraceOptions.defaults().dynamicScalars(1), TraceModels.Loops::skipLarge,
                loops, x, 3);
        assertEquals(1, count(f.graph(), Op.LOOP), f.graph().toString());
        Tensor small = x.mul(-1.0);
        for (int n : new int[] {0, 2, 6}) {
            assertClose(loops.skipLarge(x, n), f.call(x, n));
            assertClose(loops.skipLarge(small, n), f.call(small, n));
        }
    }
}
