package dev.janus.backend.cuda;

import dev.janus.DType;
import dev.janus.spi.Buffer;

/**
 * A tensor's elements in device memory: a {@link DeviceBlock} of the caching allocator. The block goes back to the
 * cache when the buffer becomes unreachable (the block's {@link java.lang.ref.Cleaner}), as the SPI has no free.
 */
public final class CudaBuffer implements Buffer {
    private final DeviceBlock block;
    private final DType dtype;
    private final long numel;

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
        return block.address();
    }

    /** Size of the elements in bytes. */
    long bytes() {
        return numel * dtype.byteSize();
    }

    @Override
    public String toString() {
        return "cuda " + dtype.shortName() + "[" + numel + "] at 0x" + Long.toHexString(address());
    }
}
