// Compiles Janus's generated CUDA kernels as plain C++ with gcc, so their semantics can be tested on a machine
// without a GPU: the CUDA qualifiers vanish, the built-in index variables are globals, and a launch is a loop
// over every (block, thread) pair of a small grid, so the kernels' grid-stride loops are exercised too. The
// CUDA math functions the kernels call (expf, rintf, erff, ...) are the C library's of the same name.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define __global__
#define __device__
#define __forceinline__ inline

// The CUDA bit-cast intrinsics the kernels use.
static inline double __longlong_as_double(long long x) { double d; memcpy(&d, &x, sizeof d); return d; }

struct janus_dim3 { unsigned int x, y, z; };
static janus_dim3 blockIdx, threadIdx, blockDim, gridDim;

// Runs `call` once per emulated thread of a grid of `blocks` x `threads`.
#define JANUS_LAUNCH(blocks, threads, call)                                              \
    do {                                                                                \
        gridDim.x = (blocks); blockDim.x = (threads);                                   \
        for (blockIdx.x = 0; blockIdx.x < gridDim.x; blockIdx.x++)                      \
            for (threadIdx.x = 0; threadIdx.x < blockDim.x; threadIdx.x++) call;        \
    } while (0)

// Reads `bytes` bytes of stdin into a fresh buffer (at least one byte, so zero-size tensors have a pointer).
static void* janus_read(size_t bytes) {
    void* p = calloc(bytes + 1, 1);
    if (bytes > 0 && fread(p, 1, bytes, stdin) != bytes) { fprintf(stderr, "short input\n"); exit(3); }
    return p;
}
