package dev.janus.backend.cuda;

import dev.janus.backend.cuda.kernels.KernelSource;

/**
 * Runs a generated elementwise kernel. On a GPU: NVRTC and the driver API, compiling each kernel once
 * ({@link dev.janus.backend.cuda.runtime.DriverKernelLauncher}); in tests, a fake that records launches.
 */
public interface KernelLauncher {
    /**
     * Launches {@code kernel} over {@code n} output elements with its pointer arguments ({@code out, in0, ...}) and
     * its {@link KernelSource#scalarArgs} ({@code n} first).
     */
    void launch(KernelSource kernel, long[] pointers, long[] scalars);
}
