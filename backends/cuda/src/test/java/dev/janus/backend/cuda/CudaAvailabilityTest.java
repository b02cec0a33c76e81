package dev.janus.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.spi.Backend;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** On a machine without CUDA (CI): the backend is found, says no without throwing, and says why. */
class CudaAvailabilityTest {
    @Test
    void serviceLoader_findsCudaBackend() {
        boolean found = ServiceLoader.load(Backend.class).stream()
                .anyMatch(p -> p.type() == CudaBackend.class);
        assertTrue(found, "META-INF/services must register CudaBackend");
    }

    @Test
    void isAvailable_withoutJniGlue_isFalseWithReadableReason() {
        // NOTE: the build never puts the CUDA preset's JNI glue on the class path, so this runs in CI and
        // here; gpu-check.sh adds the glue on the GPU machine, where the answer may be true.
        Assumptions.assumeTrue(getClass().getResource("/org/bytedeco/cuda/linux-x86_64/libjnicudart.so") == null,
                "the CUDA JNI glue is on the class path; CudaGpuTest covers this machine");
        CudaBackend b = new CudaBackend();
        assertFalse(b.isAvailable());
        String reason = b.unavailableReason();
        assertFalse(reason.isBlank());
        assertTrue(reason.startsWith("cannot load the CUDA runtime"), reason);
        assertFalse(reason.contains("\n"), reason);
        assertEquals(0, b.deviceCount());
        assertFalse(b.isAvailable(), "asking twice gives the same answer");
    }
}
