// A fake libcudart.so.13 for fake-cuda-check.sh: host memory stands in for device memory.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int cudaGetDeviceCount(int* count) { *count = 1; return 0; }
int cudaSetDevice(int device) { return device == 0 ? 0 : 101; } // cudaErrorInvalidDevice
int cudaFree(void* p) { free(p); return 0; }
int cudaMalloc(void** p, size_t bytes) { *p = malloc(bytes ? bytes : 1); return *p ? 0 : 2; }
int cudaMemGetInfo(size_t* free, size_t* total) { *free = 1ULL << 30; *total = 80ULL << 30; return 0; }
int cudaMemcpy(void* dst, const void* src, size_t bytes, int kind) {
    if (kind < 1 || kind > 3) return 21; // only host-to-device, device-to-host, device-to-device are expected
    memcpy(dst, src, bytes);
    return 0;
}
int cudaMemset(void* dst, int value, size_t bytes) { memset(dst, value, bytes); return 0; }
int cudaDeviceGetAttribute(int* value, int attr, int device) {
    *value = attr == 75 ? 9 : attr == 76 ? 0 : -1; // cudaDevAttrComputeCapabilityMajor / Minor
    return *value < 0 || device != 0 ? 1 : 0;
}
const char* cudaGetErrorString(int e) { static char b[64]; snprintf(b, sizeof b, "fake runtime error %d", e); return b; }
int cudaGetLastError(void) { return 0; }
int cudaDriverGetVersion(int* v) { *v = 13000; return 0; }
int cudaRuntimeGetVersion(int* v) { *v = 13000; return 0; }
