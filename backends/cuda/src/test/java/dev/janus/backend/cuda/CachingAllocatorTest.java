package dev.janus.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The caching allocator against {@link FakeDeviceMemory}: no GPU needed. */
class CachingAllocatorTest {
    private static final long MIB = 1L << 20;
    private final FakeDeviceMemory memory = new FakeDeviceMemory(64 * MIB);
    private final CachingAllocator alloc = new CachingAllocator(memory, name -> null);

    @Test
    void roundSize_smallTo512_largeTo2MiB() {
        assertEquals(512, CachingAllocator.roundSize(0));
        assertEquals(512, CachingAllocator.roundSize(1));
        assertEquals(1024, CachingAllocator.roundSize(513));
        assertEquals(MIB, CachingAllocator.roundSize(MIB));
        assertEquals(2 * MIB, CachingAllocator.roundSize(MIB + 1));
        assertEquals(4 * MIB, CachingAllocator.roundSize(2 * MIB + 1));
        assertThrows(IllegalArgumentException.class, () -> CachingAllocator.roundSize(-1));
    }

    @Test
    void allocate_sameSizeClassAgain_reusesWithoutDeviceMalloc() {
        long first;
        try (DeviceBlock b = alloc.allocate(1000)) {
            first = b.address();
            assertEquals(1024, b.size());
            assertEquals(1000, b.requestedBytes());
        }
        try (DeviceBlock b = alloc.allocate(900)) {
            assertEquals(first, b.address());
        }
        assertEquals(1, memory.mallocs());
        assertEquals(1, alloc.memoryStats().cacheHits());
    }

    @Test
    void allocate_severalCached_takesSmallestThatFits() {
        List<DeviceBlock> blocks = List.of(alloc.allocate(1024), alloc.allocate(4096), alloc.allocate(2048));
        long addressOf2048 = blocks.get(2).address();
        blocks.forEach(DeviceBlock::close);
        try (DeviceBlock b = alloc.allocate(1500)) {
            assertEquals(addressOf2048, b.address());
            assertEquals(2048, b.size());
        }
        assertEquals(3, memory.mallocs());
    }

    @Test
    void allocate_cachedBlockFarTooLarge_mallocsInstead() {
        alloc.allocate(64 * 1024).close();
        try (DeviceBlock b = alloc.allocate(512)) {
            assertEquals(512, b.size());
        }
        assertEquals(2, memory.mallocs());
    }

    @Test
    void allocate_pastFractionCap_failsNamingRequestCapAllocatedReserved() {
        CachingAllocator capped = new CachingAllocator(memory, name -> name.equals("JANUS_CUDA_MEMORY_FRACTION") ? "0.25" : null);
        assertEquals(16 * MIB, capped.capBytes());
        DeviceBlock held = capped.allocate(10 * MIB);
        capped.allocate(2 * MIB).close();
        DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class, () -> capped.allocate(7 * MIB));
        String m = e.getMessage();
        assertTrue(m.contains("cannot allocate 7.00 MiB"), m);
        assertTrue(m.contains("cap of 16.00 MiB"), m);
        assertTrue(m.contains("JANUS_CUDA_MEMORY_FRACTION"), m);
        assertTrue(m.contains("10.00 MiB allocated"), m);
        assertTrue(m.contains("10.00 MiB reserved"), m); // the cached 2 MiB went back on the retry
        assertEquals(10 * MIB, memory.usedBytes(), "nothing past the cap reached the device");
        held.close();
    }

    @Test
    void setMemoryFraction_outsideRange_andBadVariable_fail() {
        assertThrows(IllegalArgumentException.class, () -> alloc.setMemoryFraction(0));
        assertThrows(IllegalArgumentException.class, () -> alloc.setMemoryFraction(1.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CachingAllocator(memory, name -> "half"));
        assertTrue(e.getMessage().contains("JANUS_CUDA_MEMORY_FRACTION=half"), e.getMessage());
    }

    @Test
    void allocate_deviceFull_emptiesCacheAndRetriesOnce() {
        FakeDeviceMemory small = new FakeDeviceMemory(8 * MIB);
        CachingAllocator a = new CachingAllocator(small, name -> null);
        DeviceBlock four = a.allocate(4 * MIB);
        DeviceBlock two = a.allocate(2 * MIB);
        four.close();
        two.close();
        try (DeviceBlock b = a.allocate(8 * MIB)) {
            assertEquals(8 * MIB, b.size());
        }
        assertEquals(2, a.memoryStats().deviceFrees());
        assertEquals(8 * MIB, a.memoryStats().reservedBytes());
        DeviceBlock held = a.allocate(8 * MIB);
        DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class, () -> a.allocate(MIB));
        assertTrue(e.getMessage().contains("the device is out of memory"), e.getMessage());
        held.close();
    }

    @Test
    void allocate_otherStream_doesNotReuseUntilSynchronize() {
        long address;
        try (DeviceBlock b = alloc.allocate(4096, 1)) {
            address = b.address();
        }
        try (DeviceBlock b = alloc.allocate(4096, 2)) {
            assertNotEquals(address, b.address(), "stream 2 must not reuse a block stream 1 may still use");
        }
        try (DeviceBlock b = alloc.allocate(4096, 1)) {
            assertEquals(address, b.address());
        }
        alloc.synchronize();
        DeviceBlock b3 = alloc.allocate(4096, 3);
        DeviceBlock b4 = alloc.allocate(4096, 4);
        assertEquals(2, memory.mallocs(), "after synchronize both cached blocks serve new streams");
        b3.close();
        b4.close();
    }

    @Test
    void memoryStats_tracksAllocatedReservedPeak() {
        DeviceBlock a = alloc.allocate(3 * MIB);
        DeviceBlock b = alloc.allocate(1000);
        assertEquals(new MemoryStats(4 * MIB + 1024, 4 * MIB + 1024, 4 * MIB + 1024, 2, 0, 0, 0), alloc.memoryStats());
        a.close();
        MemoryStats s = alloc.memoryStats();
        assertEquals(1024, s.allocatedBytes());
        assertEquals(4 * MIB + 1024, s.reservedBytes());
        assertEquals(4 * MIB, s.cachedBytes());
        assertEquals(4 * MIB + 1024, s.peakAllocatedBytes());
        alloc.resetPeak();
        assertEquals(1024, alloc.memoryStats().peakAllocatedBytes());
        b.close();
        alloc.emptyCache();
        assertEquals(0, alloc.memoryStats().reservedBytes());
        assertEquals(0, memory.usedBytes());
    }

    @Test
    void close_twice_releasesOnce() {
        DeviceBlock b = alloc.allocate(1000);
        b.close();
        b.close();
        assertEquals(0, alloc.memoryStats().allocatedBytes());
        DeviceBlock c = alloc.allocate(1000);
        DeviceBlock d = alloc.allocate(1000);
        assertNotEquals(c.address(), d.address(), "a double close must not put the block in the cache twice");
        c.close();
        d.close();
    }

    @Test
    void unclosedBlock_isReturnedByCleaner() throws InterruptedException {
        allocateAndDrop();
        // up to 30 s: the Cleaner runs after a collection finds the block unreachable, which a loaded machine delays
        for (int i = 0; i < 3000 && alloc.memoryStats().cleanerReleases() == 0; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(1, alloc.memoryStats().cleanerReleases());
        assertEquals(0, alloc.memoryStats().allocatedBytes());
    }

    private void allocateAndDrop() {
        alloc.allocate(4096);
    }

    @Test
    void allocate_eightThreads_statsConsistentAtEnd() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            long seed = t;
            futures.add(pool.submit(() -> {
                Random r = new Random(seed);
                for (int i = 0; i < 2000; i++) {
                    try (DeviceBlock b = alloc.allocate(1 + r.nextInt(64 * 1024), seed % 3)) {
                        assertTrue(b.size() >= b.requestedBytes());
                    }
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        MemoryStats s = alloc.memoryStats();
        assertEquals(0, s.allocatedBytes());
        assertEquals(memory.usedBytes(), s.reservedBytes());
        assertEquals(16_000, s.deviceMallocs() + s.cacheHits());
        alloc.emptyCache();
        assertEquals(0, memory.usedBytes());
    }

    @Test
    void trainingLoop_1000Steps_returnsToBaseline() {
        long[] stepSizes = {4 * MIB, 3 * MIB + 7, 700_000, 65_536, 1000, 1000, 12, 2 * MIB};
        Map<Integer, Long> mallocsAt = new java.util.HashMap<>();
        long maxReserved = 0;
        for (int step = 0; step < 1000; step++) {
            List<DeviceBlock> blocks = new ArrayList<>();
            for (int i = 0; i < stepSizes.length; i++) {
                blocks.add(alloc.allocate(stepSizes[(i + step) % stepSizes.length], step % 2));
            }
            blocks.forEach(DeviceBlock::close);
            if (step % 100 == 0) {
                alloc.synchronize(); // an optimizer step or logging point waits for the streams
            }
            maxReserved = Math.max(maxReserved, alloc.memoryStats().reservedBytes());
            mallocsAt.put(step, alloc.memoryStats().deviceMallocs());
        }
        MemoryStats s = alloc.memoryStats();
        assertEquals(0, s.allocatedBytes());
        assertEquals(mallocsAt.get(10), s.deviceMallocs(), "no device malloc after warm-up");
        assertTrue(maxReserved <= 2 * 16 * MIB, "reserved stays bounded: " + maxReserved);
        assertEquals(s.reservedBytes(), memory.usedBytes());
    }
}
