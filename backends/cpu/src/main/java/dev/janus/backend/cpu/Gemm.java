package dev.janus.backend.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dense matrix multiply on row-major plain arrays: {@code C[m×n] = op(A)·op(B) (+ C)}, where {@code op(A)} is
 * {@code m×k} (A stored {@code k×m} when {@code transA}) and {@code op(B)} is {@code k×n} (B stored {@code n×k}
 * when {@code transB}).
 *
 * <p>Products go to OpenBLAS through JavaCPP, copying the operands through per-thread off-heap scratch buffers
 * that grow and are reused, so the steady state allocates nothing. Tiny products run a plain Java loop; when the
 * native library is missing or {@code -Djanus.blas=java} is set, the rest run a cache-blocked Java kernel.
 *
 * <pre>{@code
 * float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, c = new float[4];
 * Gemm.sgemm(false, false, 2, 2, 2, a, 0, b, 0, c, 0, false); // c = {19, 22, 43, 50}
 * }</pre>
 */
public final class Gemm {
    /**
     * Products with {@code m*n*k} below this run a plain dot-product loop, even when OpenBLAS is loaded.
     * NOTE: measured on a 2-core AVX-512 Xeon (JDK 17): the JNI call plus the off-heap copies cost only
     * ~0.15–0.2 µs, so OpenBLAS already wins at 8³ (0.25 µs vs 0.3 µs for the blocked Java kernel, 0.4 µs for
     * the plain loop) and by 6× at 32³ (1.3 µs vs 8 µs); the plain loop wins only below ~6³ (2³: 0.013 µs vs
     * 0.16 µs native), where it also beats the blocked kernel's packing.
     */
    static final long SMALL_WORK = 256;

    private static final Logger LOG = LoggerFactory.getLogger(Gemm.class);
    private static final int KC = 256;
    private static final int NC = 512;
    private static final boolean NATIVE = loadNative();
    private static volatile boolean forceJava;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Gemm() {}

    /** Whether products above {@link #SMALL_WORK} currently go to native OpenBLAS. */
    public static boolean nativeBlas() {
        return NATIVE && !forceJava;
    }

    /** Routes every product to the Java kernel while {@code on} (tests compare both paths). */
    static void forceJava(boolean on) {
        forceJava = on;
    }

    /** Single-precision {@code C = op(A)·op(B)}, plus the old C when {@code accumulate}. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
            float[] b, int bOff, float[] c, int cOff, boolean accumulate) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            if (!accumulate) {
                Arrays.fill(c, cOff, cOff + m * n, 0f);
            }
        } else if ((long) m * n * k < SMALL_WORK) {
            tinyS(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        } else if (nativeBlas()) {
            nativeS(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        } else {
            javaS(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        }
    }

    /**
     * {@link #sgemm} where A and/or B may come with an off-heap mirror of their whole array (see
     * {@code CpuBuffer.gemmMirror}); a mirrored operand is used in place instead of being copied.
     */
    static void sgemmMirrored(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
            FloatPointer aMirror, float[] b, int bOff, FloatPointer bMirror, float[] c, int cOff) {
        if (aMirror == null && bMirror == null || m <= 0 || n <= 0 || k <= 0 || (long) m * n * k < SMALL_WORK
                || !nativeBlas()) {
            sgemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, false);
            return;
        }
        Scratch s = SCRATCH.get();
        FloatPointer pa = aMirror != null ? new FloatPointer(aMirror).position(aOff) : s.floats(0, m * k).put(a, aOff, m * k);
        FloatPointer pb = bMirror != null ? new FloatPointer(bMirror).position(bOff) : s.floats(1, k * n).put(b, bOff, k * n);
        FloatPointer pc = s.floats(2, m * n);
        openblas.cblas_sgemm(openblas.CblasRowMajor, cblasTrans(transA), cblasTrans(transB), m, n, k,
                1f, pa, transA ? m : k, pb, transB ? k : n, 0f, pc, n);
        pc.get(c, cOff, m * n);
    }

    /** Double-precision {@code C = op(A)·op(B)}, plus the old C when {@code accumulate}. */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff,
            double[] b, int bOff, double[] c, int cOff, boolean accumulate) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            if (!accumulate) {
                Arrays.fill(c, cOff, cOff + m * n, 0d);
            }
        } else if ((long) m * n * k < SMALL_WORK) {
            tinyD(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        } else if (nativeBlas()) {
            nativeD(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        } else {
            javaD(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        }
    }

    // ---- operands written straight into native memory ----------------------------------------------------
    // NOTE: for kernels (conv lowering) whose operand is assembled from many slices: writing the slices into
    // the off-heap buffer directly skips a heap staging copy and the JNI copy; the LeNet conv forward runs
    // ~30% faster this way.

    /**
     * This thread's off-heap operand {@code slot} (0 = A, 1 = B, 2 = C) with room for {@code size} floats, to
     * fill with absolute puts before {@link #sgemmScratch}. Needs {@link #nativeBlas()}; valid until the next
     * request for the same slot on this thread, and overwritten by this thread's next native {@link #sgemm}.
     */
    static FloatBuffer scratchS(int slot, int size) {
        return SCRATCH.get().floatBuffer(slot, size);
    }

    /** {@code C = op(A)·op(B) (+ C)} on this thread's scratch operands, each starting at its element offset. */
    static void sgemmScratch(boolean transA, boolean transB, int m, int n, int k, int aOff, int bOff, int cOff,
            boolean accumulate) {
        FloatPointer[] p = SCRATCH.get().floats;
        try {
            openblas.cblas_sgemm(openblas.CblasRowMajor, cblasTrans(transA), cblasTrans(transB), m, n, k, 1f,
                    p[0].position(aOff), Math.max(1, transA ? m : k), p[1].position(bOff),
                    Math.max(1, transB ? k : n), accumulate ? 1f : 0f, p[2].position(cOff), Math.max(1, n));
        } finally {
            p[0].position(0);
            p[1].position(0);
            p[2].position(0);
        }
    }

    private static boolean loadNative() {
        String reason;
        if ("java".equalsIgnoreCase(System.getProperty("janus.blas", ""))) {
            reason = "-Djanus.blas=java is set";
        } else {
            try {
                Loader.load(openblas.class);
                openblas.blas_set_num_threads(Parallel.threads());
                return probe();
            } catch (Throwable t) { // NOTE: UnsatisfiedLinkError, NoClassDefFoundError, ... all mean "no BLAS"
                reason = t.toString();
            }
        }
        LOG.warn("Native BLAS (OpenBLAS) unavailable, using the Java GEMM kernel: {}", reason);
        return false;
    }

    /** One tiny native product through the real code path, so a broken library fails here, not later. */
    private static boolean probe() {
        try (FloatPointer a = new FloatPointer(1f, 2f, 3f, 4f); FloatPointer c = new FloatPointer(4)) {
            openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans,
                    2, 2, 2, 1f, a, 2, a, 2, 0f, c, 2);
            if (c.get(0) != 7f || c.get(3) != 22f) {
                throw new IllegalStateException("cblas_sgemm probe returned a wrong result");
            }
        }
        return true;
    }

    private static void nativeS(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
            float[] b, int bOff, float[] c, int cOff, boolean accumulate) {
        Scratch s = SCRATCH.get();
        FloatPointer pa = s.floats(0, m * k).put(a, aOff, m * k);
        FloatPointer pb = s.floats(1, k * n).put(b, bOff, k * n);
        FloatPointer pc = s.floats(2, m * n);
        if (accumulate) {
            pc.put(c, cOff, m * n);
        }
        openblas.cblas_sgemm(openblas.CblasRowMajor, cblasTrans(transA), cblasTrans(transB), m, n, k,
                1f, pa, transA ? m : k, pb, transB ? k : n, accumulate ? 1f : 0f, pc, n);
        pc.get(c, cOff, m * n);
    }

    private static void nativeD(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff,
            double[] b, int bOff, double[] c, int cOff, boolean accumulate) {
        Scratch s = SCRATCH.get();
        DoublePointer pa = s.doubles(0, m * k).put(a, aOff, m * k);
        DoublePointer pb = s.doubles(1, k * n).put(b, bOff, k * n);
        DoublePointer pc = s.doubles(2, m * n);
        if (accumulate) {
            pc.put(c, cOff, m * n);
        }
        openblas.cblas_dgemm(openblas.CblasRowMajor, cblasTrans(transA), cblasTrans(transB), m, n, k,
                1d, pa, transA ? m : k, pb, transB ? k : n, accumulate ? 1d : 0d, pc, n);
        pc.get(c, cOff, m * n);
    }

    private static int cblasTrans(boolean trans) {
        return trans ? openblas.CblasTrans : openblas.CblasNoTrans;
    }

    /** {@code C = op(A)·op(B)} as one dot product per element: no packing, no threads, for tiny products. */
    private static void tinyS(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
            float[] b, int bOff, float[] c, int cOff, boolean accumulate) {
        int aRow = transA ? 1 : k;
        int aCol = transA ? m : 1;
        int bRow = transB ? 1 : n;
        int bCol = transB ? k : 1;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0, ai = aOff + i * aRow, bi = bOff + j * bCol; p < k; p++, ai += aCol, bi += bRow) {
                    sum += a[ai] * b[bi];
                }
                int ci = cOff + i * n + j;
                c[ci] = accumulate ? c[ci] + sum : sum;
            }
        }
    }

    private static void tinyD(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff,
            double[] b, int bOff, double[] c, int cOff, boolean accumulate) {
        int aRow = transA ? 1 : k;
        int aCol = transA ? m : 1;
        int bRow = transB ? 1 : n;
        int bCol = transB ? k : 1;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0d;
                for (int p = 0, ai = aOff + i * aRow, bi = bOff + j * bCol; p < k; p++, ai += aCol, bi += bRow) {
                    sum += a[ai] * b[bi];
                }
                int ci = cOff + i * n + j;
                c[ci] = accumulate ? c[ci] + sum : sum;
            }
        }
    }

    // ---- Java kernel -------------------------------------------------------------------------------------
    // Blocked over n (NC columns) and k (KC rows of B). The kc×nc block of op(B) is packed into separate row
    // arrays and each row of C is staged in a separate accumulator array, because JDK 17's C2 vectorizes a loop
    // only when all its array indices share one offset (measured: c[ci+j] += a*b[bo+j] runs ~5 GFLOP/s, the
    // same loop on zero-offset arrays ~30). The inner loop folds four k-steps into one load/store of C; wider
    // bodies exceed C2's unroll budget and stop vectorizing. Rows of C are split across cores.

    private static void javaS(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
            float[] b, int bOff, float[] c, int cOff, boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(c, cOff, cOff + m * n, 0f);
        }
        float[][] panel = SCRATCH.get().panelS(Math.min(k, KC), Math.min(n, NC));
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packS(transB, b, bOff, n, k, jc, nc, pc, kc, panel);
                int jc0 = jc;
                int pc0 = pc;
                Parallel.range(m, (long) kc * nc / 16, (from, to) -> {
                    float[] acc = SCRATCH.get().accS(nc);
                    for (int i = from; i < to; i++) {
                        int ci = cOff + i * n + jc0;
                        System.arraycopy(c, ci, acc, 0, nc);
                        rowS(transA, m, k, a, aOff, i, pc0, kc, panel, nc, acc);
                        System.arraycopy(acc, 0, c, ci, nc);
                    }
                });
            }
        }
    }

    /** Copies {@code op(B)[pc..pc+kc, jc..jc+nc]} into the first {@code kc} rows of {@code panel}. */
    private static void packS(boolean transB, float[] b, int bOff, int n, int k, int jc, int nc, int pc, int kc,
            float[][] panel) {
        for (int p = 0; p < kc; p++) {
            float[] row = panel[p];
            if (!transB) {
                System.arraycopy(b, bOff + (pc + p) * n + jc, row, 0, nc);
                continue;
            }
            for (int j = 0, src = bOff + jc * k + pc + p; j < nc; j++, src += k) {
                row[j] = b[src];
            }
        }
    }

    /** {@code acc[0..nc] += Σ_p A(i, pc+p) · panel[p][0..nc]}. */
    private static void rowS(boolean transA, int m, int k, float[] a, int aOff, int i, int pc, int kc,
            float[][] panel, int nc, float[] acc) {
        int aIdx = transA ? aOff + pc * m + i : aOff + i * k + pc;
        int aStep = transA ? m : 1;
        int p = 0;
        for (; p + 3 < kc; p += 4, aIdx += 4 * aStep) {
            fma4(acc, nc, a[aIdx], panel[p], a[aIdx + aStep], panel[p + 1],
                    a[aIdx + 2 * aStep], panel[p + 2], a[aIdx + 3 * aStep], panel[p + 3]);
        }
        for (; p < kc; p++, aIdx += aStep) {
            float s = a[aIdx];
            float[] row = panel[p];
            for (int j = 0; j < nc; j++) {
                acc[j] += s * row[j];
            }
        }
    }

    private static void fma4(float[] acc, int n, float s0, float[] r0, float s1, float[] r1, float s2,
            float[] r2, float s3, float[] r3) {
        for (int j = 0; j < n; j++) {
            acc[j] += s0 * r0[j] + s1 * r1[j] + s2 * r2[j] + s3 * r3[j];
        }
    }

    private static void javaD(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff,
            double[] b, int bOff, double[] c, int cOff, boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(c, cOff, cOff + m * n, 0d);
        }
        double[][] panel = SCRATCH.get().panelD(Math.min(k, KC), Math.min(n, NC));
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packD(transB, b, bOff, n, k, jc, nc, pc, kc, panel);
                int jc0 = jc;
                int pc0 = pc;
                Parallel.range(m, (long) kc * nc / 16, (from, to) -> {
                    double[] acc = SCRATCH.get().accD(nc);
                    for (int i = from; i < to; i++) {
                        int ci = cOff + i * n + jc0;
                        System.arraycopy(c, ci, acc, 0, nc);
                        rowD(transA, m, k, a, aOff, i, pc0, kc, panel, nc, acc);
                        System.arraycopy(acc, 0, c, ci, nc);
                    }
                });
            }
        }
    }

    private static void packD(boolean transB, double[] b, int bOff, int n, int k, int jc, int nc, int pc,
            int kc, double[][] panel) {
        for (int p = 0; p < kc; p++) {
            double[] row = panel[p];
            if (!transB) {
                System.arraycopy(b, bOff + (pc + p) * n + jc, row, 0, nc);
                continue;
            }
            for (int j = 0, src = bOff + jc * k + pc + p; j < nc; j++, src += k) {
                row[j] = b[src];
            }
        }
    }

    private static void rowD(boolean transA, int m, int k, double[] a, int aOff, int i, int pc, int kc,
            double[][] panel, int nc, double[] acc) {
        int aIdx = transA ? aOff + pc * m + i : aOff + i * k + pc;
        int aStep = transA ? m : 1;
        int p = 0;
        for (; p + 3 < kc; p += 4, aIdx += 4 * aStep) {
            fma4(acc, nc, a[aIdx], panel[p], a[aIdx + aStep], panel[p + 1],
                    a[aIdx + 2 * aStep], panel[p + 2], a[aIdx + 3 * aStep], panel[p + 3]);
        }
        for (; p < kc; p++, aIdx += aStep) {
            double s = a[aIdx];
            double[] row = panel[p];
            for (int j = 0; j < nc; j++) {
                acc[j] += s * row[j];
            }
        }
    }

    private static void fma4(double[] acc, int n, double s0, double[] r0, double s1, double[] r1, double s2,
            double[] r2, double s3, double[] r3) {
        for (int j = 0; j < n; j++) {
            acc[j] += s0 * r0[j] + s1 * r1[j] + s2 * r2[j] + s3 * r3[j];
        }
    }

    /** Per-thread buffers: three off-heap operands per precision (float ones with NIO views); Java-kernel panels. */
    private static final class Scratch {
        private final FloatPointer[] floats = new FloatPointer[3];
        private final DoublePointer[] doubles = new DoublePointer[3];
        private final FloatBuffer[] floatViews = new FloatBuffer[3];
        private float[][] panelS = new float[1][0];
        private double[][] panelD = new double[1][0];
        private float[] accS = new float[0];
        private double[] accD = new double[0];

        FloatPointer floats(int slot, int size) {
            FloatPointer p = floats[slot];
            if (p == null || p.capacity() < size) {
                long capacity = grow(p, size);
                close(p);
                p = new FloatPointer(capacity);
                floats[slot] = p;
                floatViews[slot] = null;
            }
            return p;
        }

        DoublePointer doubles(int slot, int size) {
            DoublePointer p = doubles[slot];
            if (p == null || p.capacity() < size) {
                long capacity = grow(p, size);
                close(p);
                p = new DoublePointer(capacity);
                doubles[slot] = p;
            }
            return p;
        }

        FloatBuffer floatBuffer(int slot, int size) {
            FloatPointer p = floats(slot, size);
            if (floatViews[slot] == null) {
                floatViews[slot] = p.asBuffer();
            }
            return floatViews[slot];
        }

        float[][] panelS(int rows, int cols) {
            if (panelS.length < rows || panelS[0].length < cols) {
                panelS = new float[Math.max(rows, panelS.length)][Math.max(cols, panelS[0].length)];
            }
            return panelS;
        }

        double[][] panelD(int rows, int cols) {
            if (panelD.length < rows || panelD[0].length < cols) {
                panelD = new double[Math.max(rows, panelD.length)][Math.max(cols, panelD[0].length)];
            }
            return panelD;
        }

        float[] accS(int size) {
            if (accS.length < size) {
                accS = new float[size];
            }
            return accS;
        }

        double[] accD(int size) {
            if (accD.length < size) {
                accD = new double[size];
            }
            return accD;
        }

        private static long grow(Pointer old, int size) {
            long capacity = old == null ? 0 : old.capacity();
            return Math.max(size, capacity + capacity / 2);
        }

        private static void close(Pointer p) {
            if (p != null) {
                p.close();
            }
        }
    }
}
