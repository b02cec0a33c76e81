package dev.janus.backend.cuda;

import dev.janus.DType;

/** Java arrays as the SPI hands them (bools as {@code boolean[]}) and as device copies need them (bools as bytes). */
final class HostArrays {
    private HostArrays() {}

    /** A zeroed array for {@code n} elements of {@code t}, in the transfer form. */
    static Object newTransferArray(DType t, int n) {
        return switch (t) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT32 -> new int[n];
            case INT64 -> new long[n];
            case BOOL -> new byte[n];
        };
    }

    /** The SPI array in transfer form: booleans become 0/1 bytes, other arrays are used as they are. */
    static Object toTransfer(Object array, DType t) {
        if (t != DType.BOOL) {
            return array;
        }
        boolean[] b = (boolean[]) array;
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) (b[i] ? 1 : 0);
        }
        return out;
    }

    /** The transfer array in SPI form: bytes become booleans (nonzero is true). */
    static Object fromTransfer(Object array, DType t) {
        if (t != DType.BOOL) {
            return array;
        }
        byte[] b = (byte[]) array;
        boolean[] out = new boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] != 0;
        }
        return out;
    }

    /** Element count of an SPI array, checked to fit a Java array. */
    static int length(long numel) {
        if (numel > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a tensor of " + numel + " elements does not fit a Java array for a host copy");
        }
        return (int) numel;
    }
}
