package dev.janus.backend.cuda;

import java.util.HashMap;
import java.util.Map;

/** Device memory on the CPU for allocator tests: hands out fake addresses, counts bytes, fails past a capacity. */
final class FakeDeviceMemory implements DeviceMemory {
    private final long capacity;
    private final Map<Long, Long> live = new HashMap<>();
    private long nextAddress = 1L << 32;
    private long usedBytes;
    private int mallocs;

    FakeDeviceMemory(long capacity) {
        this.capacity = capacity;
    }

    @Override
    public synchronized long malloc(long bytes) {
        if (usedBytes + bytes > capacity) {
            throw new DeviceOutOfMemoryException("fake device: " + bytes + " bytes requested, " + (capacity - usedBytes) + " free");
        }
        long address = nextAddress;
        nextAddress += bytes;
        live.put(address, bytes);
        usedBytes += bytes;
        mallocs++;
        return address;
    }

    @Override
    public synchronized void free(long address) {
        Long bytes = live.remove(address);
        if (bytes == null) {
            throw new IllegalStateException("free of unknown or already freed address " + address);
        }
        usedBytes -= bytes;
    }

    @Override
    public long totalBytes() {
        return capacity;
    }

    synchronized long usedBytes() {
        return usedBytes;
    }

    synchronized int mallocs() {
        return mallocs;
    }
}
