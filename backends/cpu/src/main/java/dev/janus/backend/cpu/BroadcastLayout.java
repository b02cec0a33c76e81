package dev.janus.backend.cpu;

import java.util.Arrays;
import java.util.List;

/**
 * How a fused loop walks its operands: the output is viewed as {@code [rows, cols]}, where {@code cols} is
 * the product of a trailing run of output dimensions, and each input is read one of four cheap ways. The
 * split is chosen so that as few inputs as possible fit none of them (those are materialized to the full
 * output shape first), and among equals the one with the longest rows, which vectorize best.
 *
 * <pre>{@code
 * out [64, 512]: x [64, 512] FULL, bias [512] ROW, rowMax [64, 1] COL, scale [] SCALAR (rows 64, cols 512)
 * }</pre>
 */
record BroadcastLayout(int rows, int cols, List<Access> access, boolean[] materialize) {

    /** How the loop reads one input at output element {@code (r, j)}. */
    enum Access {
        /** same shape as the output: {@code in[r * cols + j]} */
        FULL,
        /** varies only along the columns: {@code in[j]} */
        ROW,
        /** varies only along the rows: {@code in[r]}, read once per row */
        COL,
        /** one element, read once */
        SCALAR,
        /** not read by the loop (an operand of the matmul only) */
        UNUSED
    }

    /** The layout for inputs of {@code shapes} broadcast to {@code out}; {@code used[i]} says whether the loop reads input i. */
    static BroadcastLayout of(long[] out, List<long[]> shapes, boolean[] used) {
        int best = -1;
        int bestMissing = Integer.MAX_VALUE;
        for (int split = 0; split <= out.length; split++) {
            int missing = 0;
            for (int i = 0; i < shapes.size(); i++) {
                if (used[i] && classify(out, padded(shapes.get(i), out.length), split) == null) {
                    missing++;
                }
            }
            if (missing < bestMissing) {
                best = split;
                bestMissing = missing;
            }
        }
        Access[] access = new Access[shapes.size()];
        boolean[] materialize = new boolean[shapes.size()];
        for (int i = 0; i < access.length; i++) {
            Access a = used[i] ? classify(out, padded(shapes.get(i), out.length), best) : Access.UNUSED;
            materialize[i] = a == null;
            access[i] = a == null ? Access.FULL : a;
        }
        return new BroadcastLayout((int) Shapes.numel(out, 0, best), (int) Shapes.numel(out, best, out.length),
                List.of(access), materialize);
    }

    /** How input {@code in} (padded to the output's rank) is read when columns start at axis {@code split}; null if no way fits. */
    private static Access classify(long[] out, long[] in, int split) {
        if (Shapes.numel(in) == 1) {
            return Access.SCALAR;
        }
        if (Arrays.equals(in, out)) {
            return Access.FULL;
        }
        boolean row = true;
        boolean col = true;
        for (int d = 0; d < out.length; d++) {
            boolean same = in[d] == out[d];
            boolean one = in[d] == 1;
            row &= d < split ? one : same;
            col &= d < split ? same : one;
        }
        return row ? Access.ROW : col ? Access.COL : null;
    }

    private static long[] padded(long[] shape, int rank) {
        long[] p = new long[rank];
        Arrays.fill(p, 1);
        System.arraycopy(shape, 0, p, rank - shape.length, shape.length);
        return p;
    }

    /** Whether input i is expanded to the full output before the loop runs. */
    boolean materialized(int i) {
        return materialize[i];
    }
}
