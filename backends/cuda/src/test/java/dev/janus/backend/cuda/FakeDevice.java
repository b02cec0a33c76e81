package dev.janus.backend.cuda;

import dev.janus.DType;
import dev.janus.backend.cuda.kernels.GeneratedKernel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GPU on the CPU for the backend's dispatch tests: device memory is one byte array addressed from
 * {@link FakeDeviceMemory}'s first address; copies move bytes; GEMM runs the column-major BLAS definition in Java
 * (so the row-major transposition trick of {@link GemmPlan} is checked end to end); kernel launches are recorded,
 * not run (their code is tested through g++ in the kernels package), unless a runner is attached
 * ({@link #runKernelsWith}): then each launch also runs, e.g. in a g++-compiled process over the same memory.
 */
final class FakeDevice implements Transfers, KernelLauncher, Gemm {
    private static final long BASE = 1L << 32; // FakeDeviceMemory's first address

    record Launch(String kernel, long[] pointers, long[] scalars) {}

    final FakeDeviceMemory memory;
    final List<Launch> launches = new ArrayList<>();
    /** Every kernel launched so far, by name. */
    final Map<String, GeneratedKernel> kernels = new LinkedHashMap<>();
    int gemmCalls;
    private final ByteBuffer bytes;
    private KernelLauncher runner;

    FakeDevice(int capacity) {
        this(ByteBuffer.allocate(capacity));
    }

    /** A device whose memory is {@code memory} (a heap buffer, or a file mapping another process shares). */
    FakeDevice(ByteBuffer memory) {
        this.memory = new FakeDeviceMemory(memory.capacity());
        bytes = memory.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** From now on every launch also runs on {@code runner}, which sees this device's memory. */
    void runKernelsWith(KernelLauncher runner) {
        this.runner = runner;
    }

    private int at(long address) {
        return Math.toIntExact(address - BASE);
    }

    @Override
    public void toDevice(Object array, long dst) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(at(dst));
        if (array instanceof float[] a) {
            b.asFloatBuffer().put(a);
        } else if (array instanceof double[] a) {
            b.asDoubleBuffer().put(a);
        } else if (array instanceof int[] a) {
            b.asIntBuffer().put(a);
        } else if (array instanceof long[] a) {
            b.asLongBuffer().put(a);
        } else {
            b.put((byte[]) array);
        }
    }

    @Override
    public void toHost(long src, Object array) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(at(src));
        if (array instanceof float[] a) {
            b.asFloatBuffer().get(a);
        } else if (array instanceof double[] a) {
            b.asDoubleBuffer().get(a);
        } else if (array instanceof int[] a) {
            b.asIntBuffer().get(a);
        } else if (array instanceof long[] a) {
            b.asLongBuffer().get(a);
        } else {
            b.get((byte[]) array);
        }
    }

    @Override
    public void deviceToDevice(long src, long dst, long n) {
        bytes.put(at(dst), bytes.duplicate(), at(src), Math.toIntExact(n));
    }

    @Override
    public void zero(long dst, long n) {
        bytes.put(at(dst), new byte[Math.toIntExact(n)]);
    }

    @Override
    public void launch(GeneratedKernel kernel, long[] pointers, long[] scalars) {
        launches.add(new Launch(kernel.name(), pointers.clone(), scalars.clone()));
        kernels.putIfAbsent(kernel.name(), kernel);
        if (runner != null) {
            runner.launch(kernel, pointers, scalars);
        }
    }

    /** BLAS's column-major definition: C = op(X) op(Y) with X the first operand (Janus's B), Y the second (A). */
    @Override
    public void gemm(DType dtype, GemmPlan p, long a, long b, long c) {
        gemmCalls++;
        int rows = p.n(); // rows of the column-major result Cᵀ
        int cols = p.m();
        for (int batch = 0; batch < p.batch(); batch++) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    double sum = 0;
                    for (int l = 0; l < p.k(); l++) {
                        double x = get(dtype, b, batch * p.strideB() + (p.transFirst() ? l + (long) i * p.ldb() : i + (long) l * p.ldb()));
                        double y = get(dtype, a, batch * p.strideA() + (p.transSecond() ? j + (long) l * p.lda() : l + (long) j * p.lda()));
                        sum += x * y;
                    }
                    set(dtype, c, batch * p.strideC() + i + (long) j * p.ldc(), sum);
                }
            }
        }
    }

    private double get(DType t, long base, long index) {
        return t == DType.FLOAT32 ? bytes.getFloat(at(base) + (int) index * 4) : bytes.getDouble(at(base) + (int) index * 8);
    }

    private void set(DType t, long base, long index, double v) {
        if (t == DType.FLOAT32) {
            bytes.putFloat(at(base) + (int) index * 4, (float) v);
        } else {
            bytes.putDouble(at(base) + (int) index * 8, v);
        }
    }

    /** An executor over this fake device. */
    CudaExecutor executor() {
        return new CudaExecutor(new CudaMemoryOps(new CachingAllocator(memory), this), this, this);
    }

    /** An executor whose convolutions run in chunks of images above {@code colsBudget} column elements. */
    CudaExecutor executor(long colsBudget) {
        return new CudaExecutor(new CudaMemoryOps(new CachingAllocator(memory), this), this, this, colsBudget);
    }
}
