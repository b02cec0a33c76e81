package dev.janus.backend.cuda.kernels;

/** An op or dtype the CUDA code generator has no code for; the message says which and why. */
public final class UnsupportedKernelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsupportedKernelException(String message) {
        super(message);
    }
}
