package dev.janus.backend.cuda;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.nn.Conv2d;
import dev.janus.nn.F;
import dev.janus.nn.Linear;
import dev.janus.nn.Module;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import dev.janus.optim.SGD;
import dev.janus.spi.Buffer;
import java.util.function.Supplier;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * A short GPU benchmark for gpu-check.sh (well under a minute): FP32 matmul TFLOP/s through Janus's backend and
 * through cuBLAS called directly in the same process (FP32, then TF32 tensor-op math), and an MLP forward pass
 * (784-512-512-10, batch 256) eagerly on the GPU and on the CPU, and a LeNet training step (forward, cross-entropy,
 * backward, SGD; batch 64) eagerly on the GPU and on the CPU, the median of 20 steps. Prints one line per figure.
 * {@code java -cp <jars> dev.janus.backend.cuda.GpuBenchMain}
 */
public final class GpuBenchMain {
    private GpuBenchMain() {}

    public static void main(String[] args) {
        CudaBackend gpu = new CudaBackend();
        if (!gpu.isAvailable()) {
            System.out.println("benchmark skipped: no usable CUDA GPU: " + gpu.unavailableReason());
            return;
        }
        for (int n : new int[] {1024, 4096}) {
            matmulJanus(gpu, n);
            matmulCublas(n, false);
            matmulCublas(n, true);
        }
        mlp(Gpu.CUDA);
        mlp(Device.CPU);
        double gpuStep = lenetStep(Gpu.CUDA);
        double cpuStep = lenetStep(Device.CPU);
        System.out.printf("lenet training step batch 64: cuda %.2fx faster than cpu%n", cpuStep / gpuStep);
    }

    /** Median milliseconds of a LeNet training step on {@code device}, after 3 warm-up steps. */
    private static double lenetStep(Device device) {
        BenchLeNet net = new BenchLeNet().to(device);
        SGD sgd = new SGD(net.parameters(), 0.01);
        Tensor x = Tensor.randn(64, 1, 28, 28).to(device);
        long[] labels = new long[64];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        Tensor y = Tensor.of(labels, 64).to(device);
        double[] ms = new double[23];
        for (int i = 0; i < ms.length; i++) {
            long start = System.nanoTime();
            sgd.zeroGrad();
            Tensor loss = F.crossEntropy(net.forward(x), y);
            loss.backward();
            sgd.step();
            loss.toFloatArray(); // the copy back waits for the GPU
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        double[] timed = java.util.Arrays.copyOfRange(ms, 3, ms.length);
        java.util.Arrays.sort(timed);
        double median = timed[timed.length / 2];
        System.out.printf("lenet training step batch 64 eager on %s: median %.3f ms of %d (min %.3f ms)%n", device.kind(),
                median, timed.length, timed[0]);
        return median;
    }

    /** LeNet-5 as in the examples: conv 1→6 5×5 padded, pool 2, conv 6→16 5×5, pool 2, 400-120-84-10. */
    static final class BenchLeNet extends Module {
        final Conv2d conv1 = new Conv2d(1, 6, 5).padding(2);
        final Conv2d conv2 = new Conv2d(6, 16, 5);
        final Linear fc1 = new Linear(16 * 5 * 5, 120);
        final Linear fc2 = new Linear(120, 84);
        final Linear fc3 = new Linear(84, 10);

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = F.maxPool2d(conv1.forward(x).relu(), 2);
            h = F.maxPool2d(conv2.forward(h).relu(), 2);
            h = fc1.forward(h.flatten(1, -1)).relu();
            return fc3.forward(fc2.forward(h).relu());
        }
    }

    private static void matmulJanus(CudaBackend gpu, int n) {
        TensorSpec s = new TensorSpec(DType.FLOAT32, Shape.of(n, n));
        Buffer a = gpu.fromHost(new float[n * n], DType.FLOAT32, Gpu.CUDA);
        Buffer b = gpu.fromHost(new float[n * n], DType.FLOAT32, Gpu.CUDA);
        Buffer c = gpu.allocate(DType.FLOAT32, (long) n * n);
        Attrs attrs = Attrs.of("transA", false, "transB", false);
        double seconds = time(() -> {
            gpu.executeInto(Op.MATMUL, attrs, new Buffer[] {a, b}, new TensorSpec[] {s, s}, s, c);
            return null;
        });
        report("janus matmul fp32", n, seconds);
    }

    private static void matmulCublas(int n, boolean tf32) {
        cublasContext h = new cublasContext();
        cublas.cublasCreate_v2(h);
        cublas.cublasSetMathMode(h, tf32 ? cublas.CUBLAS_TF32_TENSOR_OP_MATH : cublas.CUBLAS_DEFAULT_MATH);
        long bytes = 4L * n * n;
        Pointer a = deviceMalloc(bytes);
        Pointer b = deviceMalloc(bytes);
        Pointer c = deviceMalloc(bytes);
        cudart.cudaMemset(a, 0, bytes);
        cudart.cudaMemset(b, 0, bytes);
        FloatPointer one = new FloatPointer(1f);
        FloatPointer zero = new FloatPointer(0f);
        FloatPointer fa = new FloatPointer(a);
        FloatPointer fb = new FloatPointer(b);
        FloatPointer fc = new FloatPointer(c);
        double seconds = time(() -> {
            int status = cublas.cublasSgemm_v2(h, cublas.CUBLAS_OP_N, cublas.CUBLAS_OP_N, n, n, n, one, fb, n, fa, n, zero, fc, n);
            if (status != cublas.CUBLAS_STATUS_SUCCESS) {
                throw new IllegalStateException("cublasSgemm failed with status " + status);
            }
            return null;
        });
        report("cublas sgemm " + (tf32 ? "tf32" : "fp32"), n, seconds);
        cudart.cudaFree(a);
        cudart.cudaFree(b);
        cudart.cudaFree(c);
        cublas.cublasDestroy_v2(h);
    }

    private static Pointer deviceMalloc(long bytes) {
        try (PointerPointer<Pointer> out = new PointerPointer<>(1)) {
            int status = cudart.cudaMalloc(out, bytes);
            if (status != cudart.cudaSuccess) {
                throw new IllegalStateException("cudaMalloc(" + bytes + ") failed with error " + status);
            }
            return out.get(0);
        }
    }

    private static void mlp(Device device) {
        Tensor w1 = Tensor.randn(784, 512).mul(0.05).to(device);
        Tensor w2 = Tensor.randn(512, 512).mul(0.05).to(device);
        Tensor w3 = Tensor.randn(512, 10).mul(0.05).to(device);
        Tensor b1 = Tensor.zeros(512).to(device);
        Tensor x = Tensor.randn(256, 784).to(device);
        Supplier<Tensor> forward = () -> x.matmul(w1).add(b1).relu().matmul(w2).relu().matmul(w3);
        double seconds = time(() -> forward.get().to(Device.CPU)); // the copy back waits for the GPU
        System.out.printf("mlp forward 784-512-512-10 batch 256 eager on %s: %.3f ms%n", device.kind(), seconds * 1e3);
    }

    /** Seconds per call: 3 warm-up calls, then as many as fit in about 2 seconds (at least 5), synchronized. */
    private static double time(Supplier<Object> call) {
        for (int i = 0; i < 3; i++) {
            call.get();
        }
        sync();
        int reps = 0;
        long start = System.nanoTime();
        do {
            call.get();
            reps++;
            if (reps % 5 == 0) {
                sync();
            }
        } while (reps < 5 || System.nanoTime() - start < 2_000_000_000L);
        sync();
        return (System.nanoTime() - start) / 1e9 / reps;
    }

    private static void sync() {
        cudart.cudaDeviceSynchronize();
    }

    private static void report(String what, int n, double seconds) {
        System.out.printf("%s %dx%d: %.2f TFLOP/s (%.3f ms)%n", what, n, n, 2.0 * n * n * n / seconds / 1e12, seconds * 1e3);
    }
}
