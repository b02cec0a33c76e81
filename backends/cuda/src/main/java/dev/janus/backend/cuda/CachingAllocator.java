package dev.janus.backend.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A caching device-memory allocator in the style of PyTorch's, simplified: sizes are rounded to size classes, a
 * closed block goes back to a cache (bins by size, per stream) and is reused best-fit, and memory goes back to the
 * device only on {@link #emptyCache()} or when a device malloc fails (then the cache is emptied and the malloc
 * retried once). It grows on demand and never reserves memory up front.
 *
 * <p>Stream order: a block freed on stream S is reused only by allocations on S, because work queued on S may
 * still read it; after {@link #synchronize()} (all streams idle) every cached block is reusable by any stream.
 *
 * <p>An optional cap, a fraction of {@link DeviceMemory#totalBytes()} ({@code JANUS_CUDA_MEMORY_FRACTION} or
 * {@link #setMemoryFraction}), bounds the reserved bytes; an allocation past it fails naming the request, the cap,
 * and the allocated and reserved bytes. All methods are thread-safe.
 *
 * <pre>{@code
 * CachingAllocator alloc = new CachingAllocator(memory);
 * try (DeviceBlock b = alloc.allocate(1000, 0)) { ... }   // a 1024-byte block, device malloc
 * try (DeviceBlock b = alloc.allocate(1000, 0)) { ... }   // the same block, from the cache
 * }</pre>
 */
public final class CachingAllocator {
    /** Granularity of small blocks. */
    public static final long SMALL_ROUNDING = 512;
    /** Requests up to this size are small; larger ones are rounded up to whole {@link #LARGE_ROUNDING} units. */
    public static final long SMALL_LIMIT = 1L << 20;
    /** Granularity of large blocks (PyTorch's segment size). */
    public static final long LARGE_ROUNDING = 2L << 20;
    /** The environment variable holding the optional memory fraction, in (0, 1]. */
    public static final String FRACTION_VARIABLE = "JANUS_CUDA_MEMORY_FRACTION";
    /** The stream tag of cached blocks that any stream may reuse (after {@link #synchronize()}). */
    private static final long ANY_STREAM = Long.MIN_VALUE;

    private final DeviceMemory memory;
    /** Cached blocks: stream tag, then size, then addresses of that size. */
    private final Map<Long, TreeMap<Long, ArrayDeque<Long>>> cache = new HashMap<>();
    private double fraction = 1.0;
    private boolean fractionSet;
    private long allocated;
    private long reserved;
    private long peakAllocated;
    private long deviceMallocs;
    private long deviceFrees;
    private long cacheHits;
    private long cleanerReleases;

    /** An allocator over {@code memory}, with the cap from {@code JANUS_CUDA_MEMORY_FRACTION} if set. */
    public CachingAllocator(DeviceMemory memory) {
        this(memory, System::getenv);
    }

    /** As {@link #CachingAllocator(DeviceMemory)}, reading the environment through {@code env} (a test seam). */
    public CachingAllocator(DeviceMemory memory, Function<String, String> env) {
        this.memory = memory;
        String value = env.apply(FRACTION_VARIABLE);
        if (value != null && !value.isBlank()) {
            setMemoryFraction(parseFraction(value.strip()));
        }
    }

    private static double parseFraction(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(FRACTION_VARIABLE + "=" + value + " is not a number; use a fraction in (0, 1]", e);
        }
    }

    /** The size a request of {@code bytes} is rounded to: 512-byte multiples up to 1 MiB, then 2 MiB multiples. */
    public static long roundSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot allocate " + bytes + " bytes");
        }
        long unit = bytes <= SMALL_LIMIT ? SMALL_ROUNDING : LARGE_ROUNDING;
        return Math.max(unit, (bytes + unit - 1) / unit * unit);
    }

    /**
     * Caps the reserved bytes at {@code fraction * totalBytes()}; 1 removes the cap. Blocks already reserved are
     * kept even past a lowered cap.
     */
    public synchronized void setMemoryFraction(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("memory fraction " + fraction + " is outside (0, 1]");
        }
        this.fraction = fraction;
        this.fractionSet = fraction < 1;
    }

    /** The cap in bytes: {@code fraction * totalBytes()}, or {@code totalBytes()} without a cap. */
    public synchronized long capBytes() {
        return (long) Math.floor(fraction * memory.totalBytes());
    }

    /** A block of at least {@code bytes} for use on the default stream 0. */
    public DeviceBlock allocate(long bytes) {
        return allocate(bytes, 0);
    }

    /**
     * A block of at least {@code bytes} for use on {@code stream}: the best-fitting cached block this stream may
     * reuse, else a new device malloc.
     *
     * @throws DeviceOutOfMemoryException past the cap, or when the device is full even with the cache emptied
     */
    public synchronized DeviceBlock allocate(long bytes, long stream) {
        long size = roundSize(bytes);
        Cached hit = takeCached(size, stream);
        long address;
        if (hit != null) {
            cacheHits++;
            address = hit.address();
            size = hit.size();
        } else {
            address = mallocWithRetry(size, bytes, stream);
        }
        allocated += size;
        peakAllocated = Math.max(peakAllocated, allocated);
        return new DeviceBlock(this, address, size, bytes, stream);
    }

    /** A block taken from the cache: its address and size (at least the rounded request). */
    private record Cached(long address, long size) {}

    /** Best fit among blocks cached for {@code stream} or for any stream; null when none fits. */
    private Cached takeCached(long size, long stream) {
        Map.Entry<Long, ArrayDeque<Long>> own = fit(stream, size);
        Map.Entry<Long, ArrayDeque<Long>> any = fit(ANY_STREAM, size);
        boolean useOwn = own != null && (any == null || own.getKey() <= any.getKey());
        Map.Entry<Long, ArrayDeque<Long>> best = useOwn ? own : any;
        if (best == null) {
            return null;
        }
        long address = best.getValue().pop();
        if (best.getValue().isEmpty()) {
            cache.get(useOwn ? stream : ANY_STREAM).remove(best.getKey());
        }
        return new Cached(address, best.getKey());
    }

    /** The smallest cached size class of {@code tag} that holds {@code size} without wasting more than it uses. */
    private Map.Entry<Long, ArrayDeque<Long>> fit(long tag, long size) {
        TreeMap<Long, ArrayDeque<Long>> bins = cache.get(tag);
        Map.Entry<Long, ArrayDeque<Long>> e = bins == null ? null : bins.ceilingEntry(size);
        // NOTE: blocks are never split, so a much larger block is not handed out: a small request would pin it
        return e != null && e.getKey() <= maxReuse(size) ? e : null;
    }

    private static long maxReuse(long size) {
        return size <= SMALL_LIMIT ? 2 * size : size + LARGE_ROUNDING;
    }

    private long mallocWithRetry(long size, long bytes, long stream) {
        try {
            return malloc(size, bytes, stream);
        } catch (DeviceOutOfMemoryException first) {
            if (reserved == allocated) {
                throw first;
            }
            emptyCache();
            return malloc(size, bytes, stream);
        }
    }

    private long malloc(long size, long bytes, long stream) {
        if (fractionSet && reserved + size > capBytes()) {
            throw new DeviceOutOfMemoryException(describe(bytes, size, stream, "it would pass the cap of "
                    + mib(capBytes()) + " (" + FRACTION_VARIABLE + " / setMemoryFraction " + fraction + " of "
                    + mib(memory.totalBytes()) + ")"));
        }
        long address;
        try {
            address = memory.malloc(size);
        } catch (DeviceOutOfMemoryException e) {
            throw new DeviceOutOfMemoryException(describe(bytes, size, stream, "the device is out of memory: " + e.getMessage()));
        }
        reserved += size;
        deviceMallocs++;
        return address;
    }

    private String describe(long bytes, long size, long stream, String why) {
        return "CUDA out of memory: cannot allocate " + mib(bytes) + " (" + bytes + " bytes, rounded to " + size
                + ") on stream " + stream + ": " + why + "; " + mib(allocated) + " allocated, " + mib(reserved)
                + " reserved (" + mib(reserved - allocated) + " cached)";
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.2f MiB", bytes / (double) (1 << 20));
    }

    /** Called once per block by {@link DeviceBlock}: the block goes to the cache of the stream it was used on. */
    synchronized void release(long address, long size, long stream, boolean byCleaner) {
        allocated -= size;
        if (byCleaner) {
            cleanerReleases++;
        }
        cache.computeIfAbsent(stream, s -> new TreeMap<>()).computeIfAbsent(size, s -> new ArrayDeque<>()).push(address);
    }

    /**
     * Declares every stream idle (on a GPU, after {@code cudaDeviceSynchronize}): cached blocks of any stream
     * become reusable by all streams.
     */
    public synchronized void synchronize() {
        TreeMap<Long, ArrayDeque<Long>> any = cache.computeIfAbsent(ANY_STREAM, s -> new TreeMap<>());
        cache.forEach((tag, bins) -> {
            if (tag != ANY_STREAM) {
                bins.forEach((size, addresses) -> any.computeIfAbsent(size, s -> new ArrayDeque<>()).addAll(addresses));
            }
        });
        cache.keySet().removeIf(tag -> tag != ANY_STREAM);
    }

    /** Returns every cached block to the device; blocks in use stay. */
    public synchronized void emptyCache() {
        cache.values().forEach(bins -> bins.forEach((size, addresses) -> {
            for (long address : addresses) {
                memory.free(address);
                reserved -= size;
                deviceFrees++;
            }
        }));
        cache.clear();
    }

    /** A snapshot of the counters. */
    public synchronized MemoryStats memoryStats() {
        return new MemoryStats(allocated, reserved, peakAllocated, deviceMallocs, deviceFrees, cacheHits, cleanerReleases);
    }

    /** Starts peak tracking again from the current allocated bytes. */
    public synchronized void resetPeak() {
        peakAllocated = allocated;
    }
}
