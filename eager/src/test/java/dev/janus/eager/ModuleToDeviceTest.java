package dev.janus.eager;

import static dev.janus.eager.EmulatedDeviceBackend.EMU;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Device;
import dev.janus.Tensor;
import dev.janus.nn.F;
import dev.janus.nn.Linear;
import dev.janus.nn.Module;
import dev.janus.nn.ReLU;
import dev.janus.nn.Sequential;
import dev.janus.optim.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;

/** module.to(device) rehomes parameters in place; training then runs on that device; mixing devices fails. */
class ModuleToDeviceTest {
    private static final float[] X = {0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f, 0f, -2f};
    private static final float[] Y = {1f, 0f, -1f, 0.5f, 0.25f, 2f};

    private static Sequential model() {
        return new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
    }

    private static float[] trainOneStep(Module m, Device d) {
        Tensor x = Tensor.of(X, 2, 4).to(d);
        Tensor y = Tensor.of(Y, 2, 3).to(d);
        SGD opt = new SGD(m.parameters(), 0.1);
        Tensor loss = F.mseLoss(m.forward(x), y);
        loss.backward();
        opt.step();
        return m.forward(x).toFloatArray();
    }

    @Test
    void to_movesEveryParameterInPlace_andTrainingMatchesTheCpu() {
        Sequential cpuModel = model();
        Sequential emuModel = model();
        emuModel.loadStateDict(cpuModel.stateDict(), true);
        List<Tensor> before = emuModel.parameters();

        Sequential returned = emuModel.to(EMU);

        assertSame(emuModel, returned);
        List<Tensor> after = emuModel.parameters();
        for (int i = 0; i < before.size(); i++) {
            assertSame(before.get(i), after.get(i), "parameter identity must survive the move");
            assertEquals(EMU, after.get(i).device());
        }
        float[] expected = trainOneStep(cpuModel, Device.CPU);
        float[] actual = trainOneStep(emuModel, EMU);
        assertArrayEquals(expected, actual, 0f);
        for (Tensor p : emuModel.parameters()) {
            assertEquals(EMU, p.grad().device(), "gradients are made on the parameters' device");
        }
    }

    @Test
    void to_andBack_keepsTheValuesAndGradients() {
        Sequential m = model();
        float[] w = m.parameters().get(0).toFloatArray();
        F.mseLoss(m.forward(Tensor.of(X, 2, 4)), Tensor.of(Y, 2, 3)).backward();
        float[] g = m.parameters().get(0).grad().toFloatArray();

        m.to(EMU).to(Device.CPU);

        assertEquals(Device.CPU, m.parameters().get(0).device());
        assertArrayEquals(w, m.parameters().get(0).toFloatArray(), 0f);
        assertEquals(Device.CPU, m.parameters().get(0).grad().device());
        assertArrayEquals(g, m.parameters().get(0).grad().toFloatArray(), 0f);
    }

    @Test
    void forward_withAnInputLeftOnTheCpu_namesBothDevices() {
        Sequential m = model().to(EMU);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.forward(Tensor.of(X, 2, 4)));
        assertTrue(e.getMessage().contains("cpu") && e.getMessage().contains("emu:0"), e.getMessage());
    }
}
