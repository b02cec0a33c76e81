package dev.janus.graph.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.janus.DType;
import dev.janus.Tensor;

/**
 * How closely a graph result must match the eager one, as data: one entry per dtype. The executor runs the
 * same kernels on the same inputs as eager mode, so every entry is exact (bit-for-bit, NaN meets NaN, -0.0
 * differs from 0.0); should a graph pass ever reassociate floating arithmetic, widen the floating entries
 * here, and only here.
 */
final class DiffTolerances {
    /** One dtype's tolerance: {@code |actual - expected| <= atol + rtol * |expected|}, or bitwise when both are 0. */
    record Tol(double rtol, double atol) {
        boolean exact() {
            return rtol == 0 && atol == 0;
        }

        boolean close(double actual, double expected) {
            if (exact() || Double.isNaN(expected) || Double.isInfinite(expected)) {
                return Double.doubleToLongBits(actual) == Double.doubleToLongBits(expected);
            }
            return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
        }
    }

    static final Tol EXACT = new Tol(0, 0);

    private DiffTolerances() {}

    static Tol of(DType dtype) {
        return switch (dtype) {
            case FLOAT32, FLOAT64, INT32, INT64, BOOL -> EXACT;
        };
    }

    /** Asserts that {@code actual} has {@code expected}'s dtype, shape and (within the dtype's tolerance) values. */
    static void assertMatches(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        Tol tol = of(expected.dtype());
        if (expected.dtype().isIntegral() || expected.dtype() == DType.BOOL) {
            long[] e = expected.toLongArray();
            long[] a = actual.toLongArray();
            for (int i = 0; i < e.length; i++) {
                if (e[i] != a[i]) {
                    fail(what + ": element " + i + ": eager gives " + e[i] + " but the graph gives " + a[i]);
                }
            }
            return;
        }
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (!tol.close(a[i], e[i])) {
                fail(what + ": element " + i + ": eager gives " + e[i] + " but the graph gives " + a[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }
}
