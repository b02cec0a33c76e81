package dev.janus.backend.cuda;

import dev.janus.Shape;

/**
 * A row-major (batched) matrix product as the column-major BLAS call that computes it. cuBLAS is column-major;
 * a row-major matrix read column-major is its transpose, so {@code C = op(A) op(B)} is computed as
 * {@code Cᵀ = op(B)ᵀ op(A)ᵀ}: B first, A second, sizes {@code n, m, k}, and a row-major {@code x}×{@code y} matrix
 * has leading dimension {@code y}.
 *
 * <pre>{@code
 * GemmPlan p = GemmPlan.of(Shape.of(64, 784), Shape.of(512, 784), false, true); // x @ wᵀ
 * cublasSgemmStridedBatched(h, p.transFirst(), p.transSecond(), p.n(), p.m(), p.k(), 1, b, p.ldb(), p.strideB(),
 *         a, p.lda(), p.strideA(), 0, c, p.ldc(), p.strideC(), p.batch());
 * }</pre>
 *
 * @param transFirst  whether cuBLAS transposes its first operand (Janus's B)
 * @param transSecond whether cuBLAS transposes its second operand (Janus's A)
 * @param strideA     elements between consecutive A matrices; 0 when A is broadcast over the batch
 */
public record GemmPlan(boolean transFirst, boolean transSecond, int m, int n, int k, int lda, int ldb, int ldc,
        long strideA, long strideB, long strideC, int batch) {

    /**
     * The plan for {@code op(a) @ op(b)}, or null when the batch dims are broadcast in a way one strided call
     * cannot express (only "equal batches" and "one side has a batch of 1" can) or a size exceeds an int.
     */
    public static GemmPlan of(Shape a, Shape b, boolean transA, boolean transB) {
        long m = a.dim(transA ? -1 : -2);
        long k = a.dim(transA ? -2 : -1);
        long n = b.dim(transB ? -2 : -1);
        long batchA = a.numel(0, a.rank() - 2);
        long batchB = b.numel(0, b.rank() - 2);
        long batch = Math.max(batchA, batchB);
        boolean sameBatchDims = a.rank() == b.rank() && java.util.Arrays.equals(
                java.util.Arrays.copyOf(a.dims(), a.rank() - 2), java.util.Arrays.copyOf(b.dims(), b.rank() - 2));
        if (!(sameBatchDims || batchA == 1 || batchB == 1) || Math.max(Math.max(m, n), k) > Integer.MAX_VALUE
                || batch > Integer.MAX_VALUE) {
            return null;
        }
        return new GemmPlan(transB, transA, (int) m, (int) n, (int) k,
                (int) Math.max(1, transA ? m : k), (int) Math.max(1, transB ? k : n), (int) Math.max(1, n),
                batchA == 1 ? 0 : m * k, batchB == 1 ? 0 : k * n, m * n, (int) batch);
    }
}
