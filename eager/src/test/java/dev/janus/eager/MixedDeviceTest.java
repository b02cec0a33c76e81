package dev.janus.eager;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.Shape;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Backend;
import org.junit.jupiter.api.Test;

/** An op whose inputs live on different devices fails before any kernel runs, naming both and the op. */
class MixedDeviceTest {
    private static EagerTensor scalarOn(Device device) {
        // NOTE: the buffer is a CPU buffer labelled with another device; the engine must refuse it before the
        // backend sees it, so no CUDA backend is needed to test the check.
        Backend cpu = EagerFactory.backend(Device.CPU);
        return new EagerTensor(cpu.fromHost(new float[] {1f}, DType.FLOAT32, Device.CPU),
                new TensorSpec(DType.FLOAT32, Shape.scalar()), cpu, device);
    }

    @Test
    void apply_inputsOnCpuAndCuda_namesBothDevicesAndOp() {
        EagerTensor a = scalarOn(Device.CPU);
        EagerTensor b = scalarOn(new Device("cuda", 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EagerEngine.INSTANCE.apply(Op.ADD, Attrs.NONE, a, b));
        String m = e.getMessage();
        assertTrue(m.contains("cpu") && m.contains("cuda:0") && m.contains("'" + Op.ADD.opName() + "'"), m);
    }
}
