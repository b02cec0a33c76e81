package dev.janus.eager;

import static dev.janus.eager.EmulatedDeviceBackend.EMU;
import static dev.janus.eager.EmulatedDeviceBackend.LIVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.TensorScope;
import dev.janus.nn.F;
import dev.janus.nn.Linear;
import dev.janus.nn.ReLU;
import dev.janus.nn.Sequential;
import dev.janus.optim.Adam;
import org.junit.jupiter.api.Test;

/**
 * Device memory comes back deterministically: on close and at the end of a TensorScope. The emulated device counts references like a GPU buffer and refuses any use after free, so a
 * release that comes too early fails here instead of corrupting memory on a GPU.
 */
class TensorLifetimeTest {
    private static Tensor emu(float... values) {
        return Tensor.of(values).to(EMU);
    }

    @Test
    void close_givesTheMemoryBack_andALaterUseNamesTheOp() {
        Tensor x = emu(1, 2, 3);
        long before = LIVE.get();
        Tensor y = x.exp();
        assertEquals(before + 1, LIVE.get());
        y.close();
        y.close(); // twice is harmless
        assertEquals(before, LIVE.get());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.add(x));
        assertTrue(e.getMessage().contains("op 'add'") && e.getMessage().contains("was closed"), e.getMessage());
        assertThrows(IllegalStateException.class, y::toFloatArray);
    }

    @Test
    void sharedMemory_livesUntilTheLastTensorCloses() {
        Tensor a = emu(1, 2, 3, 4).exp();
        long live = LIVE.get();
        Tensor view = a.reshape(2, 2);
        Tensor detached = a.detach();
        a.close();
        view.close();
        assertEquals(live, LIVE.get(), "one tensor still holds the memory");
        assertEquals((float) Math.exp(4), detached.toFloatArray()[3], 1e-5f);
        detached.close();
        assertEquals(live - 1, LIVE.get());
    }

    @Test
    void scope_closesWhatItMade_exceptKeptTensors() {
        Tensor x = emu(1, 2, 3);
        long before = LIVE.get();
        Tensor kept;
        try (TensorScope scope = Janus.tensorScope()) {
            Tensor h = x.mul(2).add(1).tanh();
            kept = scope.keep(h.sum());
        }
        assertEquals(before + 1, LIVE.get(), "only the kept result survives");
        assertEquals((float) (Math.tanh(3) + Math.tanh(5) + Math.tanh(7)), kept.toFloatArray()[0], 1e-5f);
        assertEquals(3, x.toFloatArray().length, "tensors made before the scope are not its to close");
    }

    @Test
    void nestedScopes_keepHandsTheTensorToTheOuterScope() {
        Tensor x = emu(1, 2);
        long before = LIVE.get();
        try (TensorScope outer = Janus.tensorScope()) {
            Tensor inner;
            try (TensorScope s = Janus.tensorScope()) {
                inner = s.keep(x.neg());
            }
            assertEquals(-2f, inner.toFloatArray()[1]);
        }
        assertEquals(before, LIVE.get());
    }

    @Test
    void thousandTrainingSteps_inScopes_returnToTheBaselineEveryStep() {
        Sequential model = new Sequential(new Linear(6, 16), new ReLU(), new Linear(16, 2)).to(EMU);
        Adam opt = new Adam(model.parameters(), 1e-3);
        Tensor x = Tensor.randn(32, 6).to(EMU);
        Tensor y = Tensor.randn(32, 2).to(EMU);
        long baseline = -1;
        float first = 0;
        float last = 0;
        for (int step = 0; step < 1000; step++) {
            try (TensorScope scope = Janus.tensorScope()) {
                opt.zeroGrad();
                Tensor loss = F.mseLoss(model.forward(x), y);
                loss.backward();
                opt.step();
                last = loss.toFloatArray()[0];
            }
            if (step == 0) {
                first = last;
            }
            if (step == 1) {
                baseline = LIVE.get(); // after the optimizer made its state and the gradients exist
            } else if (step > 1) {
                assertEquals(baseline, LIVE.get(), "device buffers alive after step " + step);
            }
        }
        assertTrue(last < first, "training still trains: loss " + first + " -> " + last);
        Tensor grad = model.parameters().get(0).grad();
        IllegalStateException e = assertThrows(IllegalStateException.class, grad::toFloatArray);
        assertTrue(e.getMessage().contains("was closed"), "gradients close with the step's scope: " + e.getMessage());
    }
}
