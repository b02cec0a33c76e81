// A fake libcuda.so.1 for fake-cuda-check.sh: the driver calls DriverKernelLauncher makes. The one "kernel" it
// runs is out[i] = -in[i] over float32 (what the check launches), reading its arguments the way the real driver
// does: kernelParams[i] points at argument i's value.
#include <stdio.h>
int cuGetErrorString(int e, const char** s) {
    static char buf[64];
    snprintf(buf, sizeof buf, "fake driver error %d", e);
    *s = buf;
    return 0;
}
int cuModuleLoadData(void** module, const void* image) {
    const unsigned char* b = image;
    if (b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F') return 200; // CUDA_ERROR_INVALID_IMAGE
    *module = (void*) 0x1111;
    return 0;
}
int cuModuleGetFunction(void** function, void* module, const char* name) {
    if (module != (void*) 0x1111) return 400; // CUDA_ERROR_INVALID_HANDLE
    fprintf(stderr, "fake driver: function %s\n", name);
    *function = (void*) 0x2222;
    return 0;
}
int cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
        unsigned shared, void* stream, void** params, void** extra) {
    if (f != (void*) 0x2222 || gy != 1 || gz != 1 || by != 1 || bz != 1 || shared != 0 || stream || extra) return 1;
    float* out = *(float**) params[0];
    const float* in = *(const float**) params[1];
    long long n = *(long long*) params[2];
    if ((long long) gx * bx < (n < 4224LL * 256 ? n : 4224LL * 256)) return 1; // the grid must cover n (or be capped)
    for (long long i = 0; i < n; i++) out[i] = -in[i];
    return 0;
}
