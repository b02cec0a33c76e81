package dev.janus.eager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Backend;
import org.junit.jupiter.api.Test;

/**
 * An op whose inputs live on different devices fails before any kernel runs, naming both and the op; a 0-d
 * CPU tensor is the one exception (it is copied to the other input's device, like PyTorch's CPU scalars).
 */
class MixedDeviceTest {
    private static EagerTensor vectorOn(Device device) {
        // NOTE: the buffer is a CPU buffer labelled with another device; the engine must refuse it before the
        // backend sees it, so no CUDA backend is needed to test the check.
        Backend cpu = EagerFactory.backend(Device.CPU);
        return new EagerTensor(cpu.fromHost(new float[] {1f}, DType.FLOAT32, Device.CPU),
                new TensorSpec(DType.FLOAT32, Shape.of(1)), cpu, device);
    }

    @Test
    void apply_inputsOnCpuAndCuda_namesBothDevicesAndOp() {
        EagerTensor a = vectorOn(Device.CPU);
        EagerTensor b = vectorOn(new Device("cuda", 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EagerEngine.INSTANCE.apply(Op.ADD, Attrs.NONE, a, b));
        String m = e.getMessage();
        assertTrue(m.contains("cpu") && m.contains("cuda:0") && m.contains("'" + Op.ADD.opName() + "'"), m);
    }

    @Test
    void apply_aCpuScalarJoinsAnOpOnAnotherDevice() {
        Tensor onEmu = Tensor.of(new float[] {1f, 2f}).to(EmulatedDeviceBackend.EMU);
        Tensor sum = onEmu.add(Tensor.scalar(0.5, DType.FLOAT32));
        assertEquals(EmulatedDeviceBackend.EMU, sum.device());
        assertArrayEquals(new float[] {1.5f, 2.5f}, sum.toFloatArray());
        Tensor vector = Tensor.of(new float[] {0.5f});
        assertThrows(IllegalArgumentException.class, () -> onEmu.add(vector), "only 0-d CPU tensors may join");
    }
}
