// Helpers of Janus's generated elementwise kernels: Java's semantics where C's differ. No #include: NVRTC
// compiles this without the standard headers, and the CPU tests compile it with gcc through a shim header.

// Java's Math.max/min: NaN wins, and +0 is larger than -0 (a + b of two zeros is +0 unless both are -0).
__device__ __forceinline__ float janus_max(float a, float b) {
    return a != a ? a : b != b ? b : (a == 0 && b == 0) ? a + b : (a > b ? a : b);
}
__device__ __forceinline__ double janus_max(double a, double b) {
    return a != a ? a : b != b ? b : (a == 0 && b == 0) ? a + b : (a > b ? a : b);
}
__device__ __forceinline__ float janus_min(float a, float b) {
    return a != a ? a : b != b ? b : (a == 0 && b == 0) ? -(-a + -b) : (a < b ? a : b);
}
__device__ __forceinline__ double janus_min(double a, double b) {
    return a != a ? a : b != b ? b : (a == 0 && b == 0) ? -(-a + -b) : (a < b ? a : b);
}
__device__ __forceinline__ int janus_max(int a, int b) { return a > b ? a : b; }
__device__ __forceinline__ long long janus_max(long long a, long long b) { return a > b ? a : b; }
__device__ __forceinline__ int janus_min(int a, int b) { return a < b ? a : b; }
__device__ __forceinline__ long long janus_min(long long a, long long b) { return a < b ? a : b; }

// Math.signum: NaN and signed zeros pass through.
__device__ __forceinline__ float janus_sign(float x) { return x > 0 ? 1.0f : x < 0 ? -1.0f : x; }
__device__ __forceinline__ double janus_sign(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x; }
__device__ __forceinline__ int janus_sign(int x) { return (x > 0) - (x < 0); }
__device__ __forceinline__ long long janus_sign(long long x) { return (long long) ((x > 0) - (x < 0)); }

// An infinity is the one non-NaN value whose difference with itself is not 0; no INFINITY macro needed.
__device__ __forceinline__ bool janus_isinf(float x) { return x == x && x - x != x - x; }
__device__ __forceinline__ bool janus_isinf(double x) { return x == x && x - x != x - x; }

// 1 / (1 + e^-x) without overflow: for x < 0 it is e^x / (1 + e^x).
__device__ __forceinline__ float janus_sigmoid(float x) {
    if (x >= 0) return 1.0f / (1.0f + expf(-x));
    float e = expf(x);
    return e / (1.0f + e);
}
__device__ __forceinline__ double janus_sigmoid(double x) {
    if (x >= 0) return 1.0 / (1.0 + exp(-x));
    double e = exp(x);
    return e / (1.0 + e);
}

// Math.pow where C's pow differs: a NaN exponent gives NaN (C: pow(1, NaN) = 1), and so does (+-1)^(+-inf).
__device__ __forceinline__ float janus_pow(float a, float b) {
    return b != b ? b : ((a == 1 || a == -1) && janus_isinf(b)) ? b - b : powf(a, b);
}
__device__ __forceinline__ double janus_pow(double a, double b) {
    return b != b ? b : ((a == 1 || a == -1) && janus_isinf(b)) ? b - b : pow(a, b);
}

// Java's (long) x: NaN is 0, out-of-range values saturate (C leaves both undefined).
__device__ __forceinline__ long long janus_to_long(double x) {
    return x != x ? 0LL
        : x >= 9223372036854775807.0 ? 9223372036854775807LL
        : x <= -9223372036854775808.0 ? (-9223372036854775807LL - 1)
        : (long long) x;
}
