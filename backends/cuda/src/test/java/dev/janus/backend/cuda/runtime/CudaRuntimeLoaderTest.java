package dev.janus.backend.cuda.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The words a missing CUDA library turns into (the backend's unavailable reason). */
class CudaRuntimeLoaderTest {
    @Test
    void describe_keepsTheDynamicLinkersAnswerFromTheCause() {
        // NOTE: the shape JavaCPP 1.5.13 gave here for Loader.load(nvrtc.class) with the JNI glue but no libnvrtc
        UnsatisfiedLinkError top = new UnsatisfiedLinkError("no jninvrtc in java.library.path: /a:/b");
        top.initCause(new UnsatisfiedLinkError("/cache/libjninvrtc.so: libnvrtc.so.13: cannot open shared object file: "
                + "No such file or directory"));
        assertEquals("UnsatisfiedLinkError: no jninvrtc in java.library.path: /a:/b (libnvrtc.so.13: cannot open shared "
                + "object file: No such file or directory)", CudaRuntimeLoader.describe(top));
    }

    @Test
    void describe_withoutCause_isTheFirstLine() {
        assertEquals("NoClassDefFoundError: x", CudaRuntimeLoader.describe(new NoClassDefFoundError("x\nmore")));
    }
}
