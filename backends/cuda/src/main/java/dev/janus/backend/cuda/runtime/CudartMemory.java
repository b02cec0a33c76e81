package dev.janus.backend.cuda.runtime;

import dev.janus.backend.cuda.DeviceMemory;
import dev.janus.backend.cuda.DeviceOutOfMemoryException;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/** {@link DeviceMemory} through {@code cudaMalloc}/{@code cudaFree} on the current device. */
public final class CudartMemory implements DeviceMemory {
    private final long totalBytes;

    public CudartMemory() {
        try (SizeTPointer free = new SizeTPointer(1); SizeTPointer total = new SizeTPointer(1)) {
            CudaCalls.check(cudart.cudaMemGetInfo(free, total), "cudaMemGetInfo");
            totalBytes = total.get();
        }
    }

    @Override
    public long malloc(long bytes) {
        try (PointerPointer<Pointer> out = new PointerPointer<>(1)) {
            int status = cudart.cudaMalloc(out, bytes);
            if (status == cudart.cudaErrorMemoryAllocation) {
                cudart.cudaGetLastError(); // NOTE: clears the sticky error so the allocator's retry can succeed
                throw new DeviceOutOfMemoryException("cudaMalloc of " + bytes + " bytes failed: out of device memory");
            }
            CudaCalls.check(status, "cudaMalloc(" + bytes + ")");
            return out.get(0).address();
        }
    }

    @Override
    public void free(long address) {
        CudaCalls.check(cudart.cudaFree(CudaCalls.at(address)), "cudaFree");
    }

    @Override
    public long totalBytes() {
        return totalBytes;
    }
}
