package dev.janus.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs only where CUDA loads (gpu-check.sh on a GPU machine); skips elsewhere with the probe's reason. */
class CudaGpuTest {
    private final CudaBackend backend = new CudaBackend();

    @BeforeEach
    void requireGpu() {
        Assumptions.assumeTrue(backend.gpuFound(), () -> "no usable CUDA GPU: " + backend.unavailableReason());
    }

    @Test
    void deviceCount_withGpu_isPositive() {
        assertTrue(backend.deviceCount() > 0);
    }

    @Test
    void withAGpu_theBackendStillDeclinesUntilItHasKernels() {
        org.junit.jupiter.api.Assertions.assertFalse(backend.isAvailable());
        assertTrue(backend.unavailableReason().contains("no kernels yet"), backend.unavailableReason());
    }
}
