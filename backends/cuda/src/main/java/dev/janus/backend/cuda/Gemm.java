package dev.janus.backend.cuda;

import dev.janus.DType;

/** Runs a {@link GemmPlan} on device memory. On a GPU: cuBLAS ({@link dev.janus.backend.cuda.runtime.CublasGemm}). */
public interface Gemm {
    /** {@code c = a @ b} as the plan says, for float32 or float64 data at the three device addresses. */
    void gemm(DType dtype, GemmPlan plan, long a, long b, long c);
}
