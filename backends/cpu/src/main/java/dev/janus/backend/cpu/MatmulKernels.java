package dev.janus.backend.cpu;

import dev.janus.DType;

/**
 * Batched matrix products with broadcast batch dimensions and BLAS transpose flags, one GEMM per batch
 * entry. When only the left operand has batch dimensions and is not transposed (a Linear layer on a
 * sequence), the batch folds into the row count and the whole product is a single GEMM.
 */
final class MatmulKernels {
    private MatmulKernels() {}

    static CpuBuffer matmul(CpuBuffer a, long[] aShape, boolean ta, CpuBuffer b, long[] bShape, boolean tb, long[] outShape) {
        CpuBuffer out = CpuBuffer.allocateOverwritten(a.dtype, Shapes.numel(outShape)); // GEMM writes every element
        matmulInto(a, aShape, ta, b, bShape, tb, outShape, out);
        return out;
    }

    /** The product written into {@code out} (every element; {@code out} is not an operand). */
    static void matmulInto(CpuBuffer a, long[] aShape, boolean ta, CpuBuffer b, long[] bShape, boolean tb, long[] outShape,
            CpuBuffer out) {
        int r = outShape.length;
        int m = (int) outShape[r - 2];
        int n = (int) outShape[r - 1];
        int k = (int) aShape[aShape.length - (ta ? 2 : 1)];
        long[] batch = java.util.Arrays.copyOf(outShape, r - 2);
        long batches = Shapes.numel(batch);
        if (Shapes.numel(bShape, 0, bShape.length - 2) == 1 && !ta) {
            gemm(a, 0, false, b, 0, tb, out, 0, (int) (batches * m), n, k);
            return;
        }
        long[] aBatch = java.util.Arrays.copyOf(aShape, aShape.length - 2);
        long[] bBatch = java.util.Arrays.copyOf(bShape, bShape.length - 2);
        long[] aStrides = Strided.broadcast(aBatch, batch);
        long[] bStrides = Strided.broadcast(bBatch, batch);
        int[] counter = new int[batch.length];
        for (long i = 0; i < batches; i++) {
            long ao = 0;
            long bo = 0;
            for (int d = 0; d < batch.length; d++) {
                ao += counter[d] * aStrides[d];
                bo += counter[d] * bStrides[d];
            }
            gemm(a, (int) (ao * m * k), ta, b, (int) (bo * k * n), tb, out, (int) (i * m * n), m, n, k);
            for (int d = batch.length - 1; d >= 0; d--) {
                if (++counter[d] < batch[d]) {
                    break;
                }
                counter[d] = 0;
            }
        }
    }

    private static void gemm(CpuBuffer a, int ao, boolean ta, CpuBuffer b, int bo, boolean tb, CpuBuffer c, int co,
            int m, int n, int k) {
        if (a.dtype == DType.FLOAT32) {
            Gemm.sgemmMirrored(ta, tb, m, n, k, a.f32(), ao, a.gemmMirror(), b.f32(), bo, b.gemmMirror(), c.f32(), co);
        } else {
            Gemm.dgemm(ta, tb, m, n, k, a.f64(), ao, b.f64(), bo, c.f64(), co, false);
        }
    }
}
