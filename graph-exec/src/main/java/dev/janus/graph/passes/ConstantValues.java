package dev.janus.graph.passes;

import dev.janus.Tensor;
import java.util.Arrays;

/** Reading the contents of (small) constant tensors, for the passes that compare them. */
final class ConstantValues {
    private ConstantValues() {}

    /**
     * The elements of {@code t} as exact 64-bit patterns: integers as themselves, floats as the bits of their
     * double value (every float is exactly a double; all NaNs read as one), bools as 0 or 1.
     */
    static long[] bits(Tensor t) {
        if (t.dtype().isFloating()) {
            double[] d = t.toDoubleArray();
            long[] out = new long[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = Double.doubleToLongBits(d[i]);
            }
            return out;
        }
        return t.toLongArray();
    }

    /**
     * True when {@code t} has at most {@code maxElements} elements and all of them equal {@code value}
     * ({@code ==}, so -0.0 counts as 0).
     */
    static boolean allEqual(Tensor t, double value, long maxElements) {
        if (t.numel() > maxElements) {
            return false;
        }
        if (t.dtype().isFloating()) {
            return Arrays.stream(t.toDoubleArray()).allMatch(d -> d == value);
        }
        return Arrays.stream(t.toLongArray()).allMatch(l -> l == value);
    }
}
