package dev.janus.backend.cuda.runtime;

import dev.janus.backend.cuda.kernels.NvrtcOptions;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/** CUDA C to machine code (CUBIN) with NVRTC for a device's compute capability; a failed compile throws with NVRTC's log. */
public final class NvrtcCompiler {
    private final List<String> options;

    /** A compiler for devices of compute capability {@code major.minor}. */
    public NvrtcCompiler(int major, int minor) {
        List<String> o = new ArrayList<>(NvrtcOptions.COMMON);
        o.add(NvrtcOptions.architecture(major, minor));
        this.options = List.copyOf(o);
    }

    /** The CUBIN of {@code source}, a translation unit named {@code name} in messages. */
    public byte[] compile(String source, String name) {
        _nvrtcProgram program = new _nvrtcProgram();
        check(nvrtc.nvrtcCreateProgram(program, new BytePointer(source), new BytePointer(name + ".cu"), 0,
                (PointerPointer<?>) null, (PointerPointer<?>) null), "nvrtcCreateProgram", name);
        try (PointerPointer<BytePointer> opts = new PointerPointer<>(options.toArray(String[]::new))) {
            int status = nvrtc.nvrtcCompileProgram(program, options.size(), opts);
            if (status != nvrtc.NVRTC_SUCCESS) {
                throw new CudaException("NVRTC could not compile " + name + " (options " + options + "): "
                        + errorString(status) + "\n" + log(program));
            }
            try (SizeTPointer size = new SizeTPointer(1)) {
                check(nvrtc.nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize", name);
                byte[] cubin = new byte[(int) size.get()];
                check(nvrtc.nvrtcGetCUBIN(program, cubin), "nvrtcGetCUBIN", name);
                return cubin;
            }
        } finally {
            nvrtc.nvrtcDestroyProgram(program);
        }
    }

    /** The NVRTC version as {@code major.minor}. */
    public static String version() {
        int[] major = {0};
        int[] minor = {0};
        check(nvrtc.nvrtcVersion(major, minor), "nvrtcVersion", "-");
        return major[0] + "." + minor[0];
    }

    private static String log(_nvrtcProgram program) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            if (nvrtc.nvrtcGetProgramLogSize(program, size) != nvrtc.NVRTC_SUCCESS) {
                return "(no log)";
            }
            byte[] log = new byte[(int) size.get()];
            nvrtc.nvrtcGetProgramLog(program, log);
            return new String(log, 0, Math.max(0, log.length - 1), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static void check(int status, String call, String name) {
        if (status != nvrtc.NVRTC_SUCCESS) {
            throw new CudaException(call + " failed for " + name + ": " + errorString(status));
        }
    }

    private static String errorString(int status) {
        BytePointer s = nvrtc.nvrtcGetErrorString(status);
        return "NVRTC error " + status + (s == null ? "" : " (" + s.getString() + ")");
    }
}
