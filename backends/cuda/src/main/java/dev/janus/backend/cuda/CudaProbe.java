package dev.janus.backend.cuda;

import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Loader;

/**
 * Finds out once whether CUDA can run here: loads JavaCPP's CUDA runtime bindings (which need the JNI glue
 * library and the machine's {@code libcudart} and driver) and counts the GPUs. Never throws; a failure becomes
 * a reason in words.
 */
final class CudaProbe {
    /**
     * What the probe found.
     *
     * @param available   true when the runtime loaded and at least one GPU answered
     * @param reason      why not, for a log line; empty when available
     * @param deviceCount GPUs the runtime reports (0 when unavailable)
     */
    record Result(boolean available, String reason, int deviceCount) {}

    private static volatile Result result;

    private CudaProbe() {}

    /** The probe's answer, computed on first call. */
    static Result result() {
        Result r = result;
        if (r == null) {
            synchronized (CudaProbe.class) {
                r = result;
                if (r == null) {
                    r = run();
                    result = r;
                }
            }
        }
        return r;
    }

    private static Result run() {
        try {
            Loader.load(cudart.class);
            int[] count = {0};
            int err = cudart.cudaGetDeviceCount(count);
            if (err != 0) {
                return unavailable("cudaGetDeviceCount failed with error " + err + " ("
                        + cudart.cudaGetErrorString(err).getString() + ")");
            }
            if (count[0] == 0) {
                return unavailable("the CUDA runtime loaded but reports no GPU");
            }
            return new Result(true, "", count[0]);
        } catch (LinkageError | RuntimeException e) {
            // NOTE: UnsatisfiedLinkError (no JNI glue or no libcudart/libcuda) and NoClassDefFoundError (a
            // class whose static loader failed before) are the expected cases on a machine without a GPU.
            return unavailable("cannot load the CUDA runtime: " + describe(e));
        }
    }

    private static Result unavailable(String reason) {
        return new Result(false, reason, 0);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        String first = m == null || m.isBlank() ? "" : ": " + m.lines().findFirst().orElse("");
        return e.getClass().getSimpleName() + first + rootCause(e);
    }

    /**
     * NOTE: JavaCPP's "no jnicudart in java.library.path" hides the dynamic linker's answer in its cause, e.g.
     * {@code libcuda.so.1: cannot open shared object file} when the driver is missing; that part is what a reader needs.
     */
    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == e || root.getMessage() == null) {
            return "";
        }
        String m = root.getMessage().lines().findFirst().orElse("");
        int library = m.indexOf(".so: ");
        return " (" + (library >= 0 ? m.substring(library + 5) : m) + ")";
    }
}
