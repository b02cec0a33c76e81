package dev.janus.backend.cuda.runtime;

import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/** Raw device addresses as JavaCPP pointers, and CUDA error codes as exceptions naming the call. */
final class CudaCalls {
    private CudaCalls() {}

    /** A pointer to {@code address} for JavaCPP calls; it owns nothing. */
    static Pointer at(long address) {
        return new Address(address);
    }

    /** Throws when a runtime-API call failed. */
    static void check(int status, String call) {
        if (status != cudart.cudaSuccess) {
            BytePointer s = cudart.cudaGetErrorString(status);
            throw new CudaException(call + " failed: CUDA error " + status + " (" + (s == null ? "?" : s.getString()) + ")");
        }
    }

    /** Throws when a driver-API call failed. */
    static void checkDriver(int status, String call) {
        if (status != cudart.CUDA_SUCCESS) {
            try (BytePointer s = new BytePointer((Pointer) null)) {
                cudart.cuGetErrorString(status, s);
                throw new CudaException(call + " failed: CUDA driver error " + status + " ("
                        + (s.isNull() ? "?" : s.getString()) + ")");
            }
        }
    }

    /** NOTE: JavaCPP sets a pointer's address only from native code or a subclass; this is that subclass. */
    private static final class Address extends Pointer {
        Address(long address) {
            this.address = address;
        }
    }
}
