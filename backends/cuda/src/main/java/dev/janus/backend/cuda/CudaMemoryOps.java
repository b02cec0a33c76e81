package dev.janus.backend.cuda;

import dev.janus.DType;

/** Device buffers from the caching allocator, and the copies between them and Java arrays. */
final class CudaMemoryOps {
    private final CachingAllocator allocator;
    private final Transfers transfers;

    CudaMemoryOps(CachingAllocator allocator, Transfers transfers) {
        this.allocator = allocator;
        this.transfers = transfers;
    }

    /** Collections to try when the device is full, before giving up. */
    static final int GC_ATTEMPTS = 10;

    /** A buffer whose contents are undefined until written. NOTE: at least one byte, so empty tensors have an address. */
    CudaBuffer allocateUninitialized(DType dtype, long numel) {
        long bytes = Math.max(1, numel * dtype.byteSize());
        for (int attempt = 0; ; attempt++) {
            try {
                return new CudaBuffer(allocator.allocate(bytes), dtype, numel);
            } catch (DeviceOutOfMemoryException e) {
                if (attempt == GC_ATTEMPTS) {
                    throw e;
                }
                awaitCollection();
            }
        }
    }

    /**
     * NOTE: tensors free their device memory only when the garbage collector finds them unreachable (the SPI has
     * no free), and a small Java heap may not collect for a long time while the device fills up; so a full device
     * first asks for a collection and gives the Cleaner a moment to return the blocks.
     */
    private static void awaitCollection() {
        System.gc();
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceOutOfMemoryException("interrupted while waiting for unreachable tensors to free device memory");
        }
    }

    CudaBuffer allocateZeroed(DType dtype, long numel) {
        CudaBuffer b = allocateUninitialized(dtype, numel);
        if (numel > 0) {
            transfers.zero(b.address(), b.bytes());
        }
        return b;
    }

    /** A device copy of an SPI array ({@code boolean[]} for bools). */
    CudaBuffer fromHost(Object array, DType dtype) {
        int n = java.lang.reflect.Array.getLength(array);
        CudaBuffer b = allocateUninitialized(dtype, n);
        write(array, b);
        return b;
    }

    /** Writes an SPI array into {@code out}, which has its length. */
    void write(Object array, CudaBuffer out) {
        int n = java.lang.reflect.Array.getLength(array);
        if (n != out.numel()) {
            throw new IllegalArgumentException("cannot write " + n + " elements into " + out);
        }
        transfers.toDevice(HostArrays.toTransfer(array, out.dtype()), out.address());
    }

    /** The buffer's elements as an SPI array. */
    Object toHost(CudaBuffer b) {
        Object a = HostArrays.newTransferArray(b.dtype(), HostArrays.length(b.numel()));
        transfers.toHost(b.address(), a);
        return HostArrays.fromTransfer(a, b.dtype());
    }

    void copy(CudaBuffer src, CudaBuffer dst) {
        if (src.dtype() != dst.dtype() || src.numel() != dst.numel()) {
            throw new IllegalArgumentException("copy needs the same dtype and size, got " + src + " and " + dst);
        }
        if (src.numel() > 0) {
            transfers.deviceToDevice(src.address(), dst.address(), src.bytes());
        }
    }

    CachingAllocator allocator() {
        return allocator;
    }
}
