package dev.janus.backend.cpu;

import dev.janus.DType;
import java.util.Arrays;

/**
 * Per-thread scratch rows for staged fused loops (see {@link LoopGenerator}). They grow to the longest rows
 * seen and are reused, so the steady state allocates nothing; a helper thread's rows go when it retires.
 */
final class RowScratch {
    private static final ThreadLocal<RowScratch> LOCAL = ThreadLocal.withInitial(RowScratch::new);

    private float[][] floats = new float[0][];
    private double[][] doubles = new double[0][];

    private RowScratch() {}

    /** This thread's {@code float[][]} or {@code double[][]} with at least {@code rows} rows of {@code length}. */
    static Object get(DType dtype, int rows, int length) {
        RowScratch s = LOCAL.get();
        return dtype == DType.FLOAT32 ? s.floats(rows, length) : s.doubles(rows, length);
    }

    private float[][] floats(int rows, int length) {
        if (floats.length < rows) {
            floats = Arrays.copyOf(floats, rows);
        }
        for (int i = 0; i < rows; i++) {
            if (floats[i] == null || floats[i].length < length) {
                floats[i] = new float[length];
            }
        }
        return floats;
    }

    private double[][] doubles(int rows, int length) {
        if (doubles.length < rows) {
            doubles = Arrays.copyOf(doubles, rows);
        }
        for (int i = 0; i < rows; i++) {
            if (doubles[i] == null || doubles[i].length < length) {
                doubles[i] = new double[length];
            }
        }
        return doubles;
    }
}
