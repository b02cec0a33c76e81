package dev.janus.backend.cuda.kernels;

import java.util.List;

/** The compiler options of the generated kernels, shared by NVRTC at run time and the nvcc check in the tests. */
public final class NvrtcOptions {
    /**
     * No fused multiply-add (the CPU rounds every product, and so must the fused kernels to agree with it), no
     * flush of denormals to zero, IEEE division and square root: CUDA's defaults, spelled out so a flag change
     * elsewhere cannot alter results.
     */
    public static final List<String> COMMON = List.of("--fmad=false", "--ftz=false", "--prec-div=true", "--prec-sqrt=true");

    private NvrtcOptions() {}

    /**
     * The architecture option for a device of compute capability {@code major.minor}, e.g.
     * {@code --gpu-architecture=sm_90}. NOTE: a real architecture, so NVRTC emits machine code (CUBIN) rather than
     * PTX: a driver older than NVRTC (CUDA's minor-version compatibility) loads such a CUBIN but cannot JIT newer PTX.
     */
    public static String architecture(int major, int minor) {
        return "--gpu-architecture=sm_" + major + minor;
    }
}
