package dev.janus.backend.cpu;

/**
 * Gather and scatter-add along one axis. Index values are checked against the axis size, so a bad index is
 * an {@link IllegalArgumentException} naming the op, the value and the axis, never an array fault.
 */
final class IndexKernels {
    private IndexKernels() {}

    static CpuBuffer gather(CpuBuffer x, long[] xShape, CpuBuffer index, long[] idxShape, int axis) {
        CpuBuffer out = CpuBuffer.allocate(x.dtype, Shapes.numel(idxShape));
        walk("gather", x, xShape, index, idxShape, axis, (src, pos) -> copy(x.array, src, out.array, pos));
        return out;
    }

    static CpuBuffer scatterAdd(CpuBuffer self, long[] selfShape, CpuBuffer index, long[] idxShape, CpuBuffer src, int axis) {
        CpuBuffer out = ElementwiseKernels.cast(self, self.dtype);
        walk("scatter_add", self, selfShape, index, idxShape, axis, (dst, pos) -> add(src.array, pos, out.array, dst));
        return out;
    }

    private interface Visit {
        void at(int target, int indexPosition);
    }

    /** Visits each index position with the flat offset it names in the indexed tensor. */
    private static void walk(String op, CpuBuffer x, long[] xShape, CpuBuffer index, long[] idxShape, int axis, Visit v) {
        int rank = idxShape.length;
        long[] xs = Strided.contiguous(xShape);
        int n = (int) Shapes.numel(idxShape);
        int[] counter = new int[rank];
        long axisSize = xShape[axis];
        for (int pos = 0; pos < n; pos++) {
            long idx = index.getLong(pos);
            if (idx < 0 || idx >= axisSize) {
                throw new IllegalArgumentException("op '" + op + "': index " + idx + " is out of range for axis " + axis
                        + " of size " + axisSize + " (shape " + java.util.Arrays.toString(xShape) + ")");
            }
            long off = 0;
            for (int d = 0; d < rank; d++) {
                off += (d == axis ? idx : counter[d]) * xs[d];
            }
            v.at((int) off, pos);
            for (int d = rank - 1; d >= 0; d--) {
                if (++counter[d] < idxShape[d]) {
                    break;
                }
                counter[d] = 0;
            }
        }
    }

    private static void copy(Object from, int i, Object to, int j) {
        if (to instanceof float[] o) {
            o[j] = ((float[]) from)[i];
        } else if (to instanceof double[] o) {
            o[j] = ((double[]) from)[i];
        } else if (to instanceof int[] o) {
            o[j] = ((int[]) from)[i];
        } else if (to instanceof long[] o) {
            o[j] = ((long[]) from)[i];
        } else {
            ((byte[]) to)[j] = ((byte[]) from)[i];
        }
    }

    private static void add(Object from, int i, Object to, int j) {
        if (to instanceof float[] o) {
            o[j] += ((float[]) from)[i];
        } else if (to instanceof double[] o) {
            o[j] += ((double[]) from)[i];
        } else if (to instanceof int[] o) {
            o[j] += ((int[]) from)[i];
        } else if (to instanceof long[] o) {
            o[j] += ((long[]) from)[i];
        } else {
            ((byte[]) to)[j] |= ((byte[]) from)[i];
        }
    }
}
