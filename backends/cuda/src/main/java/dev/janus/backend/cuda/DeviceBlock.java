package dev.janus.backend.cuda;

import java.lang.ref.Cleaner;

/**
 * A block of device memory from a {@link CachingAllocator}. {@link #close()} returns it to the allocator's cache
 * (not to the device) exactly once; closing again does nothing. A block that becomes unreachable without being
 * closed is returned by a {@link Cleaner} — a safety net, counted in {@link MemoryStats#cleanerReleases()}.
 *
 * <pre>{@code
 * try (DeviceBlock b = allocator.allocate(4096, 0)) {
 *     launch(kernel, b.address());
 * }
 * }</pre>
 */
public final class DeviceBlock implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final long address;
    private final long size;
    private final long requestedBytes;
    private final long stream;
    private final Release release;
    private final Cleaner.Cleanable cleanable;

    DeviceBlock(CachingAllocator owner, long address, long size, long requestedBytes, long stream) {
        this.address = address;
        this.size = size;
        this.requestedBytes = requestedBytes;
        this.stream = stream;
        this.release = new Release(owner, address, size, stream);
        this.cleanable = CLEANER.register(this, release);
    }

    /** The device address of the first byte. */
    public long address() {
        return address;
    }

    /** The block's rounded size in bytes, at least {@link #requestedBytes()}. */
    public long size() {
        return size;
    }

    /** The size that was asked for. */
    public long requestedBytes() {
        return requestedBytes;
    }

    /** The stream the block was allocated on, and on which it is freed. */
    public long stream() {
        return stream;
    }

    /** Returns the block to the allocator's cache; a second call does nothing. */
    @Override
    public void close() {
        release.explicit = true;
        cleanable.clean(); // NOTE: Cleanable.clean runs the action at most once, which makes double close a no-op
    }

    /** The release action; it must not refer to the DeviceBlock, or the Cleaner would never see it unreachable. */
    private static final class Release implements Runnable {
        private final CachingAllocator owner;
        private final long address;
        private final long size;
        private final long stream;
        private volatile boolean explicit;

        Release(CachingAllocator owner, long address, long size, long stream) {
            this.owner = owner;
            this.address = address;
            this.size = size;
            this.stream = stream;
        }

        @Override
        public void run() {
            owner.release(address, size, stream, !explicit);
        }
    }
}
