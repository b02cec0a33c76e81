package dev.janus.backend.cuda;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Backend;
import dev.janus.spi.Buffer;

/**
 * The CUDA backend, found with {@link java.util.ServiceLoader}. So far it only says whether CUDA can run on
 * this machine ({@link #isAvailable()}, {@link #unavailableReason()}); memory, copies and kernels are not
 * built yet and throw {@link UnsupportedOperationException} (see docs/gpu.md).
 *
 * <pre>{@code
 * Backend cuda = new CudaBackend();
 * if (!cuda.isAvailable()) System.out.println(cuda.unavailableReason());
 * }</pre>
 */
public final class CudaBackend implements Backend {
    /** Used by {@link java.util.ServiceLoader}; cheap, the probe runs on the first question. */
    public CudaBackend() {}

    @Override
    public String deviceKind() {
        return "cuda";
    }

    /**
     * False until the backend has kernels: a GPU alone must not make {@code Device.auto()} pick a device on which
     * every op would fail. {@link #gpuFound()} says whether the runtime and a GPU are there.
     */
    @Override
    public boolean isAvailable() {
        return false;
    }

    @Override
    public String unavailableReason() {
        CudaProbe.Result r = CudaProbe.result();
        return r.available() ? "the CUDA backend has no kernels yet (" + r.deviceCount() + " GPU(s) found)" : r.reason();
    }

    /** True when the CUDA runtime loaded and reports at least one GPU (what the GPU check script verifies). */
    public boolean gpuFound() {
        return CudaProbe.result().available();
    }

    /** GPUs the CUDA runtime reports; 0 when unavailable. */
    public int deviceCount() {
        return CudaProbe.result().deviceCount();
    }

    @Override
    public Buffer fromHost(Object array, DType dtype, Device device) {
        throw notBuilt("fromHost (host-to-device copy)");
    }

    @Override
    public Object toHost(Buffer buffer) {
        throw notBuilt("toHost (device-to-host copy)");
    }

    @Override
    public void copy(Buffer src, Buffer dst) {
        throw notBuilt("copy");
    }

    @Override
    public Buffer allocate(DType dtype, long numel) {
        throw notBuilt("allocate (the caching device allocator)");
    }

    @Override
    public Buffer execute(Op op, Attrs attrs, Buffer[] inputs, TensorSpec[] inputSpecs, TensorSpec outputSpec) {
        throw notBuilt("execute '" + op.opName() + "' (cuBLAS/cuDNN/NVRTC kernels)");
    }

    @Override
    public boolean hasNonFinite(Buffer buffer) {
        throw notBuilt("hasNonFinite");
    }

    private static UnsupportedOperationException notBuilt(String what) {
        return new UnsupportedOperationException("CUDA backend " + what
                + " needs a GPU; not implemented in this increment");
    }
}
