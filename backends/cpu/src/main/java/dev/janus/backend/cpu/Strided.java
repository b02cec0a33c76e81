package dev.janus.backend.cpu;

/**
 * Walks several operands laid out with arbitrary strides over one shape, row by row. Every movement op
 * (permute, expand, slice, flip, pad, concat) is a strided copy, and every broadcast elementwise op is a
 * strided walk, so this one iterator serves them all. Dimensions that are contiguous for every operand are
 * merged first, so a plain same-shape op becomes one long row.
 */
final class Strided {
    private Strided() {}

    /** Handles one row: {@code offsets[k]} is operand k's first element, {@code steps[k]} its stride. */
    @FunctionalInterface
    interface RowKernel {
        void row(int[] offsets, int[] steps, int n);
    }

    /** Row-major strides of a contiguous shape. */
    static long[] contiguous(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** Strides that read a contiguous {@code inShape} broadcast to {@code outShape} (0 on broadcast axes). */
    static long[] broadcast(long[] inShape, long[] outShape) {
        long[] c = contiguous(inShape);
        long[] s = new long[outShape.length];
        int lead = outShape.length - inShape.length;
        for (int i = lead; i < outShape.length; i++) {
            s[i] = inShape[i - lead] == 1 && outShape[i] != 1 ? 0 : c[i - lead];
        }
        return s;
    }

    /**
     * Calls {@code kernel} for every row of {@code shape}, in parallel when the work is large. {@code cost}
     * is the rough cost of one element relative to a copy.
     */
    static void forEach(long[] shape, long[][] strides, long[] bases, int cost, RowKernel kernel) {
        int ops = strides.length;
        long[] dims = new long[shape.length];
        long[][] st = new long[ops][shape.length];
        int rank = collapse(shape, strides, dims, st);
        long numel = 1;
        for (int i = 0; i < rank; i++) {
            numel *= dims[i];
        }
        if (numel == 0) {
            return;
        }
        long inner = rank == 0 ? 1 : dims[rank - 1];
        int[] steps = new int[ops];
        for (int k = 0; k < ops; k++) {
            steps[k] = rank == 0 ? 0 : (int) st[k][rank - 1];
        }
        long rows = numel / inner;
        long block = inner;
        if (rows < 4L * Parallel.threads() && inner * cost > Parallel.SERIAL_THRESHOLD) {
            block = Math.max(4096, (inner + 4L * Parallel.threads() - 1) / (4L * Parallel.threads()));
        }
        long blocksPerRow = (inner + block - 1) / block;
        long items = rows * blocksPerRow;
        final int outerRank = Math.max(0, rank - 1);
        final long fBlock = block;
        Parallel.range((int) items, fBlock * cost, (from, to) -> {
            int[] off = new int[ops];
            int[] stepsCopy = steps.clone();
            for (int item = from; item < to; item++) {
                long row = item / blocksPerRow;
                long start = (item % blocksPerRow) * fBlock;
                for (int k = 0; k < ops; k++) {
                    long o = bases[k];
                    long r = row;
                    for (int d = outerRank - 1; d >= 0; d--) {
                        long idx = r % dims[d];
                        r /= dims[d];
                        o += idx * st[k][d];
                    }
                    off[k] = (int) (o + start * stepsCopy[k]);
                }
                kernel.row(off, stepsCopy, (int) Math.min(fBlock, inner - start));
            }
        });
    }

    /** Merges adjacent dimensions that are contiguous for every operand and drops size-1 dimensions. */
    private static int collapse(long[] shape, long[][] strides, long[] dims, long[][] st) {
        int rank = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 1) {
                continue;
            }
            boolean merge = rank > 0;
            for (int k = 0; k < strides.length && merge; k++) {
                merge = st[k][rank - 1] == strides[k][i] * shape[i];
            }
            if (merge) {
                dims[rank - 1] *= shape[i];
                for (int k = 0; k < strides.length; k++) {
                    st[k][rank - 1] = strides[k][i];
                }
            } else {
                dims[rank] = shape[i];
                for (int k = 0; k < strides.length; k++) {
                    st[k][rank] = strides[k][i];
                }
                rank++;
            }
        }
        return rank;
    }

    /** dst[view] = src[view] for any element type; contiguous rows use {@code System.arraycopy}. */
    static void copy(Object src, long srcBase, long[] srcStrides, Object dst, long dstBase, long[] dstStrides, long[] shape) {
        forEach(shape, new long[][] {srcStrides, dstStrides}, new long[] {srcBase, dstBase}, 1, (off, step, n) -> {
            if (step[0] == 1 && step[1] == 1) {
                System.arraycopy(src, off[0], dst, off[1], n);
            } else {
                copyRow(src, off[0], step[0], dst, off[1], step[1], n);
            }
        });
    }

    private static void copyRow(Object src, int s, int ss, Object dst, int d, int ds, int n) {
        if (src instanceof float[] a) {
            float[] b = (float[]) dst;
            for (int i = 0; i < n; i++) {
                b[d + i * ds] = a[s + i * ss];
            }
        } else if (src instanceof double[] a) {
            double[] b = (double[]) dst;
            for (int i = 0; i < n; i++) {
                b[d + i * ds] = a[s + i * ss];
            }
        } else if (src instanceof int[] a) {
            int[] b = (int[]) dst;
            for (int i = 0; i < n; i++) {
                b[d + i * ds] = a[s + i * ss];
            }
        } else if (src instanceof long[] a) {
            long[] b = (long[]) dst;
            for (int i = 0; i < n; i++) {
                b[d + i * ds] = a[s + i * ss];
            }
        } else {
            byte[] a = (byte[]) src;
            byte[] b = (byte[]) dst;
            for (int i = 0; i < n; i++) {
                b[d + i * ds] = a[s + i * ss];
            }
        }
    }
}
