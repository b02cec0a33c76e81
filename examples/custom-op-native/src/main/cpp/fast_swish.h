// Stands for C++ a user already has: swish with a slope, y = x * sigmoid(beta * x), over a flat array.
#pragma once
#include <cmath>

template <typename T>
inline void fast_swish(const T* x, T* y, long n, double beta) {
    const T b = static_cast<T>(beta);
    for (long i = 0; i < n; i++) {
        y[i] = x[i] / (T(1) + std::exp(-b * x[i]));
    }
}

inline void fast_swish_f32(const float* x, float* y, long n, double beta) { fast_swish(x, y, n, beta); }
inline void fast_swish_f64(const double* x, double* y, long n, double beta) { fast_swish(x, y, n, beta); }
