package dev.janus.backend.cuda;

/**
 * A snapshot of a {@link CachingAllocator}, like {@code torch.cuda.memory_stats}. Byte counts are of rounded
 * block sizes, not of the sizes asked for.
 *
 * @param allocatedBytes bytes in blocks handed out and not yet closed
 * @param reservedBytes bytes held from the device: allocated plus cached
 * @param peakAllocatedBytes the highest {@code allocatedBytes} since creation or {@link CachingAllocator#resetPeak()}
 * @param deviceMallocs calls to {@link DeviceMemory#malloc} that succeeded
 * @param deviceFrees calls to {@link DeviceMemory#free}
 * @param cacheHits allocations served from the cache without a device malloc
 * @param cleanerReleases blocks returned by the {@link java.lang.ref.Cleaner} because no one closed them
 */
public record MemoryStats(
        long allocatedBytes,
        long reservedBytes,
        long peakAllocatedBytes,
        long deviceMallocs,
        long deviceFrees,
        long cacheHits,
        long cleanerReleases) {
    /** Bytes held from the device but not handed out. */
    public long cachedBytes() {
        return reservedBytes - allocatedBytes;
    }
}
