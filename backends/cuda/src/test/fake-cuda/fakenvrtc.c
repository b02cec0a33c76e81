// A fake libnvrtc.so.13 for fake-cuda-check.sh: compiles with nvcc -cubin, passing NVRTC's options through
// (the options Janus uses are spelled the same for both), in the directory $FAKE_CUDA_WORK.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
typedef struct { char* src; char* cubin; size_t cubinSize; char log[65536]; } program;
static char path[4096];
static const char* at(const char* file) { snprintf(path, sizeof path, "%s/%s", getenv("FAKE_CUDA_WORK"), file); return path; }
int nvrtcVersion(int* major, int* minor) { *major = 13; *minor = 1; return 0; }
const char* nvrtcGetErrorString(int e) { return e == 6 ? "NVRTC_ERROR_COMPILATION" : "fake NVRTC error"; }
int nvrtcCreateProgram(program** p, const char* src, const char* name, int headers, const char* const* h,
        const char* const* names) {
    if (headers != 0 || !name) return 4; // NVRTC_ERROR_INVALID_INPUT
    program* q = calloc(1, sizeof *q);
    q->src = strdup(src);
    *p = q;
    return 0;
}
int nvrtcCompileProgram(program* p, int n, const char* const* options) {
    FILE* f = fopen(at("k.cu"), "w");
    fputs(p->src, f);
    fclose(f);
    char cmd[16384];
    snprintf(cmd, sizeof cmd, "cd '%s' && nvcc -cubin -o k.cubin k.cu", getenv("FAKE_CUDA_WORK"));
    for (int i = 0; i < n; i++) { strcat(cmd, " '"); strcat(cmd, options[i]); strcat(cmd, "'"); }
    fprintf(stderr, "fake NVRTC: %s\n", cmd);
    strcat(cmd, " 2>log.txt");
    int rc = system(cmd);
    FILE* l = fopen(at("log.txt"), "r");
    size_t m = fread(p->log, 1, sizeof p->log - 1, l);
    p->log[m] = 0;
    fclose(l);
    if (rc != 0) return 6;
    FILE* c = fopen(at("k.cubin"), "rb");
    fseek(c, 0, SEEK_END);
    p->cubinSize = ftell(c);
    rewind(c);
    p->cubin = malloc(p->cubinSize);
    if (fread(p->cubin, 1, p->cubinSize, c) != p->cubinSize) return 11;
    fclose(c);
    return 0;
}
int nvrtcGetCUBINSize(program* p, size_t* size) { *size = p->cubinSize; return 0; }
int nvrtcGetCUBIN(program* p, char* out) { memcpy(out, p->cubin, p->cubinSize); return 0; }
int nvrtcGetProgramLogSize(program* p, size_t* size) { *size = strlen(p->log) + 1; return 0; }
int nvrtcGetProgramLog(program* p, char* out) { strcpy(out, p->log); return 0; }
int nvrtcDestroyProgram(program** p) { free((*p)->src); free((*p)->cubin); free(*p); *p = 0; return 0; }
