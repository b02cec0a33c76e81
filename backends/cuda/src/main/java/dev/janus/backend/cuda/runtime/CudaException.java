package dev.janus.backend.cuda.runtime;

/** A CUDA, NVRTC or cuBLAS call failed; the message names the call and the library's error. */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CudaException(String message) {
        super(message);
    }
}
