// A fake libcublas.so.13 for fake-cuda-check.sh: cuBLAS's documented column-major strided-batched GEMM
// (C_b = alpha op(A_b) op(B_b) + beta C_b, A_b = A + b * strideA, op(X) = X or its transpose) on host memory,
// refusing leading dimensions cuBLAS would refuse.
static int max1(int x) { return x > 1 ? x : 1; }
int cublasCreate_v2(void** handle) { *handle = (void*) 0x3333; return 0; }
int cublasSetMathMode(void* handle, int mode) { return handle == (void*) 0x3333 && (mode == 0 || mode == 3) ? 0 : 7; }
const char* cublasGetStatusString(int status) { return "fake cuBLAS status"; }
#define GEMM(NAME, T) \
int NAME(void* h, int ta, int tb, int m, int n, int k, const T* alpha, const T* A, int lda, long long sA, \
        const T* B, int ldb, long long sB, const T* beta, T* C, int ldc, long long sC, int batch) { \
    if (h != (void*) 0x3333) return 1; \
    if (lda < max1(ta ? k : m) || ldb < max1(tb ? n : k) || ldc < max1(m)) return 7; \
    for (int b = 0; b < batch; b++) \
        for (int i = 0; i < m; i++) \
            for (int j = 0; j < n; j++) { \
                T s = 0; \
                for (int p = 0; p < k; p++) { \
                    T a = ta ? A[b * sA + p + (long long) i * lda] : A[b * sA + i + (long long) p * lda]; \
                    T x = tb ? B[b * sB + j + (long long) p * ldb] : B[b * sB + p + (long long) j * ldb]; \
                    s += a * x; \
                } \
                T* c = &C[b * sC + i + (long long) j * ldc]; \
                *c = *alpha * s + (*beta == 0 ? 0 : *beta * *c); \
            } \
    return 0; \
}
GEMM(cublasSgemmStridedBatched, float)
GEMM(cublasDgemmStridedBatched, double)
