package dev.janus.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.janus.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An observer sees each op run on its thread, with its output, and not the ops it runs itself. */
class DispatchObserverTest {
    @Test
    void observer_seesEachOpWithItsOutput_untilItsScopeCloses() {
        Tensor x = Tensor.of(new float[] {1, -2});
        List<Op> ops = new ArrayList<>();
        List<Tensor> outs = new ArrayList<>();
        try (var seen = Dispatch.observe((op, attrs, in, out) -> {
            ops.add(op);
            outs.add(out);
            out.mul(2.0); // not shown to the observer
        })) {
            x.neg().relu();
        }
        x.exp();
        assertEquals(List.of(Op.NEG, Op.RELU), ops);
        assertArrayEquals(new float[] {0, 2}, outs.get(1).toFloatArray());
    }

    @Test
    void observerOnAnotherThread_doesNotSeeThisThreadsOps() throws InterruptedException {
        List<Op> ops = new ArrayList<>();
        Thread other = new Thread(() -> {
            try (var seen = Dispatch.observe((op, attrs, in, out) -> ops.add(op))) {
                Tensor.of(new float[] {1}).neg();
            }
        });
        other.start();
        other.join();
        Tensor.of(new float[] {1}).exp();
        assertEquals(List.of(Op.NEG), ops);
    }
}
