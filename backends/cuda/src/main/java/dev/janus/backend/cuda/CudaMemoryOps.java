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

    /** A buffer whose contents are undefined until written. NOTE: at least one byte, so empty tensors have an address. */
    CudaBuffer allocateUninitialized(DType dtype, long numel) {
        return new CudaBuffer(allocator.allocate(Math.max(1, numel * dtype.byteSize())), dtype, numel);
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
