package dev.janus.backend.cuda;

import dev.janus.backend.cuda.kernels.GeneratedKernel;

/**
 * Runs a generated kernel. On a GPU: NVRTC and the driver API, compiling each kernel once
 * ({@link dev.janus.backend.cuda.runtime.DriverKernelLauncher}); in tests, a fake that records launches.
 */
public interface KernelLauncher {
    /**
     * Launches {@code kernel} with its pointer arguments ({@code out}, then the inputs) and its long arguments,
     * whose first is the number of output elements {@code n} (the grid covers them with a grid-stride loop).
     */
    void launch(GeneratedKernel kernel, long[] pointers, long[] scalars);
}
