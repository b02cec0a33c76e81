package dev.janus.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both GEMM paths (OpenBLAS when it loads, the Java kernel always) against a double-precision triple loop. */
class GemmTest {
    private static final double F32_EPS = 0x1p-24;
    private static final double F64_EPS = 0x1p-53;
    private static final float SENTINEL = -12345f;

    @AfterEach
    void restoreNative() {
        Gemm.forceJava(false);
    }

    @ParameterizedTest(name = "forceJava={0}")
    @ValueSource(booleans = {false, true})
    void sgemm_oddSizesAllTransposes_matchReference(boolean forceJava) {
        Gemm.forceJava(forceJava);
        Random rnd = new Random(42);
        for (int trial = 0; trial < 40; trial++) {
            int m = 1 + rnd.nextInt(70);
            int n = 1 + rnd.nextInt(70);
            int k = 1 + rnd.nextInt(70);
            for (int t = 0; t < 4; t++) {
                checkS(rnd, (t & 1) != 0, (t & 2) != 0, m, n, k, rnd.nextBoolean());
            }
        }
    }

    @ParameterizedTest(name = "forceJava={0}")
    @ValueSource(booleans = {false, true})
    void dgemm_oddSizesAllTransposes_matchReference(boolean forceJava) {
        Gemm.forceJava(forceJava);
        Random rnd = new Random(7);
        for (int trial = 0; trial < 40; trial++) {
            int m = 1 + rnd.nextInt(70);
            int n = 1 + rnd.nextInt(70);
            int k = 1 + rnd.nextInt(70);
            for (int t = 0; t < 4; t++) {
                checkD(rnd, (t & 1) != 0, (t & 2) != 0, m, n, k, rnd.nextBoolean());
            }
        }
    }

    @ParameterizedTest(name = "forceJava={0}")
    @ValueSource(booleans = {false, true})
    void gemm_tinyAndDegenerateShapes_matchReference(boolean forceJava) {
        Gemm.forceJava(forceJava);
        Random rnd = new Random(3);
        int[][] shapes = {{1, 1, 1}, {1, 7, 1}, {7, 1, 1}, {1, 1, 9}, {2, 3, 4}, {1, 600, 3}, {600, 1, 3}, {3, 1, 600}};
        for (int[] s : shapes) {
            for (int t = 0; t < 8; t++) {
                checkS(rnd, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], (t & 4) != 0);
                checkD(rnd, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], (t & 4) != 0);
            }
        }
    }

    @ParameterizedTest(name = "forceJava={0}")
    @ValueSource(booleans = {false, true})
    void gemm_large300x200x150_matchesReference(boolean forceJava) {
        Gemm.forceJava(forceJava);
        Random rnd = new Random(11);
        checkS(rnd, false, false, 300, 200, 150, false);
        checkS(rnd, true, true, 300, 200, 150, true);
        checkD(rnd, true, false, 300, 200, 150, true);
        checkD(rnd, false, true, 300, 200, 150, false);
    }

    @Test
    void gemm_zeroK_clearsOrKeepsC() {
        float[] c = {1, 2, 3, 4};
        Gemm.sgemm(false, false, 2, 2, 0, new float[0], 0, new float[0], 0, c, 0, true);
        assertArrayEquals(new float[] {1, 2, 3, 4}, c);
        Gemm.sgemm(false, false, 2, 2, 0, new float[0], 0, new float[0], 0, c, 0, false);
        assertArrayEquals(new float[4], c);
    }

    @Test
    void sgemm_javadocExample_isRight() {
        float[] c = new float[4];
        Gemm.sgemm(false, false, 2, 2, 2, new float[] {1, 2, 3, 4}, 0, new float[] {5, 6, 7, 8}, 0, c, 0, false);
        assertArrayEquals(new float[] {19, 22, 43, 50}, c);
    }

    @Test
    void nativeBlas_isOffWhileForcedJava() {
        boolean before = Gemm.nativeBlas();
        Gemm.forceJava(true);
        assertFalse(Gemm.nativeBlas());
        Gemm.forceJava(false);
        assertEquals(before, Gemm.nativeBlas());
    }

    /** Runs one product at random offsets, with sentinels around C, and compares with {@link #reference}. */
    private static void checkS(Random rnd, boolean ta, boolean tb, int m, int n, int k, boolean acc) {
        int aOff = rnd.nextInt(5);
        int bOff = rnd.nextInt(5);
        int cOff = 1 + rnd.nextInt(4);
        float[] a = randomF(rnd, aOff + m * k + 3);
        float[] b = randomF(rnd, bOff + k * n + 3);
        float[] c = randomF(rnd, cOff + m * n + 3);
        c[cOff - 1] = SENTINEL;
        c[c.length - 1] = SENTINEL;
        double[][] ref = reference(ta, tb, m, n, k, toD(a), aOff, toD(b), bOff, acc ? toD(c) : null, cOff);
        Gemm.sgemm(ta, tb, m, n, k, a, aOff, b, bOff, c, cOff, acc);
        String where = String.format("sgemm(ta=%b, tb=%b, %dx%dx%d, acc=%b)", ta, tb, m, n, k, acc);
        for (int i = 0; i < m * n; i++) {
            double tol = 4 * (k + 1) * F32_EPS * ref[1][i] + 1e-30;
            assertEquals(ref[0][i], c[cOff + i], tol, where + " at " + i);
        }
        assertEquals(SENTINEL, c[c.length - 1], where + " wrote past C");
        assertEquals(SENTINEL, c[cOff - 1], where + " wrote before C");
    }

    private static void checkD(Random rnd, boolean ta, boolean tb, int m, int n, int k, boolean acc) {
        int aOff = rnd.nextInt(5);
        int bOff = rnd.nextInt(5);
        int cOff = rnd.nextInt(5);
        double[] a = toD(randomF(rnd, aOff + m * k + 3));
        double[] b = toD(randomF(rnd, bOff + k * n + 3));
        double[] c = toD(randomF(rnd, cOff + m * n + 3));
        c[c.length - 1] = SENTINEL;
        double[][] ref = reference(ta, tb, m, n, k, a, aOff, b, bOff, acc ? c.clone() : null, cOff);
        Gemm.dgemm(ta, tb, m, n, k, a, aOff, b, bOff, c, cOff, acc);
        String where = String.format("dgemm(ta=%b, tb=%b, %dx%dx%d, acc=%b)", ta, tb, m, n, k, acc);
        for (int i = 0; i < m * n; i++) {
            double tol = 4 * (k + 1) * F64_EPS * ref[1][i] + 1e-300;
            assertEquals(ref[0][i], c[cOff + i], tol, where + " at " + i);
        }
        assertEquals(SENTINEL, c[c.length - 1], where + " wrote past C");
    }

    /** {@code [values, Σ|terms|]} of {@code op(A)·op(B) (+ C)}; the second row scales the tolerance. */
    private static double[][] reference(boolean ta, boolean tb, int m, int n, int k, double[] a, int aOff,
            double[] b, int bOff, double[] c, int cOff) {
        double[][] r = new double[2][m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = c == null ? 0 : c[cOff + i * n + j];
                double abs = Math.abs(sum);
                for (int p = 0; p < k; p++) {
                    double t = a[aOff + (ta ? p * m + i : i * k + p)] * b[bOff + (tb ? j * k + p : p * n + j)];
                    sum += t;
                    abs += Math.abs(t);
                }
                r[0][i * n + j] = sum;
                r[1][i * n + j] = abs;
            }
        }
        return r;
    }

    private static float[] randomF(Random rnd, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return v;
    }

    private static double[] toD(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
