package dev.janus.backend.cuda.runtime;

import dev.janus.DType;
import dev.janus.backend.cuda.Gemm;
import dev.janus.backend.cuda.GemmPlan;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * {@link Gemm} through cuBLAS's strided-batched GEMM (one call for a single product too) on the legacy default
 * stream. FP32 products use full-precision math unless {@link #setTf32(boolean)} allows TF32 tensor cores.
 */
public final class CublasGemm implements Gemm {
    private final cublasContext handle = new cublasContext();

    public CublasGemm() {
        check(cublas.cublasCreate_v2(handle), "cublasCreate");
    }

    /** Lets float32 products use TF32 tensor cores (about 10 mantissa bits in the products) when true. */
    public synchronized void setTf32(boolean allowed) {
        check(cublas.cublasSetMathMode(handle, allowed ? cublas.CUBLAS_TF32_TENSOR_OP_MATH : cublas.CUBLAS_DEFAULT_MATH),
                "cublasSetMathMode");
    }

    @Override
    public synchronized void gemm(DType dtype, GemmPlan p, long a, long b, long c) {
        int opFirst = p.transFirst() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
        int opSecond = p.transSecond() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
        if (dtype == DType.FLOAT32) {
            try (FloatPointer one = new FloatPointer(1f); FloatPointer zero = new FloatPointer(0f)) {
                check(cublas.cublasSgemmStridedBatched(handle, opFirst, opSecond, p.n(), p.m(), p.k(), one,
                        new FloatPointer(CudaCalls.at(b)), p.ldb(), p.strideB(), new FloatPointer(CudaCalls.at(a)), p.lda(),
                        p.strideA(), zero, new FloatPointer(CudaCalls.at(c)), p.ldc(), p.strideC(), p.batch()),
                        "cublasSgemmStridedBatched");
            }
        } else if (dtype == DType.FLOAT64) {
            try (DoublePointer one = new DoublePointer(1d); DoublePointer zero = new DoublePointer(0d)) {
                check(cublas.cublasDgemmStridedBatched(handle, opFirst, opSecond, p.n(), p.m(), p.k(), one,
                        new DoublePointer(CudaCalls.at(b)), p.ldb(), p.strideB(), new DoublePointer(CudaCalls.at(a)), p.lda(),
                        p.strideA(), zero, new DoublePointer(CudaCalls.at(c)), p.ldc(), p.strideC(), p.batch()),
                        "cublasDgemmStridedBatched");
            }
        } else {
            throw new IllegalArgumentException("cuBLAS GEMM is float32/float64 only, got " + dtype);
        }
    }

    private static void check(int status, String call) {
        if (status != cublas.CUBLAS_STATUS_SUCCESS) {
            BytePointer s = cublas.cublasGetStatusString(status);
            throw new CudaException(call + " failed: cuBLAS status " + status + (s == null ? "" : " (" + s.getString() + ")"));
        }
    }
}
