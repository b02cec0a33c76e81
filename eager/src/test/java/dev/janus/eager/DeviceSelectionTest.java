package dev.janus.eager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Backend;
import dev.janus.spi.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Device.auto()'s choice and JANUS_DEVICE's meaning, with the backends passed in. */
class DeviceSelectionTest {
    private static final Device CUDA0 = new Device("cuda", 0);

    /** A backend that only answers which device it serves and whether it is usable. */
    private record FakeBackend(String deviceKind, boolean isAvailable, String reason) implements Backend {
        @Override
        public String unavailableReason() {
            return reason;
        }

        @Override
        public Buffer fromHost(Object array, DType dtype, Device device) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object toHost(Buffer buffer) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void copy(Buffer src, Buffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Buffer allocate(DType dtype, long numel) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Buffer execute(Op op, Attrs attrs, Buffer[] inputs, TensorSpec[] inputSpecs, TensorSpec outputSpec) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean hasNonFinite(Buffer buffer) {
            throw new UnsupportedOperationException();
        }
    }

    private static final Backend CPU = new FakeBackend("cpu", true, "");
    private static final Backend GPU = new FakeBackend("cuda", true, "");
    private static final Backend NO_GPU = new FakeBackend("cuda", false, "libcudart.so.13 not found");

    @Test
    void auto_cpuOnly_choosesCpuAndSaysNoCudaBackend() {
        DeviceSelection.Choice c = DeviceSelection.auto(List.of(CPU));
        assertEquals(Device.CPU, c.device());
        assertTrue(c.reason().contains("no CUDA backend"), c.reason());
    }

    @Test
    void auto_usableGpu_choosesCuda0() {
        DeviceSelection.Choice c = DeviceSelection.auto(List.of(CPU, GPU));
        assertEquals(CUDA0, c.device());
        assertTrue(c.reason().contains("usable GPU"), c.reason());
    }

    @Test
    void auto_unusableGpu_choosesCpuAndGivesBackendReason() {
        DeviceSelection.Choice c = DeviceSelection.auto(List.of(NO_GPU, CPU));
        assertEquals(Device.CPU, c.device());
        assertTrue(c.reason().contains("libcudart.so.13 not found"), c.reason());
    }

    @Test
    void fromSetting_unsetOrBlank_isCpuEvenWithGpu() {
        assertEquals(Device.CPU, DeviceSelection.fromSetting(null, List.of(CPU, GPU)));
        assertEquals(Device.CPU, DeviceSelection.fromSetting("  ", List.of(CPU, GPU)));
    }

    @Test
    void fromSetting_auto_followsAuto() {
        assertEquals(CUDA0, DeviceSelection.fromSetting("auto", List.of(CPU, GPU)));
        assertEquals(Device.CPU, DeviceSelection.fromSetting(" AUTO ", List.of(CPU, NO_GPU)));
    }

    @Test
    void fromSetting_namedDevices_parse() {
        assertEquals(Device.CPU, DeviceSelection.fromSetting("cpu", List.of(CPU)));
        assertEquals(CUDA0, DeviceSelection.fromSetting("cuda", List.of(CPU, GPU)));
        assertEquals(new Device("cuda", 2), DeviceSelection.fromSetting("Cuda:2", List.of(CPU, GPU)));
    }

    @Test
    void fromSetting_cudaWithoutUsableGpu_failsNamingVariableAndReason() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DeviceSelection.fromSetting("cuda", List.of(CPU, NO_GPU)));
        assertTrue(e.getMessage().contains("JANUS_DEVICE='cuda'"), e.getMessage());
        assertTrue(e.getMessage().contains("libcudart.so.13 not found"), e.getMessage());
    }

    @Test
    void fromSetting_cudaWithoutCudaBackend_failsNamingArtifact() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DeviceSelection.fromSetting("cuda:1", List.of(CPU)));
        assertTrue(e.getMessage().contains("JANUS_DEVICE='cuda:1'"), e.getMessage());
        assertTrue(e.getMessage().contains("janus-backend-cuda"), e.getMessage());
    }

    @Test
    void fromSetting_garbage_failsNamingVariableAndChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceSelection.fromSetting("gpu", List.of(CPU)));
        assertTrue(e.getMessage().contains("JANUS_DEVICE='gpu'"), e.getMessage());
        assertTrue(e.getMessage().contains("cpu, cuda, cuda:N or auto"), e.getMessage());
    }

    @Test
    void deviceAuto_onThisClassPath_isCpu() {
        assertEquals(Device.CPU, Device.auto());
    }
}
