package dev.janus.conformance;

import static dev.janus.conformance.ShapeTestSupport.assertValues;
import static dev.janus.conformance.ShapeTestSupport.f64;
import static dev.janus.conformance.ShapeTestSupport.numel;
import static dev.janus.conformance.ShapeTestSupport.randomValues;
import static dev.janus.conformance.ShapeTestSupport.ravel;
import static dev.janus.conformance.ShapeTestSupport.tensor;
import static dev.janus.conformance.ShapeTestSupport.unravel;

import dev.janus.DType;
import dev.janus.GradCheck;
import dev.janus.Tensor;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * matmul with numpy's rules (1-D operands promoted and the added dimension removed, batch dimensions
 * broadcast), bmm, outer and dot, against a plain triple loop in double: small cases, zero-size cases and
 * products large enough to cross the GEMM's blocking (k above its 256-deep panel, n above its 512-wide one).
 */
class LinalgConformanceTest {
    /** float32 products of k ≤ 300 standard-normal terms: error about k·ε·|terms|, far below this. */
    private static final double F32_ATOL = 1e-3;
    private static final double F32_RTOL = 1e-4;
    private static final double F64_ATOL = 1e-11;
    private static final double F64_RTOL = 1e-11;

    private static long[] s(long... d) {
        return d;
    }

    private static double atol(DType t) {
        return t == DType.FLOAT32 ? F32_ATOL : F64_ATOL;
    }

    private static double rtol(DType t) {
        return t == DType.FLOAT32 ? F32_RTOL : F64_RTOL;
    }

    /** numpy matmul in double; writes the result shape into {@code outShape[0]}. */
    static double[] matmulRef(double[] a, long[] as, double[] b, long[] bs, long[][] outShape) {
        long[] a2 = as.length == 1 ? s(1, as[0]) : as;
        long[] b2 = bs.length == 1 ? s(bs[0], 1) : bs;
        int m = (int) a2[a2.length - 2];
        int k = (int) a2[a2.length - 1];
        int n = (int) b2[b2.length - 1];
        long[] ab = Arrays.copyOf(a2, a2.length - 2);
        long[] bb = Arrays.copyOf(b2, b2.length - 2);
        int r = Math.max(ab.length, bb.length);
        long[] batch = new long[r];
        for (int i = 0; i < r; i++) {
            long da = i < r - ab.length ? 1 : ab[i - (r - ab.length)];
            long db = i < r - bb.length ? 1 : bb[i - (r - bb.length)];
            batch[i] = da == 1 ? db : da;
        }
        int batches = numel(batch);
        double[] out = new double[batches * m * n];
        for (int q = 0; q < batches; q++) {
            int[] idx = unravel(q, batch);
            int aOff = batchOffset(idx, ab) * m * k;
            int bOff = batchOffset(idx, bb) * k * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int p = 0; p < k; p++) {
                        acc += a[aOff + i * k + p] * b[bOff + p * n + j];
                    }
                    out[(q * m + i) * n + j] = acc;
                }
            }
        }
        long[] shape = Arrays.copyOf(batch, r + 2);
        shape[r] = m;
        shape[r + 1] = n;
        if (bs.length == 1) {
            shape = Arrays.copyOf(shape, shape.length - 1);
        }
        if (as.length == 1) {
            long[] sq = new long[shape.length - 1];
            for (int i = 0, j = 0; i < shape.length; i++) {
                if (i != (bs.length == 1 ? shape.length - 1 : shape.length - 2)) {
                    sq[j++] = shape[i];
                }
            }
            shape = sq;
        }
        outShape[0] = shape;
        return out;
    }

    /** Flat batch index into an operand whose batch dims {@code own} broadcast to the output's. */
    private static int batchOffset(int[] outIdx, long[] own) {
        int lead = outIdx.length - own.length;
        int[] idx = new int[own.length];
        for (int d = 0; d < own.length; d++) {
            idx[d] = own[d] == 1 ? 0 : outIdx[d + lead];
        }
        return ravel(idx, own);
    }

    static Stream<Arguments> matmulCases() {
        Stream<long[][]> shapes = Stream.of(
                new long[][] {s(3), s(3)},
                new long[][] {s(3), s(3, 4)},
                new long[][] {s(2, 3), s(3)},
                new long[][] {s(2, 3), s(3, 4)},
                new long[][] {s(1, 1), s(1, 1)},
                new long[][] {s(2, 2, 3), s(2, 3, 4)},
                new long[][] {s(2, 1, 3, 4), s(5, 4, 2)},
                new long[][] {s(2, 3, 4), s(4, 5)},
                new long[][] {s(2, 3, 4), s(1, 4, 5)},
                new long[][] {s(1, 3, 4), s(2, 4, 5)},
                new long[][] {s(3, 4), s(2, 4, 5)},
                new long[][] {s(4), s(2, 4, 3)},
                new long[][] {s(2, 3, 4), s(4)},
                new long[][] {s(3, 1, 2, 3), s(3, 2)},
                new long[][] {s(0, 3), s(3, 4)},
                new long[][] {s(2, 0), s(0, 3)},
                new long[][] {s(0), s(0)},
                new long[][] {s(2, 0, 3, 4), s(4, 5)},
                new long[][] {s(130, 70), s(70, 90)},
                new long[][] {s(2, 65, 33), s(2, 33, 67)},
                new long[][] {s(33, 300), s(300, 530)});
        return shapes.flatMap(p -> Stream.of(DType.FLOAT32, DType.FLOAT64).map(t -> Arguments.of(p[0], p[1], t)));
    }

    @ParameterizedTest(name = "{0} @ {1} {2}")
    @MethodSource("matmulCases")
    void matmul_numpyRules_matchesTripleLoop(long[] as, long[] bs, DType t) {
        double[] a = randomValues(numel(as), 1);
        double[] b = randomValues(numel(bs), 2);
        long[][] out = new long[1][];
        double[] expected = matmulRef(a, as, b, bs, out);
        Tensor r = tensor(a, as, t).matmul(tensor(b, bs, t));
        assertValues(expected, out[0], t, r, atol(t), rtol(t));
    }

    @ParameterizedTest
    @MethodSource("dev.janus.conformance.ShapeTestSupport#floatTypes")
    void bmm_batches_matchTripleLoop(DType t) {
        double[] a = randomValues(3 * 4 * 5, 3);
        double[] b = randomValues(3 * 5 * 2, 4);
        long[][] out = new long[1][];
        double[] expected = matmulRef(a, s(3, 4, 5), b, s(3, 5, 2), out);
        assertValues(expected, s(3, 4, 2), t, tensor(a, s(3, 4, 5), t).bmm(tensor(b, s(3, 5, 2), t)), atol(t), rtol(t));
    }

    @ParameterizedTest
    @MethodSource("dev.janus.conformance.ShapeTestSupport#floatTypes")
    void outer_twoVectors_isAllProducts(DType t) {
        double[] a = randomValues(4, 5);
        double[] b = randomValues(3, 6);
        double[] expected = new double[12];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                expected[i * 3 + j] = a[i] * b[j];
            }
        }
        assertValues(expected, s(4, 3), t, tensor(a, s(4), t).outer(tensor(b, s(3), t)), atol(t), rtol(t));
    }

    @ParameterizedTest
    @MethodSource("dev.janus.conformance.ShapeTestSupport#floatTypes")
    void dot_twoVectors_isInnerProduct(DType t) {
        double[] a = randomValues(7, 7);
        double[] b = randomValues(7, 8);
        double acc = 0;
        for (int i = 0; i < 7; i++) {
            acc += a[i] * b[i];
        }
        assertValues(new double[] {acc}, s(), t, tensor(a, s(7), t).dot(tensor(b, s(7), t)), atol(t), rtol(t));
        assertValues(new double[] {0}, s(), t, tensor(new double[0], s(0), t).dot(tensor(new double[0], s(0), t)), 0, 0);
    }

    @Test
    void matmul_mixedFloatTypes_promotesToFloat64() {
        double[] a = randomValues(6, 9);
        double[] b = randomValues(6, 10);
        long[][] out = new long[1][];
        double[] expected = matmulRef(a, s(2, 3), b, s(3, 2), out);
        Tensor r = tensor(a, s(2, 3), DType.FLOAT32).matmul(tensor(b, s(3, 2), DType.FLOAT64));
        assertValues(expected, s(2, 2), DType.FLOAT64, r, F64_ATOL, F64_RTOL);
    }

    // ------------------------------------------------------------------ gradients

    static Stream<Arguments> gradShapes() {
        return Stream.of(
                Arguments.of(s(3), s(3)),
                Arguments.of(s(3), s(3, 4)),
                Arguments.of(s(2, 3), s(3)),
                Arguments.of(s(2, 3), s(3, 4)),
                Arguments.of(s(2, 2, 3), s(2, 3, 2)),
                Arguments.of(s(2, 1, 3, 2), s(3, 2, 2)),
                Arguments.of(s(2, 3, 4), s(4, 2)),
                Arguments.of(s(4), s(2, 4, 3)),
                Arguments.of(s(130, 70), s(70, 90)));
    }

    @ParameterizedTest(name = "{0} @ {1}")
    @MethodSource("gradShapes")
    void matmul_gradient_matchesFiniteDifferences(long[] as, long[] bs) {
        GradCheck.check(in -> in[0].matmul(in[1]), f64(randomValues(numel(as), 11), as),
                f64(randomValues(numel(bs), 12), bs));
    }

    @Test
    void bmm_gradient_matchesFiniteDifferences() {
        GradCheck.check(in -> in[0].bmm(in[1]), f64(randomValues(12, 13), 2, 3, 2), f64(randomValues(8, 14), 2, 2, 2));
    }

    @Test
    void outer_gradient_matchesFiniteDifferences() {
        GradCheck.check(in -> in[0].outer(in[1]), f64(randomValues(4, 15), 4), f64(randomValues(3, 16), 3));
    }

    @Test
    void dot_gradient_matchesFiniteDifferences() {
        GradCheck.check(in -> in[0].dot(in[1]), f64(randomValues(5, 17), 5), f64(randomValues(5, 18), 5));
    }
}
