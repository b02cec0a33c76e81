package dev.janus.backend.cpu;

import dev.janus.DType;
import dev.janus.spi.Buffer;

/**
 * CPU memory: a plain Java array ({@code float[]}, {@code double[]}, {@code int[]}, {@code long[]},
 * {@code byte[]} holding 0/1 for bool — unlike {@code boolean[]}, bytes convert to floats in a loop HotSpot vectorizes,
 * which is what masks such as ReLU's gradient need). Heap arrays keep tiny ops cheap (no off-heap allocation per tensor) and let HotSpot
 * vectorize the kernel loops; GEMM copies into reused off-heap scratch instead (see {@link Gemm}).
 */
final class CpuBuffer implements Buffer {
    final Object array;
    final DType dtype;
    final int length;

    /** Bumped by every in-place write ({@link CpuBackend#copy}); a mirror of an older version is stale. */
    private int version;
    private int gemmUses;
    private int mirrorVersion = -1;
    private org.bytedeco.javacpp.FloatPointer mirror;

    CpuBuffer(Object array, DType dtype, int length) {
        this.array = array;
        this.dtype = dtype;
        this.length = length;
    }

    /** Marks the contents as changed in place. */
    synchronized void written() {
        version++;
    }

    /**
     * An off-heap copy of this float32 buffer for GEMM, kept while the contents are unchanged, or null when
     * the operand is better copied per call. NOTE: weights are multiplied again and again (every batch of an
     * inference server, every step of an RNN) and copying them into BLAS scratch each time doubled the cost
     * of batch-1 inference; the mirror is made on a buffer's second use, so one-shot activations never get one.
     */
    synchronized org.bytedeco.javacpp.FloatPointer gemmMirror() {
        if (dtype != DType.FLOAT32 || length < MIRROR_MIN_ELEMENTS || ++gemmUses < 2 || !Gemm.nativeBlas()) {
            return null;
        }
        if (mirror == null) {
            mirror = new org.bytedeco.javacpp.FloatPointer((long) length);
        }
        if (mirrorVersion != version) {
            mirror.put(f32(), 0, length);
            mirrorVersion = version;
        }
        return mirror;
    }

    /** Smaller operands are cheaper to copy than to keep mirrored. */
    private static final int MIRROR_MIN_ELEMENTS = 1 << 14;

    /**
     * A zero-filled buffer for a kernel's output: the caller's preallocated output when one is offered on
     * this thread (see {@link OutputSlot}), else a new array.
     */
    static CpuBuffer allocate(DType dtype, long numel) {
        CpuBuffer offered = OutputSlot.take(dtype, checkedSize(numel));
        if (offered != null) {
            offered.fillZero();
            return offered;
        }
        return fresh(dtype, (int) numel);
    }

    /**
     * Like {@link #allocate} for a kernel that writes every element of its output: an offered buffer is
     * handed over without zeroing (it would be overwritten anyway).
     */
    static CpuBuffer allocateOverwritten(DType dtype, long numel) {
        CpuBuffer offered = OutputSlot.take(dtype, checkedSize(numel));
        return offered != null ? offered : fresh(dtype, (int) numel);
    }

    /** A new zero-filled buffer, never the offered output. */
    static CpuBuffer zeros(DType dtype, long numel) {
        return fresh(dtype, checkedSize(numel));
    }

    private static int checkedSize(long numel) {
        if (numel > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a CPU tensor holds at most 2^31 - 9 elements, asked for " + numel);
        }
        return (int) numel;
    }

    private void fillZero() {
        switch (dtype) {
            case FLOAT32 -> java.util.Arrays.fill(f32(), 0, length, 0f);
            case FLOAT64 -> java.util.Arrays.fill(f64(), 0, length, 0d);
            case INT32 -> java.util.Arrays.fill(i32(), 0, length, 0);
            case INT64 -> java.util.Arrays.fill(i64(), 0, length, 0L);
            case BOOL -> java.util.Arrays.fill(bool(), 0, length, (byte) 0);
        }
    }

    private static CpuBuffer fresh(DType dtype, int n) {
        Object a = switch (dtype) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT32 -> new int[n];
            case INT64 -> new long[n];
            case BOOL -> new byte[n];
        };
        return new CpuBuffer(a, dtype, n);
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long numel() {
        return length;
    }

    float[] f32() {
        return (float[]) array;
    }

    double[] f64() {
        return (double[]) array;
    }

    int[] i32() {
        return (int[]) array;
    }

    long[] i64() {
        return (long[]) array;
    }

    /** Bool storage: one byte per element, 0 or 1. */
    byte[] bool() {
        return (byte[]) array;
    }

    static byte[] toBytes(boolean[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = (byte) (b[i] ? 1 : 0);
        }
        return r;
    }

    static boolean[] toBooleans(byte[] b) {
        boolean[] r = new boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[i] != 0;
        }
        return r;
    }

    /** Element {@code i} as a double (integers exactly up to 2^53). */
    double getDouble(int i) {
        return switch (dtype) {
            case FLOAT32 -> f32()[i];
            case FLOAT64 -> f64()[i];
            case INT32 -> i32()[i];
            case INT64 -> i64()[i];
            case BOOL -> bool()[i];
        };
    }

    /** Element {@code i} as a long (floats truncate toward zero). */
    long getLong(int i) {
        return switch (dtype) {
            case FLOAT32 -> (long) f32()[i];
            case FLOAT64 -> (long) f64()[i];
            case INT32 -> i32()[i];
            case INT64 -> i64()[i];
            case BOOL -> bool()[i];
        };
    }
}
