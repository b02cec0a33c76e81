package dev.janus.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.janus.DType;

/**
 * The comparison tolerances of every conformance test, as data: one entry per dtype. A value passes when
 * {@code |actual - expected| <= atol + rtol * |expected|}; NaN must meet NaN and an infinity the same
 * infinity. Integer and bool results compare exactly.
 *
 * <p>Float32 references are computed in double from the float32 inputs and then rounded, so a correctly
 * rounded primitive is within half an ulp; the slack (about 8 ulp) covers composites (GELU, softplus, var)
 * whose float32 intermediates round several times, and float32's erf approximation (about 1e-7).
 */
final class Tolerances {
    /** One dtype's tolerance. */
    record Tol(double rtol, double atol) {
        boolean close(double actual, double expected) {
            if (Double.isNaN(expected)) {
                return Double.isNaN(actual);
            }
            if (Double.isInfinite(expected)) {
                return actual == expected;
            }
            return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
        }
    }

    static final Tol FLOAT32 = new Tol(1e-6, 1e-7);
    static final Tol FLOAT64 = new Tol(1e-12, 1e-13);
    static final Tol EXACT = new Tol(0, 0);

    private Tolerances() {}

    /** The tolerance for ordinary (moderate-range) values of {@code dtype}. */
    static Tol of(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> FLOAT32;
            case FLOAT64 -> FLOAT64;
            case INT32, INT64, BOOL -> EXACT;
        };
    }

    /**
     * The tolerance for extreme-range inputs (±1e30, ±1e-30, ...): relative only, so that a result of 1e-30
     * is not "close" to 0.
     */
    static Tol extreme(DType dtype) {
        return new Tol(of(dtype).rtol(), 0);
    }

    /** Asserts element-wise closeness, naming the first bad element and the inputs that produced it. */
    static void assertClose(String what, Tol tol, double[] expected, double[] actual, InputDescriber inputs) {
        assertEquals(expected.length, actual.length, what + ": number of elements");
        for (int i = 0; i < expected.length; i++) {
            if (!tol.close(actual[i], expected[i])) {
                fail(what + ": element " + i + (inputs == null ? "" : " (inputs " + inputs.describe(i) + ")")
                        + ": expected " + expected[i] + " but got " + actual[i] + " (tolerance " + tol + ")");
            }
        }
    }

    static void assertClose(String what, DType dtype, double[] expected, double[] actual) {
        assertClose(what, of(dtype), expected, actual, null);
    }

    static void assertClose(String what, DType dtype, double expected, double actual) {
        assertClose(what, of(dtype), new double[] {expected}, new double[] {actual}, null);
    }

    /** Names the inputs behind output element {@code i} in failure messages. */
    @FunctionalInterface
    interface InputDescriber {
        String describe(int i);
    }
}
