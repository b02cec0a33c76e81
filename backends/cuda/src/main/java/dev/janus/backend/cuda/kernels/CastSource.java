package dev.janus.backend.cuda.kernels;

import dev.janus.DType;

/**
 * CAST as the CPU backend does it: float to integer truncates toward zero and saturates like Java's
 * {@code (long)} (NaN gives 0; to int32 the long is then narrowed, keeping its low 32 bits), anything to bool
 * is "not zero" (NaN is true), int64 to float32 rounds through double.
 */
final class CastSource {
    private CastSource() {}

    static String cast(DType from, DType to, String a) {
        if (from == to) {
            return a;
        }
        return switch (to) {
            case FLOAT32 -> from == DType.INT64 ? "((float) (double) " + a + ")" : "((float) " + a + ")";
            case FLOAT64 -> "((double) " + a + ")";
            case BOOL -> "((unsigned char) (" + a + " != 0))";
            case INT64 -> toLong(from, a);
            case INT32 -> "((int) (unsigned int) (unsigned long long) " + toLong(from, a) + ")";
        };
    }

    private static String toLong(DType from, String a) {
        return from.isFloating() ? "janus_to_long((double) " + a + ")" : "((long long) " + a + ")";
    }
}
