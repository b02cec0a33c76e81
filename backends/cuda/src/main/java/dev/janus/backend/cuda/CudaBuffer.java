package dev.janus.backend.cuda;

import dev.janus.DType;
import dev.janus.spi.Buffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tensor's elements in device memory: a {@link DeviceBlock} of the caching allocator. The block goes back to the
 * cache when the last tensor holding the buffer releases it ({@link #retain()}/{@link #release()}, counted by the
 * eager engine), or, for a buffer no tensor closes (graph workspaces, dropped tensors), when it becomes unreachable
 * (the block's {@link java.lang.ref.Cleaner}). Using a buffer after its memory went back fails.
 */
public final class CudaBuffer implements Buffer {
    private final DeviceBlock block;
    private final DType dtype;
    private final long numel;
    private final AtomicInteger references = new AtomicInteger();
    private volatile boolean freed;

    CudaBuffer(DeviceBlock block, DType dtype, long numel) {
        this.block = block;
        this.dtype = dtype;
        this.numel = numel;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long numel() {
        return numel;
    }

    /** The device address of element 0. */
    public long address() {
        if (freed) {
            throw new IllegalStateException("use after free: a CUDA buffer (" + dtype.shortName() + "[" + numel
                    + "]) was used after its last tensor released it");
        }
        return block.address();
    }

    @Override
    public void retain() {
        if (freed) {
            throw new IllegalStateException("retain of a CUDA buffer whose memory was already given back");
        }
        references.incrementAndGet();
    }

    /** Gives the memory back to the allocator's cache when the count returns to zero. */
    @Override
    public void release() {
        int left = references.decrementAndGet();
        if (left < 0) {
            throw new IllegalStateException("a CUDA buffer was released more often than retained");
        }
        if (left == 0) {
            freed = true;
            block.close(); // NOTE: work queued on the stream still reads it; the next user is on the same stream
        }
    }

    /** Size of the elements in bytes. */
    long bytes() {
        return numel * dtype.byteSize();
    }

    @Override
    public String toString() {
        return "cuda " + dtype.shortName() + "[" + numel + "]" + (freed ? " (freed)" : " at 0x" + Long.toHexString(block.address()));
    }
}
