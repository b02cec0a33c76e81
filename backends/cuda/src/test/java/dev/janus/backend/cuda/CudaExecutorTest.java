package dev.janus.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.Shape;
import dev.janus.backend.cpu.CpuBackend;
import dev.janus.backend.cuda.kernels.CustomKernelTest;
import dev.janus.ops.Attrs;
import dev.janus.ops.CustomOp;
import dev.janus.ops.CustomOps;
import dev.janus.ops.Op;
import dev.janus.ops.ShapeRules;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Buffer;
import dev.janus.spi.ElementwiseProgram;
import dev.janus.spi.ElementwiseProgram.Step;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The GPU dispatch logic on a {@link FakeDevice}: which path each op takes, and that its results are right. */
class CudaExecutorTest {
    private final FakeDevice device = new FakeDevice(16 << 20);
    private final CudaExecutor gpu = device.executor();
    private final CpuBackend cpu = new CpuBackend();
    private final Random random = new Random(7);

    @Test
    void fromHostToHost_everyDtype_roundTrips() {
        CudaMemoryOps m = gpu.memory();
        assertArrayEquals(new float[] {1.5f, -2, Float.NaN}, (float[]) m.toHost(m.fromHost(new float[] {1.5f, -2, Float.NaN}, DType.FLOAT32)));
        assertArrayEquals(new double[] {1e300, -0.0}, (double[]) m.toHost(m.fromHost(new double[] {1e300, -0.0}, DType.FLOAT64)));
        assertArrayEquals(new int[] {Integer.MIN_VALUE, 7}, (int[]) m.toHost(m.fromHost(new int[] {Integer.MIN_VALUE, 7}, DType.INT32)));
        assertArrayEquals(new long[] {Long.MAX_VALUE}, (long[]) m.toHost(m.fromHost(new long[] {Long.MAX_VALUE}, DType.INT64)));
        assertArrayEquals(new boolean[] {true, false, true}, (boolean[]) m.toHost(m.fromHost(new boolean[] {true, false, true}, DType.BOOL)));
        assertArrayEquals(new float[0], (float[]) m.toHost(m.fromHost(new float[0], DType.FLOAT32)));
    }

    @Test
    void add_broadcast_launchesOneGeneratedKernelWithShapeArguments() {
        TensorSpec x = new TensorSpec(DType.FLOAT32, Shape.of(2, 3));
        TensorSpec b = new TensorSpec(DType.FLOAT32, Shape.of(3));
        CudaBuffer xb = gpu.memory().fromHost(new float[6], DType.FLOAT32);
        CudaBuffer bb = gpu.memory().fromHost(new float[3], DType.FLOAT32);
        CudaBuffer out = gpu.memory().allocateUninitialized(DType.FLOAT32, 6);
        assertEquals(CudaExecutor.Path.KERNEL, gpu.executeInto(Op.ADD, Attrs.NONE, new Buffer[] {xb, bb},
                new TensorSpec[] {x, b}, x, out));
        FakeDevice.Launch l = device.launches.get(0);
        assertArrayEquals(new long[] {out.address(), xb.address(), bb.address()}, l.pointers());
        assertArrayEquals(new long[] {6, 2, 3, 0, 1}, l.scalars());
    }

    @Test
    void customOp_withCudaSource_launchesItWithTheContractsArguments() {
        TensorSpec x = new TensorSpec(DType.FLOAT32, Shape.of(2, 3));
        Attrs a = CustomKernelTest.SWISH.nodeAttrs(Attrs.of("beta", 1.5));
        CudaBuffer xb = gpu.memory().fromHost(new float[6], DType.FLOAT32);
        CudaBuffer out = gpu.memory().allocateUninitialized(DType.FLOAT32, 6);
        assertEquals(CudaExecutor.Path.KERNEL, gpu.executeInto(Op.CUSTOM, a, new Buffer[] {xb}, new TensorSpec[] {x}, x, out));
        FakeDevice.Launch l = device.launches.get(0);
        assertEquals("test_cuda_swish", l.kernel());
        assertArrayEquals(new long[] {out.address(), xb.address()}, l.pointers());
        assertArrayEquals(new long[] {6, 6, Double.doubleToRawLongBits(1.5)}, l.scalars());
    }

    @Test
    void customOp_withoutCudaSource_runsItsCpuKernelWithHostCopies() {
        CustomOp negate = CustomOp.define("test.host-negate").shape((in, at) -> in[0]).cpu((in, o, at) -> {
            for (int i = 0; i < o.numel(); i++) {
                o.set(i, -in[0].get(i));
            }
        }).notDifferentiable().register();
        try {
            TensorSpec x = new TensorSpec(DType.FLOAT32, Shape.of(3));
            CudaBuffer out = gpu.memory().allocateUninitialized(DType.FLOAT32, 3);
            assertEquals(CudaExecutor.Path.HOST_FALLBACK, gpu.executeInto(Op.CUSTOM, negate.nodeAttrs(Attrs.NONE),
                    new Buffer[] {gpu.memory().fromHost(new float[] {1, -2, 3}, DType.FLOAT32)}, new TensorSpec[] {x}, x, out));
            assertArrayEquals(new float[] {-1, 2, -3}, (float[]) gpu.memory().toHost(out));
            assertTrue(device.launches.isEmpty());
        } finally {
            CustomOps.unregister("test.host-negate");
        }
    }

    @Test
    void cumsum_hasNoKernel_runsOnTheCpuWithHostCopies() {
        TensorSpec x = new TensorSpec(DType.FLOAT32, Shape.of(2, 3));
        float[] v = {1, 2, 3, 4, 5, 6};
        Attrs a = Attrs.of("axis", 1);
        TensorSpec outSpec = ShapeRules.infer(Op.CUMSUM, a, x);
        CudaBuffer out = gpu.memory().allocateUninitialized(DType.FLOAT32, 6);
        assertEquals(CudaExecutor.Path.HOST_FALLBACK, gpu.executeInto(Op.CUMSUM, a,
                new Buffer[] {gpu.memory().fromHost(v, DType.FLOAT32)}, new TensorSpec[] {x}, outSpec, out));
        assertArrayEquals(new float[] {1, 3, 6, 4, 9, 15}, (float[]) gpu.memory().toHost(out));
        assertTrue(gpu.fallback().opsSeen().contains(Op.CUMSUM));
        assertTrue(device.launches.isEmpty());
    }

    @Test
    void sum_overTheMiddleAxis_launchesAReductionKernel() {
        TensorSpec x = new TensorSpec(DType.FLOAT32, Shape.of(2, 3, 4));
        Attrs a = Attrs.of("axes", new int[] {1}, "keepDim", false);
        TensorSpec outSpec = ShapeRules.infer(Op.SUM, a, x);
        CudaBuffer out = gpu.memory().allocateUninitialized(DType.FLOAT32, 8);
        assertEquals(CudaExecutor.Path.KERNEL, gpu.executeInto(Op.SUM, a,
                new Buffer[] {gpu.memory().fromHost(new float[24], DType.FLOAT32)}, new TensorSpec[] {x}, outSpec, out));
        // n = 8 outputs, r = 3; kept axes 0 and 2 (dims 2, 4; strides 12, 1); reduced axis 1 (dim 3, stride 4)
        assertArrayEquals(new long[] {8, 3, 2, 4, 12, 1, 3, 4}, device.launches.get(0).scalars());
    }

    @ParameterizedTest(name = "{0} @ {1} transA={2} transB={3}")
    @CsvSource({"3x5, 5x4, false, false", "5x3, 5x4, true, false", "3x5, 4x5, false, true", "5x3, 4x5, true, true",
            "1x1, 1x1, false, false", "7x13, 13x1, false, false", "2x3x5, 2x5x4, false, false", "2x3x5, 5x4, false, false",
            "3x5, 2x5x4, false, false", "4x2x3x5, 4x2x4x5, false, true", "3x0, 0x4, false, false"})
    void matmul_rowMajorThroughColumnMajorGemm_matchesCpu(String as, String bs, boolean ta, boolean tb) {
        TensorSpec a = new TensorSpec(DType.FLOAT64, shape(as));
        TensorSpec b = new TensorSpec(DType.FLOAT64, shape(bs));
        Attrs attrs = Attrs.of("transA", ta, "transB", tb);
        TensorSpec outSpec = ShapeRules.infer(Op.MATMUL, attrs, a, b);
        double[] av = randoms(a.shape().numel());
        double[] bv = randoms(b.shape().numel());
        Buffer r = gpu.execute(Op.MATMUL, attrs, new Buffer[] {gpu.memory().fromHost(av, DType.FLOAT64),
                gpu.memory().fromHost(bv, DType.FLOAT64)}, new TensorSpec[] {a, b}, outSpec);
        double[] want = (double[]) cpu.toHost(cpu.execute(Op.MATMUL, attrs, new Buffer[] {cpu.fromHost(av, DType.FLOAT64, Device.CPU),
                cpu.fromHost(bv, DType.FLOAT64, Device.CPU)}, new TensorSpec[] {a, b}, outSpec));
        assertArrayEquals(want, (double[]) gpu.memory().toHost((CudaBuffer) r), 1e-12);
        assertEquals(outSpec.shape().numel() == 0 || a.shape().dim(-1 - (ta ? 1 : 0)) == 0 ? 0 : 1, device.gemmCalls);
    }

    @Test
    void matmul_batchesBroadcastBothWays_fallsBackToTheCpu() {
        TensorSpec a = new TensorSpec(DType.FLOAT32, Shape.of(3, 1, 2, 2));
        TensorSpec b = new TensorSpec(DType.FLOAT32, Shape.of(1, 4, 2, 2));
        Attrs attrs = Attrs.of("transA", false, "transB", false);
        TensorSpec outSpec = ShapeRules.infer(Op.MATMUL, attrs, a, b);
        CudaBuffer out = gpu.memory().allocateUninitialized(DType.FLOAT32, outSpec.shape().numel());
        assertEquals(CudaExecutor.Path.HOST_FALLBACK, gpu.executeInto(Op.MATMUL, attrs, new Buffer[] {
                gpu.memory().fromHost(new float[12], DType.FLOAT32), gpu.memory().fromHost(new float[16], DType.FLOAT32)},
                new TensorSpec[] {a, b}, outSpec, out));
    }

    @Test
    void compile_fusedProgram_isOneLaunch() {
        var p = new ElementwiseProgram(DType.FLOAT32, Shape.of(4, 5), List.of(Shape.of(4, 5), Shape.of(5)),
                List.of(Step.of(Op.ADD, 0, 1), Step.of(Op.RELU, 2)));
        var k = gpu.compile(p);
        assertNotNull(k);
        k.run(new Buffer[] {gpu.memory().fromHost(new float[20], DType.FLOAT32), gpu.memory().fromHost(new float[5], DType.FLOAT32)},
                gpu.memory().allocateUninitialized(DType.FLOAT32, 20));
        assertEquals(1, device.launches.size());
    }

    @Test
    void compile_gemmEpilogue_isOneGemmIntoScratchThenOneKernelReadingIt() {
        var p = new ElementwiseProgram(DType.FLOAT32, Shape.of(2, 4), List.of(Shape.of(2, 3), Shape.of(4, 3), Shape.of(4)),
                List.of(Step.of(Op.MATMUL, Attrs.of("transA", false, "transB", true), 0, 1), Step.of(Op.ADD, 3, 2),
                        Step.of(Op.RELU, 4)));
        var k = gpu.compile(p);
        assertNotNull(k);
        CudaBuffer x = gpu.memory().fromHost(new float[] {1, 2, 3, 4, 5, 6}, DType.FLOAT32);
        CudaBuffer w = gpu.memory().fromHost(new float[12], DType.FLOAT32);
        CudaBuffer b = gpu.memory().fromHost(new float[4], DType.FLOAT32);
        CudaBuffer out = gpu.memory().allocateUninitialized(DType.FLOAT32, 8);
        long before = gpu.memory().allocator().memoryStats().allocatedBytes();
        k.run(new Buffer[] {x, w, b}, out);
        assertEquals(1, device.gemmCalls);
        FakeDevice.Launch l = device.launches.get(0);
        assertEquals(3, l.pointers().length, "out, the bias, the product: x and w only feed the matmul");
        assertEquals(out.address(), l.pointers()[0]);
        assertEquals(b.address(), l.pointers()[1]);
        assertEquals(before, gpu.memory().allocator().memoryStats().allocatedBytes(), "the scratch product is given back");
    }

    @Test
    void compile_gemmEpilogueOnIntegers_isDeclined() {
        var p = new ElementwiseProgram(DType.INT64, Shape.of(2, 4), List.of(Shape.of(2, 3), Shape.of(3, 4)),
                List.of(Step.of(Op.MATMUL, Attrs.of("transA", false, "transB", false), 0, 1), Step.of(Op.RELU, 2)));
        assertNull(gpu.compile(p));
    }

    @Test
    void reshape_sharesTheInputBuffer() {
        Buffer x = gpu.memory().fromHost(new float[6], DType.FLOAT32);
        TensorSpec in = new TensorSpec(DType.FLOAT32, Shape.of(2, 3));
        Attrs a = Attrs.of("shape", new long[] {3, 2});
        assertSame(x, gpu.execute(Op.RESHAPE, a, new Buffer[] {x}, new TensorSpec[] {in}, ShapeRules.infer(Op.RESHAPE, a, in)));
    }

    @Test
    void allocate_deviceFullOfUnreachableBuffers_collectsThemAndSucceeds() {
        for (int i = 0; i < 8; i++) {
            gpu.memory().allocateUninitialized(DType.FLOAT32, 3 << 20); // 12 MiB of the 16, dropped at once
        }
        MemoryStats s = gpu.memory().allocator().memoryStats();
        assertEquals(1, s.deviceMallocs(), s.toString()); // each later one reused the block the Cleaner returned
        assertTrue(s.cleanerReleases() >= 7, s.toString());
    }

    @Test
    void release_lastReference_givesTheBlockBackAndRefusesUse() {
        CudaBuffer b = gpu.memory().fromHost(new float[1000], DType.FLOAT32);
        b.retain();
        b.retain();
        b.release();
        assertEquals(4096, gpu.memory().allocator().memoryStats().allocatedBytes());
        b.release();
        assertEquals(0, gpu.memory().allocator().memoryStats().allocatedBytes());
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, b::address);
        assertTrue(e.getMessage().contains("use after free"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, b::release);
    }

    @Test
    void hasNonFinite_readsTheBuffer() {
        assertTrue(gpu.hasNonFinite(gpu.memory().fromHost(new float[] {1, Float.POSITIVE_INFINITY}, DType.FLOAT32)));
        assertEquals(false, gpu.hasNonFinite(gpu.memory().fromHost(new double[] {1, 2}, DType.FLOAT64)));
    }

    private double[] randoms(long n) {
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    /** {@code "2x3x4"} as a shape (for parameterized cases). */
    static Shape shape(String text) {
        String[] parts = text.split("x");
        long[] dims = new long[parts.length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = Long.parseLong(parts[i]);
        }
        return Shape.of(dims);
    }
}
