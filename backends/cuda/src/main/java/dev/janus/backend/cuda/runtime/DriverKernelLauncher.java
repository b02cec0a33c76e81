package dev.janus.backend.cuda.runtime;

import dev.janus.backend.cuda.KernelLauncher;
import dev.janus.backend.cuda.kernels.GeneratedKernel;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches generated kernels with the driver API: each kernel is compiled by NVRTC to a CUBIN and loaded with
 * {@code cuModuleLoadData} once (cached by its name, which is unique per structure), then run with
 * {@code cuLaunchKernel} on the legacy default stream, 256 threads a block and at most
 * {@link #MAX_BLOCKS} blocks (the grid-stride loop covers the rest).
 */
public final class DriverKernelLauncher implements KernelLauncher {
    static final int THREADS = 256;
    /** Enough blocks to fill an H100 (132 SMs x 2048 threads / 256) several times over. */
    static final int MAX_BLOCKS = 132 * 8 * 4;

    private static final Logger LOG = LoggerFactory.getLogger(DriverKernelLauncher.class);

    private final int device;
    private final NvrtcCompiler compiler;
    private final ConcurrentHashMap<String, CUfunc_st> functions = new ConcurrentHashMap<>();

    public DriverKernelLauncher(int device, NvrtcCompiler compiler) {
        this.device = device;
        this.compiler = compiler;
    }

    @Override
    public void launch(GeneratedKernel kernel, long[] pointers, long[] scalars) {
        long n = scalars[0];
        if (n == 0) {
            return;
        }
        // NOTE: makes the device's primary context current on this thread, which the driver API calls need
        CudaCalls.check(cudart.cudaSetDevice(device), "cudaSetDevice");
        CUfunc_st function = functions.computeIfAbsent(kernel.name(), k -> load(kernel));
        int blocks = (int) Math.min(MAX_BLOCKS, (n + THREADS - 1) / THREADS);
        try (KernelParams params = new KernelParams(pointers, scalars)) {
            CudaCalls.checkDriver(cudart.cuLaunchKernel(function, blocks, 1, 1, THREADS, 1, 1, 0, (CUstream_st) null,
                    params.array(), (PointerPointer<?>) null), "cuLaunchKernel " + kernel.name());
        }
    }

    /**
     * cuLaunchKernel's {@code kernelParams}, a {@code void**}: entry i points at an 8-byte slot holding argument i
     * (the pointers, then the {@code long long} scalars), not at the value itself. The slots stay allocated until
     * {@link #close()}, i.e. until the launch has returned (the driver copies the values during the call).
     */
    static final class KernelParams implements AutoCloseable {
        private final PointerPointer<Pointer> array;
        private final LongPointer[] slots;

        KernelParams(long[] pointers, long[] scalars) {
            int count = pointers.length + scalars.length;
            array = new PointerPointer<>(count);
            slots = new LongPointer[count];
            for (int i = 0; i < count; i++) {
                slots[i] = new LongPointer(1).put(i < pointers.length ? pointers[i] : scalars[i - pointers.length]);
                array.put(i, slots[i]);
            }
        }

        PointerPointer<Pointer> array() {
            return array;
        }

        @Override
        public void close() {
            for (LongPointer slot : slots) {
                slot.close();
            }
            array.close();
        }
    }

    /** Compiles and loads {@code kernel} now (the loader's smoke test: NVRTC and the driver work together). */
    public void preload(GeneratedKernel kernel) {
        CudaCalls.check(cudart.cudaSetDevice(device), "cudaSetDevice");
        functions.computeIfAbsent(kernel.name(), k -> load(kernel));
    }

    /** Number of kernels compiled and loaded so far. */
    public int loadedCount() {
        return functions.size();
    }

    private CUfunc_st load(GeneratedKernel kernel) {
        long start = System.nanoTime();
        byte[] cubin = compiler.compile(kernel.fullSource(), kernel.name());
        CUmod_st module = new CUmod_st();
        try (BytePointer image = new BytePointer(cubin)) {
            CudaCalls.checkDriver(cudart.cuModuleLoadData(module, image), "cuModuleLoadData " + kernel.name());
        }
        CUfunc_st function = new CUfunc_st();
        CudaCalls.checkDriver(cudart.cuModuleGetFunction(function, module, kernel.name()), "cuModuleGetFunction " + kernel.name());
        LOG.debug("compiled and loaded CUDA kernel {} in {} ms", kernel.name(), (System.nanoTime() - start) / 1_000_000);
        return function;
    }
}
