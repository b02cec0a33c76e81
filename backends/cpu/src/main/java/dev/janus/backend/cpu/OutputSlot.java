package dev.janus.backend.cpu;

import dev.janus.DType;

/**
 * The caller's preallocated output for the kernel now running on this thread (see
 * {@link CpuBackend#executeInto}). Kernels allocate their output through {@link CpuBuffer#allocate}, which
 * takes the offered buffer instead of a new array when dtype and size match, so every kernel writes in place
 * without an {@code out} parameter of its own.
 *
 * <p>NOTE: a kernel that allocates a same-sized scratch buffer before its output gets the offered buffer as
 * scratch; that is harmless because the output is never an input, and {@code executeInto} copies the real
 * result over it afterwards. Parallel helper threads never see the slot: it is per thread.
 */
final class OutputSlot {
    private static final ThreadLocal<CpuBuffer[]> OFFERED = ThreadLocal.withInitial(() -> new CpuBuffer[1]);

    private OutputSlot() {}

    /** Offers {@code out} to the next matching allocation on this thread; {@link #clear} in a finally. */
    static void offer(CpuBuffer out) {
        OFFERED.get()[0] = out;
    }

    static void clear() {
        OFFERED.get()[0] = null;
    }

    /** The offered buffer if it has this dtype and size (it is then no longer offered), else null. */
    static CpuBuffer take(DType dtype, int numel) {
        CpuBuffer[] slot = OFFERED.get();
        CpuBuffer b = slot[0];
        if (b == null || b.dtype != dtype || b.length != numel) {
            return null;
        }
        slot[0] = null;
        b.written();
        return b;
    }
}
