package dev.janus.backend.cpu;

import dev.janus.DType;

/**
 * Batched matrix products with broadcast batch dimensions, one GEMM per batch entry. When only the left
 * operand has batch dimensions (a Linear layer on a sequence), the batch folds into the row count and the
 * whole product is a single GEMM.
 */
final class MatmulKernels {
    private MatmulKernels() {}

    static CpuBuffer matmul(CpuBuffer a, long[] aShape, CpuBuffer b, long[] bShape, long[] outShape) {
        int r = outShape.length;
        int m = (int) aShape[aShape.length - 2];
        int k = (int) aShape[aShape.length - 1];
        int n = (int) bShape[bShape.length - 1];
        CpuBuffer out = CpuBuffer.allocate(a.dtype, Shapes.numel(outShape));
        long[] batch = java.util.Arrays.copyOf(outShape, r - 2);
        long batches = Shapes.numel(batch);
        if (Shapes.numel(bShape, 0, bShape.length - 2) == 1) {
            gemm(a, 0, b, 0, out, 0, (int) (batches * m), n, k);
            return out;
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
            gemm(a, (int) (ao * m * k), b, (int) (bo * k * n), out, (int) (i * m * n), m, n, k);
            for (int d = batch.length - 1; d >= 0; d--) {
                if (++counter[d] < batch[d]) {
                    break;
                }
                counter[d] = 0;
            }
        }
        return out;
    }

    private static void gemm(CpuBuffer a, int ao, CpuBuffer b, int bo, CpuBuffer c, int co, int m, int n, int k) {
        if (a.dtype == DType.FLOAT32) {
            Gemm.sgemm(false, false, m, n, k, a.f32(), ao, b.f32(), bo, c.f32(), co, false);
        } else {
            Gemm.dgemm(false, false, m, n, k, a.f64(), ao, b.f64(), bo, c.f64(), co, false);
        }
    }
}
