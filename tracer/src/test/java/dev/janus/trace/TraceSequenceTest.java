package dev.janus.trace;

import static dev.janus.trace.TraceSeedTest.count;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.ops.Op;
import org.junit.jupiter.api.Test;

/** LSTMs over sequences: the library layer (executed, unrolled) and a user-written cell loop over a dynamic T. */
class TraceSequenceTest {
    private final SequenceModels.ManualLstm manual = new SequenceModels.ManualLstm(8, 16, 3);

    private static Tensor sequence(long seed, int time) {
        return Tensor.randn(new Generator(seed), time, 3, 8);
    }

    private static void assertClose(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape().dims(), actual.shape().dims());
        assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 1e-5f);
    }

    @Test
    void libraryLstm_insideAUserModule_tracedEqualsEager() {
        Janus.manualSeed(4);
        SequenceModels.Tagger tagger = new SequenceModels.Tagger();
        Tensor x = sequence(1, 7);
        TracedFunction<Tensor> f = Tracer.trace(SequenceModels.Tagger::forward, tagger, x);
        Tensor y = sequence(2, 7);
        assertClose(tagger.forward(x), f.call(x));
        assertClose(tagger.forward(y), f.call(y));
        assertEquals(0, count(f.graph(), Op.LOOP), "the library's loop over time steps unrolls");
        assertTrue(f.graph().toString().contains("%lstm.weight_hh_l0"), f.graph().toString());
    }

    @Test
    void libraryLstm_onADynamicSequenceLength_isSpecializedOnIt() {
        Janus.manualSeed(4);
        SequenceModels.Tagger tagger = new SequenceModels.Tagger();
        TracedFunction<Tensor> f = Tracer.trace(TraceOptions.defaults().dynamicDims(0, 0), SequenceModels.Tagger::forward,
                tagger, sequence(1, 7));
        assertTrue(f.guards().stream().anyMatch(g -> g.toString().contains("dim 0 == 7")), f.explain());
        Tensor longer = sequence(2, 9);
        assertClose(tagger.forward(longer), f.call(longer));
        assertEquals(2, f.traceCount(), "the layer's loop over time steps was unrolled for 7 steps");
    }

    @Test
    void userLstmCellLoop_overADynamicT_isOneLoopThatSelectsStepT() {
        TracedFunction<Tensor> f = Tracer.trace(TraceOptions.defaults().dynamicDims(0, 0).dynamicScalars(1),
                SequenceModels.ManualLstm::forward, manual, sequence(1, 5), 5);
        assertEquals(1, count(f.graph(), Op.LOOP), f.graph().toString());
        assertTrue(f.graph().toString().contains("gather(") && f.graph().toString().contains(
                SourceLines.at("SequenceModels.java", "@lstm-select")), f.graph().toString());
        for (int time : new int[] {5, 1, 12}) {
            Tensor x = sequence(time, time);
            for (int steps : new int[] {time, time / 2, 0}) {
                assertClose(manual.forward(x, steps), f.call(x, steps));
            }
        }
        assertEquals(1, f.traceCount(), f.explain());
    }

    @Test
    void perStepOutputsCollectedInAList_areTheLoopsScannedOutput() {
        TracedFunction<Tensor> f = Tracer.trace(TraceOptions.defaults().dynamicDims(0, 0).dynamicScalars(1),
                SequenceModels.ManualLstm::sequence, manual, sequence(1, 4), 4);
        assertEquals(1, count(f.graph(), Op.LOOP), f.graph().toString());
        for (int time : new int[] {4, 1, 9}) {
            Tensor x = sequence(time, time);
            assertClose(manual.sequence(x, time), f.call(x, time));
            assertClose(manual.sequence(x, (time + 1) / 2), f.call(x, (time + 1) / 2));
        }
        assertArrayEquals(new long[] {0, 3, 16}, f.call(sequence(5, 5), 0).shape().dims(), "no iteration, no rows");
        assertEquals(1, f.traceCount(), f.explain());
    }

    @Test
    void narrowFromADynamicStart_gathersTheWindow() {
        Tensor x = sequence(3, 6);
        TracedFunction<Tensor> f = Tracer.trace(TraceOptions.defaults().dynamicScalars(1),
                SequenceModels.ManualLstm::window, manual, x, 0);
        for (int start : new int[] {0, 3, 4, -2}) {
            assertClose(manual.window(x, start), f.call(x, start));
        }
        assertEquals(1, f.traceCount());
    }
}
