package dev.janus.spi;

import dev.janus.DType;

/** A backend's handle on a block of tensor memory. Its contents are only reached through its {@link Backend}. */
public interface Buffer {
    DType dtype();

    /** Number of elements. */
    long numel();

    /**
     * Reference counting for backends whose memory is scarce (device memory): every eager tensor holding this
     * buffer retains it once and releases it when closed, and the backend may give the memory back when the
     * count returns to zero. Buffers no tensor closes are the backend's to reclaim (a {@code Cleaner}). The CPU
     * backend ignores both and leaves its arrays to the garbage collector.
     */
    default void retain() {}

    /** See {@link #retain()}. */
    default void release() {}
}
