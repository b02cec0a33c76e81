package dev.janus.backend.cuda.kernels;

/** A generated CUDA kernel, as a launcher needs it: its {@code extern "C"} name and a whole translation unit. */
public interface GeneratedKernel {
    /** The kernel's name, unique per structure (launchers cache compiled kernels by it). */
    String name();

    /** The kernel's text alone, without the prelude. */
    String kernel();

    /** The prelude and the kernel: what NVRTC compiles. */
    default String fullSource() {
        return Prelude.TEXT + "\n" + kernel();
    }
}
