package dev.janus.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Janus;
import dev.janus.Device;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.TensorScope;
import dev.janus.backend.cpu.CpuBackend;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.ShapeRules;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Buffer;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs only where the CUDA backend is usable (gpu-check.sh on a GPU machine); skips elsewhere with the reason:
 * copies, matmul through cuBLAS, host-fallback ops and tensors on the device, each against the CPU backend.
 */
class CudaGpuTest {
    private CudaBackend gpu;
    private final CpuBackend cpu = new CpuBackend();
    private final Random random = new Random(3);

    @BeforeEach
    void requireGpu() {
        gpu = Gpu.require();
    }

    @Test
    void deviceCount_withGpu_isPositive() {
        assertTrue(gpu.deviceCount() > 0);
        assertEquals("", gpu.unavailableReason());
    }

    @Test
    void fromHostToHost_everyDtype_roundTrips() {
        float[] f = {1.5f, -0f, Float.NaN, Float.NEGATIVE_INFINITY};
        assertArrayEquals(f, (float[]) gpu.toHost(gpu.fromHost(f, DType.FLOAT32, Gpu.CUDA)));
        double[] d = {Math.PI, -1e300, Double.MIN_VALUE};
        assertArrayEquals(d, (double[]) gpu.toHost(gpu.fromHost(d, DType.FLOAT64, Gpu.CUDA)));
        int[] i = {Integer.MIN_VALUE, 0, 42};
        assertArrayEquals(i, (int[]) gpu.toHost(gpu.fromHost(i, DType.INT32, Gpu.CUDA)));
        long[] l = {Long.MAX_VALUE, -1};
        assertArrayEquals(l, (long[]) gpu.toHost(gpu.fromHost(l, DType.INT64, Gpu.CUDA)));
        boolean[] b = {true, false, false, true};
        assertArrayEquals(b, (boolean[]) gpu.toHost(gpu.fromHost(b, DType.BOOL, Gpu.CUDA)));
        assertArrayEquals(new float[0], (float[]) gpu.toHost(gpu.fromHost(new float[0], DType.FLOAT32, Gpu.CUDA)));
        float[] big = new float[3_000_001];
        big[big.length - 1] = 7;
        Buffer copy = gpu.allocate(DType.FLOAT32, big.length);
        gpu.copy(gpu.fromHost(big, DType.FLOAT32, Gpu.CUDA), copy);
        assertArrayEquals(big, (float[]) gpu.toHost(copy));
        assertArrayEquals(new float[5], (float[]) gpu.toHost(gpu.allocate(DType.FLOAT32, 5)));
    }

    @ParameterizedTest(name = "{0} @ {1} transA={2} transB={3} {4}")
    @CsvSource({"64x784, 784x512, false, false, f32", "64x784, 512x784, false, true, f32", "33x17, 17x65, false, false, f32",
            "17x33, 17x65, true, false, f64", "1x1, 1x1, false, false, f32", "8x31x7, 8x7x13, false, false, f32",
            "5x31x7, 7x13, false, false, f64", "31x7, 3x13x7, false, true, f32", "3x0, 0x4, false, false, f32",
            "257x129, 129x255, false, false, f64"})
    void matmul_throughCublas_matchesCpu(String as, String bs, boolean ta, boolean tb, String dtype) {
        DType t = DType.parse(dtype);
        TensorSpec a = new TensorSpec(t, CudaExecutorTest.shape(as));
        TensorSpec b = new TensorSpec(t, CudaExecutorTest.shape(bs));
        Attrs attrs = Attrs.of("transA", ta, "transB", tb);
        TensorSpec out = ShapeRules.infer(Op.MATMUL, attrs, a, b);
        Object av = randoms(t, a.shape().numel());
        Object bv = randoms(t, b.shape().numel());
        Object want = cpu.toHost(cpu.execute(Op.MATMUL, attrs, new Buffer[] {cpu.fromHost(av, t, Device.CPU),
                cpu.fromHost(bv, t, Device.CPU)}, new TensorSpec[] {a, b}, out));
        Object got = gpu.toHost(gpu.execute(Op.MATMUL, attrs, new Buffer[] {gpu.fromHost(av, t, Gpu.CUDA),
                gpu.fromHost(bv, t, Gpu.CUDA)}, new TensorSpec[] {a, b}, out));
        long k = a.shape().dim(ta ? -2 : -1);
        if (t == DType.FLOAT32) {
            assertArrayEquals((float[]) want, (float[]) got, 1e-5f * (float) Math.sqrt(k + 1) * 4);
        } else {
            assertArrayEquals((double[]) want, (double[]) got, 1e-12 * Math.sqrt(k + 1));
        }
    }

    @Test
    void hostFallbackOps_matchCpu() {
        TensorSpec x = new TensorSpec(DType.FLOAT32, Shape.of(4, 6));
        float[] v = (float[]) randoms(DType.FLOAT32, 24);
        check(Op.SUM, Attrs.of("axes", new int[] {1}, "keepDim", false), x, v);
        check(Op.MAX, Attrs.of("axes", new int[] {0}, "keepDim", true), x, v);
        check(Op.PERMUTE, Attrs.of("perm", new int[] {1, 0}), x, v);
        check(Op.ARGMAX, Attrs.of("axis", 1, "keepDim", false), x, v);
        check(Op.CUMSUM, Attrs.of("axis", 0), x, v);
    }

    private void check(Op op, Attrs attrs, TensorSpec x, float[] v) {
        TensorSpec out = ShapeRules.infer(op, attrs, x);
        Object want = cpu.toHost(cpu.execute(op, attrs, new Buffer[] {cpu.fromHost(v, x.dtype(), Device.CPU)}, new TensorSpec[] {x}, out));
        Object got = gpu.toHost(gpu.execute(op, attrs, new Buffer[] {gpu.fromHost(v, x.dtype(), Gpu.CUDA)}, new TensorSpec[] {x}, out));
        if (want instanceof float[] w) {
            assertArrayEquals(w, (float[]) got, op.opName());
        } else {
            assertArrayEquals((long[]) want, (long[]) got, op.opName());
        }
    }

    @Test
    void tensorTo_cuda_toFloatArray_roundTrips() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor g = x.to(Gpu.CUDA);
        assertEquals(Gpu.CUDA, g.device());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, g.toFloatArray());
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, g.add(g).to(Device.CPU).toFloatArray());
    }

    @Test
    void mixedDevices_failNamingBoth() {
        Tensor a = Tensor.of(new float[] {1}, 1);
        Tensor b = a.to(Gpu.CUDA);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("cpu") && e.getMessage().contains("cuda:0"), e.getMessage());
    }

    @Test
    void thousandScopedTrainingLikeSteps_memoryStaysAtBaseline() {
        Tensor w = Tensor.randn(32, 16).to(Gpu.CUDA).requiresGrad(true);
        Tensor b = Tensor.zeros(16).to(Gpu.CUDA).requiresGrad(true);
        long baseline = gpu.memoryStats().allocatedBytes();
        long mallocsAfterWarmup = 0;
        for (int step = 0; step < 1000; step++) {
            try (TensorScope scope = Janus.tensorScope()) {
                Tensor x = Tensor.randn(8, 32).to(Gpu.CUDA);
                x.matmul(w).add(b).relu().sum().backward();
                w.zeroGrad();
                b.zeroGrad();
            }
            if (step == 10) {
                mallocsAfterWarmup = gpu.memoryStats().deviceMallocs();
            }
        }
        MemoryStats s = gpu.memoryStats();
        // NOTE: gradients close with the scope; only buffers no tensor holds wait for the Cleaner, so allow a little
        assertTrue(s.allocatedBytes() <= baseline + (1 << 20), "allocated " + s.allocatedBytes() + " vs baseline " + baseline + ": " + s);
        assertTrue(s.deviceMallocs() - mallocsAfterWarmup <= 2, "the steps kept calling cudaMalloc after warm-up: " + s);
    }

    @Test
    void thousandUnscopedSteps_memoryReturnsToBaselineThroughTheCleaner() throws InterruptedException {
        Tensor w = Tensor.randn(32, 16).to(Gpu.CUDA).requiresGrad(true);
        System.gc();
        long baseline = gpu.memoryStats().allocatedBytes();
        for (int step = 0; step < 1000; step++) {
            Tensor.randn(8, 32).to(Gpu.CUDA).matmul(w).relu().sum().backward();
            w.zeroGrad();
        }
        for (int i = 0; i < 100 && gpu.memoryStats().allocatedBytes() > baseline; i++) {
            System.gc();
            Thread.sleep(50);
        }
        MemoryStats s = gpu.memoryStats();
        assertTrue(s.allocatedBytes() <= baseline, "allocated " + s.allocatedBytes() + " > baseline " + baseline + ": " + s);
    }

    private Object randoms(DType t, long n) {
        if (t == DType.FLOAT32) {
            float[] v = new float[(int) n];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) random.nextGaussian();
            }
            return v;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }
}
