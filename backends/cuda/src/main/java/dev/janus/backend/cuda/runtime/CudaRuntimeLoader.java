package dev.janus.backend.cuda.runtime;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.backend.cuda.kernels.CudaKernels;
import dev.janus.backend.cuda.kernels.KernelSpec;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.Loader;

/**
 * Brings up CUDA on one device for the backend: makes it current, reads its compute capability, loads cuBLAS
 * and NVRTC, and compiles and loads one kernel. Any missing piece becomes an exception whose message names it, which the backend turns into its
 * unavailable reason.
 */
public final class CudaRuntimeLoader {
    /** What the backend runs on: the device's parts, each behind the backend's small interfaces. */
    public record Loaded(CudartMemory memory, CudartTransfers transfers, DriverKernelLauncher launcher, CublasGemm gemm,
            String description) {}

    private CudaRuntimeLoader() {}

    /**
     * Loads everything for device {@code ordinal}.
     *
     * @throws CudaException or a {@link LinkageError} naming the library that is missing or the call that failed
     */
    public static Loaded load(int ordinal) {
        CudaCalls.check(cudart.cudaSetDevice(ordinal), "cudaSetDevice(" + ordinal + ")");
        CudaCalls.check(cudart.cudaFree(null), "cudaFree(null) (creating the CUDA context)");
        int[] major = {0};
        int[] minor = {0};
        CudaCalls.check(cudart.cudaDeviceGetAttribute(major, cudart.cudaDevAttrComputeCapabilityMajor, ordinal), "cudaDeviceGetAttribute");
        CudaCalls.check(cudart.cudaDeviceGetAttribute(minor, cudart.cudaDevAttrComputeCapabilityMinor, ordinal), "cudaDeviceGetAttribute");
        String nvrtcVersion = loadNvrtc();
        CublasGemm gemm = loadCublas();
        NvrtcCompiler compiler = new NvrtcCompiler(major[0], minor[0]);
        DriverKernelLauncher launcher = new DriverKernelLauncher(ordinal, compiler);
        smokeTest(launcher, nvrtcVersion, major[0], minor[0]);
        String description = "cuda:" + ordinal + " (compute capability " + major[0] + "." + minor[0] + ", NVRTC "
                + nvrtcVersion + ")";
        return new Loaded(new CudartMemory(), new CudartTransfers(), launcher, gemm, description);
    }

    /** Compiles and loads one small kernel, so a toolkit/driver mismatch shows up as the reason, not on first use. */
    private static void smokeTest(DriverKernelLauncher launcher, String nvrtcVersion, int major, int minor) {
        TensorSpec x = new TensorSpec(DType.FLOAT32, Shape.of(1));
        try {
            launcher.preload(CudaKernels.source(KernelSpec.forOp(Op.NEG, Attrs.NONE, new TensorSpec[] {x}, x)));
        } catch (CudaException e) {
            int[] driver = {0};
            cudart.cudaDriverGetVersion(driver);
            throw new CudaException("NVRTC " + nvrtcVersion + " kernels do not load for compute capability " + major + "."
                    + minor + " with driver CUDA version " + driver[0] / 1000 + "." + driver[0] % 1000 / 10 + ": "
                    + e.getMessage());
        }
    }

    private static String loadNvrtc() {
        try {
            Loader.load(nvrtc.class);
            return NvrtcCompiler.version();
        } catch (LinkageError e) {
            throw new CudaException("cannot load NVRTC (libnvrtc, needed to compile kernels): " + describe(e));
        }
    }

    private static CublasGemm loadCublas() {
        try {
            Loader.load(cublas.class);
            return new CublasGemm();
        } catch (LinkageError e) {
            throw new CudaException("cannot load cuBLAS (libcublas, needed for matmul): " + describe(e));
        }
    }

    /**
     * The error's first line, then the dynamic linker's answer from its root cause. NOTE: JavaCPP's first line is
     * "no jninvrtc in java.library.path: ..."; what is missing (e.g. {@code libnvrtc.so.13: cannot open shared
     * object file}) is only in the cause, as a run with the JNI glue and no libnvrtc showed.
     */
    static String describe(Throwable e) {
        String m = e.getMessage();
        String first = e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == e || root.getMessage() == null) {
            return first;
        }
        String r = root.getMessage().lines().findFirst().orElse("");
        int library = r.indexOf(".so: ");
        return first + " (" + (library >= 0 ? r.substring(library + 5) : r) + ")";
    }
}
