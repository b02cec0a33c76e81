package dev.janus.backend.cuda;

/**
 * The raw device memory a {@link CachingAllocator} draws from: on a GPU, {@code cudaMalloc}/{@code cudaFree}
 * (not built yet, see docs/gpu.md); in tests, a fake that counts bytes. Calls are slow and synchronizing on a
 * real device, which is why the allocator caches.
 *
 * <pre>{@code
 * long address = memory.malloc(2 << 20);
 * memory.free(address);
 * }</pre>
 */
public interface DeviceMemory {
    /**
     * Reserves {@code bytes} of device memory.
     *
     * @return the device address, never 0
     * @throws DeviceOutOfMemoryException when the device cannot give that much
     */
    long malloc(long bytes);

    /** Returns memory from {@link #malloc}; each address is freed once. */
    void free(long address);

    /** The device's total memory in bytes (what a memory fraction is a fraction of). */
    long totalBytes();
}
