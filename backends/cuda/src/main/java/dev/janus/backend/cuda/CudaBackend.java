package dev.janus.backend.cuda;

import dev.janus.Device;
import dev.janus.backend.cuda.runtime.CudaRuntimeLoader;
import dev.janus.spi.Backend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CUDA backend, found with {@link java.util.ServiceLoader}. On a machine with a GPU whose runtime, cuBLAS and
 * NVRTC load it runs on device 0: tensors live in the {@link CachingAllocator}'s device memory, elementwise ops
 * and fused groups run as generated kernels, matmul through cuBLAS, and every other op on the CPU with host
 * copies ({@link HostFallback}). Elsewhere {@link #isAvailable()} is false and {@link #unavailableReason()} says
 * what is missing; every tensor method then fails with that reason.
 *
 * <pre>{@code
 * Backend cuda = new CudaBackend();
 * if (!cuda.isAvailable()) System.out.println(cuda.unavailableReason());
 * }</pre>
 */
public final class CudaBackend extends ExecutorBackend {
    private static final Logger LOG = LoggerFactory.getLogger(CudaBackend.class);

    /** The device-side state, created once per JVM on first use: loading CUDA twice gains nothing. */
    private static volatile State state;

    /** Either a ready executor or the reason there is none. */
    private record State(CudaExecutor executor, String reason) {}

    /** Used by {@link java.util.ServiceLoader}; cheap, CUDA loads on the first question. */
    public CudaBackend() {}

    @Override
    public String deviceKind() {
        return "cuda";
    }

    /** True when a GPU is found and the CUDA runtime, cuBLAS and NVRTC load. */
    @Override
    public boolean isAvailable() {
        return state().executor() != null;
    }

    @Override
    public String unavailableReason() {
        return state().reason();
    }

    /** True when the CUDA runtime loaded and reports at least one GPU (whether or not cuBLAS and NVRTC load). */
    public boolean gpuFound() {
        return CudaProbe.result().available();
    }

    /** GPUs the CUDA runtime reports; 0 when unavailable. */
    public int deviceCount() {
        return CudaProbe.result().deviceCount();
    }

    /** The allocator's statistics for device 0. */
    public MemoryStats memoryStats() {
        return executor().memory().allocator().memoryStats();
    }

    /** Device 0's caching allocator (to empty its cache or cap it). */
    public CachingAllocator allocator() {
        return executor().memory().allocator();
    }

    @Override
    CudaExecutor executor() {
        State s = state();
        if (s.executor() == null) {
            throw new IllegalStateException("the CUDA backend is unavailable: " + s.reason());
        }
        return s.executor();
    }

    private static State state() {
        State s = state;
        if (s == null) {
            synchronized (CudaBackend.class) {
                s = state;
                if (s == null) {
                    s = load();
                    state = s;
                }
            }
        }
        return s;
    }

    private static State load() {
        CudaProbe.Result probe = CudaProbe.result();
        if (!probe.available()) {
            return new State(null, probe.reason());
        }
        try {
            CudaRuntimeLoader.Loaded d = CudaRuntimeLoader.load(0);
            CudaMemoryOps memory = new CudaMemoryOps(new CachingAllocator(d.memory()), d.transfers());
            LOG.debug("CUDA backend ready on {}", d.description());
            return new State(new CudaExecutor(memory, d.launcher(), d.gemm()), "");
        } catch (RuntimeException | LinkageError e) {
            return new State(null, probe.deviceCount() + " GPU(s) found, but " + e.getMessage());
        }
    }
}
