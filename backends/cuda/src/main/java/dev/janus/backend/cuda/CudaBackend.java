package dev.janus.backend.cuda;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.backend.cuda.runtime.CudaRuntimeLoader;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Backend;
import dev.janus.spi.Buffer;
import dev.janus.spi.ElementwiseProgram;
import dev.janus.spi.FusedKernel;
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
public final class CudaBackend implements Backend {
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
    public Buffer fromHost(Object array, DType dtype, Device device) {
        if (device.index() != 0) {
            throw new IllegalArgumentException("the CUDA backend runs on cuda:0 only so far, not on " + device.kind()
                    + ":" + device.index());
        }
        return executor().memory().fromHost(array, dtype);
    }

    @Override
    public Object toHost(Buffer buffer) {
        return executor().memory().toHost((CudaBuffer) buffer);
    }

    @Override
    public void copy(Buffer src, Buffer dst) {
        executor().memory().copy((CudaBuffer) src, (CudaBuffer) dst);
    }

    @Override
    public Buffer allocate(DType dtype, long numel) {
        return executor().memory().allocateZeroed(dtype, numel);
    }

    @Override
    public Buffer execute(Op op, Attrs attrs, Buffer[] inputs, TensorSpec[] inputSpecs, TensorSpec outputSpec) {
        return executor().execute(op, attrs, inputs, inputSpecs, outputSpec);
    }

    @Override
    public void executeInto(Op op, Attrs attrs, Buffer[] inputs, TensorSpec[] inputSpecs, TensorSpec outputSpec,
            Buffer out) {
        executor().executeInto(op, attrs, inputs, inputSpecs, outputSpec, (CudaBuffer) out);
    }

    @Override
    public FusedKernel compileElementwise(ElementwiseProgram program) {
        return executor().compile(program);
    }

    @Override
    public boolean hasNonFinite(Buffer buffer) {
        return executor().hasNonFinite((CudaBuffer) buffer);
    }

    private static CudaExecutor executor() {
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
