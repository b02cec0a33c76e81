package dev.janus.backend.cuda;

import dev.janus.Device;
import org.junit.jupiter.api.Assumptions;

/** The GPU tests' precondition: a usable CUDA backend, else a skip whose reason says what is missing. */
public final class Gpu {
    /** The CUDA device the tests use. */
    public static final Device CUDA = new Device("cuda", 0);

    private Gpu() {}

    /** The backend, or a skip with {@code no usable CUDA GPU: <reason>}. */
    public static CudaBackend require() {
        CudaBackend b = new CudaBackend();
        Assumptions.assumeTrue(b.isAvailable(), () -> "no usable CUDA GPU: " + b.unavailableReason());
        return b;
    }
}
