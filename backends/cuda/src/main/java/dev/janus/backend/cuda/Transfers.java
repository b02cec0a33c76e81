package dev.janus.backend.cuda;

/**
 * Copies between Java arrays and device memory, and within the device. Arrays are {@code float[]},
 * {@code double[]}, {@code int[]}, {@code long[]} or {@code byte[]} (bools as 0/1 bytes). On a GPU:
 * {@code cudaMemcpy}/{@code cudaMemset} ({@link dev.janus.backend.cuda.runtime.CudartTransfers}); in tests, a fake.
 */
public interface Transfers {
    /** Copies all of {@code array} to the device memory at {@code dst}. */
    void toDevice(Object array, long dst);

    /** Fills {@code array} from the device memory at {@code src}. */
    void toHost(long src, Object array);

    /** Copies {@code bytes} bytes from {@code src} to {@code dst}, both on the device. */
    void deviceToDevice(long src, long dst, long bytes);

    /** Sets {@code bytes} bytes at {@code dst} to zero. */
    void zero(long dst, long bytes);
}
