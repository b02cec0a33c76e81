package dev.janus.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.graph.passes.PassManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Writes into live tensors recorded during a capture are carried out by writeBack after each run. */
class StatefulCaptureTest {
    @Test
    void assignIntoALiveTensor_isWrittenBackAfterEachRun() {
        Tensor total = Tensor.zeros(3);
        StatefulCapture c = StatefulCapture.capture(Map.of(), in -> {
            total.assign(total.add(in[0]));
            return List.of(total.mul(2.0));
        }, InputSpec.of(DType.FLOAT32, 3));
        assertTrue(c.writes());
        assertEquals(1, c.resultCount());
        assertSame(total, c.targets().get(0));
        assertArrayEquals(new float[] {0, 0, 0}, total.toFloatArray(), "capturing writes nothing");

        CompiledGraph g = new CompiledGraph(PassManager.forExecution().apply(c.graph()));
        Tensor x = Tensor.of(new float[] {1, 2, 3});
        Tensor[] first = c.writeBack(g.run(x));
        assertEquals(1, first.length);
        assertArrayEquals(new float[] {2, 4, 6}, first[0].toFloatArray(), "reads after the write see the new value");
        c.writeBack(g.run(x));
        assertArrayEquals(new float[] {2, 4, 6}, total.toFloatArray(), "each run reads the live value");
    }

    @Test
    void backwardDuringACapture_leavesTheEagerGradientAsItWas() {
        Tensor w = Tensor.of(new float[] {1, 2}).requiresGrad(true);
        Tensor before = Tensor.of(new float[] {7, 7});
        w.setGrad(before);
        StatefulCapture c = StatefulCapture.capture(Map.of(w, "w"), in -> {
            Tensor loss = w.mul(in[0]).sum();
            loss.backward();
            w.grad().mul(1.0); // the recorded gradient is visible inside the capture
            return List.of(loss);
        }, InputSpec.of(DType.FLOAT32, 2));
        assertSame(before, w.grad());
        assertFalse(c.writes());
    }

    @Test
    void writeBack_withTheWrongNumberOfOutputs_says() {
        Tensor s = Tensor.zeros(1);
        StatefulCapture c = StatefulCapture.capture(Map.of(), in -> {
            s.assign(in[0]);
            return List.of(in[0]);
        }, InputSpec.of(DType.FLOAT32, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.writeBack(new Tensor[1]));
        assertTrue(e.getMessage().contains("1 results and 1 written"), e.getMessage());
    }
}
