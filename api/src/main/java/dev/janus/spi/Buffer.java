package dev.janus.spi;

import dev.janus.DType;

/** A backend's handle on a block of tensor memory. Its contents are only reached through its {@link Backend}. */
public interface Buffer {
    DType dtype();

    /** Number of elements. */
    long numel();
}
