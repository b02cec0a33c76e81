package dev.janus.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.Shape;
import dev.janus.backend.cpu.CpuBackend;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.ShapeRules;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Backend;
import dev.janus.spi.Buffer;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Convolutions and max pooling on the device path, end to end: {@link WindowOps}'s im2col, swap, col2im and
 * pooling kernels run compiled by g++ through the host shim ({@link HostRunDevice}), its GEMMs on the fake device's
 * column-major reference, and every result is compared with the CPU backend on random inputs — padding, stride,
 * dilation, groups, batch and channels above 1, both float dtypes. Pooling must agree bit for bit, ties and NaNs
 * included; convolutions within float rounding (the products sum in another order). The same cases run on a real
 * GPU when there is one.
 */
class WindowOpsTest {
    private final CpuBackend cpu = new CpuBackend();
    private final Random random = new Random(11);

    @TempDir
    Path work;

    /** One op to check: its inputs and whether the result must be bit-exact. */
    record Case(String name, Op op, Attrs attrs, TensorSpec[] specs, Object[] inputs, boolean exact) {}

    @TestFactory
    Stream<DynamicTest> everyWindowOp_onTheDevicePath_matchesCpu() throws Exception {
        Assumptions.assumeTrue(HostKernelProcessCheck.gxx(), "g++ is not on PATH: the kernels cannot run on the host");
        List<Case> cases = cases();
        // each case twice: the whole batch in one step, then one image per step (a column budget of 1 element)
        List<Object> got = HostRunDevice.run(work, 64 << 20, device -> {
            List<Object> results = new ArrayList<>();
            for (CudaExecutor gpu : List.of(device.executor(), device.executor(1))) {
                for (Case c : cases) {
                    results.add(runOnDevice(gpu, c));
                }
                assertTrue(gpu.fallback().opsSeen().isEmpty(), "host fallback taken for " + gpu.fallback().opsSeen());
            }
            assertTrue(device.launches.size() > cases.size(), "the ops launched kernels");
            return results;
        });
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < got.size(); i++) {
            Case c = cases.get(i % cases.size());
            Object g = got.get(i);
            String how = i < cases.size() ? "" : "in chunks of one image: ";
            tests.add(DynamicTest.dynamicTest(how + c.name(), () -> assertClose(c, g)));
        }
        return tests.stream();
    }

    @Test
    void conv2d_onTheDevicePath_isOneGemmBetweenIm2colAndTheBiasSwap() {
        FakeDevice device = new FakeDevice(16 << 20);
        CudaExecutor gpu = device.executor();
        Case c = conv(DType.FLOAT32, new long[] {2, 3, 9, 9}, new long[] {4, 3, 3, 3}, true, 1, 1, 1, 1, 1, 1, 1);
        Buffer[] in = new Buffer[3];
        for (int i = 0; i < 3; i++) {
            in[i] = gpu.memory().fromHost(c.inputs()[i], DType.FLOAT32);
        }
        TensorSpec out = ShapeRules.infer(c.op(), c.attrs(), c.specs());
        CudaBuffer y = gpu.memory().allocateUninitialized(DType.FLOAT32, out.shape().numel());
        long before = gpu.memory().allocator().memoryStats().allocatedBytes();
        assertEquals(CudaExecutor.Path.KERNEL, gpu.executeInto(c.op(), c.attrs(), in, c.specs(), out, y));
        assertEquals(1, device.gemmCalls);
        assertEquals(2, device.launches.size());
        assertTrue(device.launches.get(0).kernel().startsWith("janus_win_im2col_f32"), device.launches.get(0).kernel());
        assertTrue(device.launches.get(1).kernel().startsWith("janus_win_swap_bias_f32"), device.launches.get(1).kernel());
        assertEquals(before, gpu.memory().allocator().memoryStats().allocatedBytes(),
                "the column matrix and the product are given back");
    }

    private List<Case> cases() {
        List<Case> all = new ArrayList<>();
        // conv2d: plain with bias; stride, padding, dilation and groups mixed; LeNet's conv1 in f64; depthwise
        all.add(conv(DType.FLOAT32, new long[] {2, 3, 9, 9}, new long[] {4, 3, 3, 3}, true, 1, 1, 1, 1, 1, 1, 1));
        all.add(conv(DType.FLOAT32, new long[] {3, 4, 10, 11}, new long[] {6, 2, 3, 2}, false, 2, 1, 1, 0, 2, 1, 2));
        all.add(conv(DType.FLOAT64, new long[] {2, 1, 12, 12}, new long[] {6, 1, 5, 5}, true, 1, 1, 2, 2, 1, 1, 1));
        all.add(conv(DType.FLOAT32, new long[] {2, 4, 7, 7}, new long[] {4, 1, 3, 3}, true, 2, 2, 1, 1, 1, 1, 4));
        all.add(conv(DType.FLOAT32, new long[] {1, 5, 7, 6}, new long[] {3, 5, 1, 1}, true, 2, 3, 0, 0, 1, 1, 1));
        // the weight gradients of the same geometries (and a 1x1 window striding past input elements)
        all.add(weightGrad(DType.FLOAT32, new long[] {2, 3, 9, 9}, new long[] {4, 3, 3, 3}, 1, 1, 1, 1, 1, 1, 1));
        all.add(weightGrad(DType.FLOAT32, new long[] {3, 4, 10, 11}, new long[] {6, 2, 3, 2}, 2, 1, 1, 0, 2, 1, 2));
        all.add(weightGrad(DType.FLOAT64, new long[] {2, 1, 12, 12}, new long[] {6, 1, 5, 5}, 1, 1, 2, 2, 1, 1, 1));
        all.add(weightGrad(DType.FLOAT32, new long[] {2, 4, 7, 7}, new long[] {4, 1, 3, 3}, 2, 2, 1, 1, 1, 1, 4));
        all.add(weightGrad(DType.FLOAT32, new long[] {1, 5, 7, 6}, new long[] {3, 5, 1, 1}, 2, 3, 0, 0, 1, 1, 1));
        // transposed convolutions (conv2d's input gradient): output padding, groups, dilation, many channels
        all.add(transpose(DType.FLOAT32, new long[] {2, 4, 5, 5}, new long[] {4, 3, 3, 3}, 2, 2, 1, 1, 1, 1, 1, 1, 1));
        all.add(transpose(DType.FLOAT64, new long[] {3, 4, 4, 6}, new long[] {4, 2, 3, 2}, 1, 2, 0, 1, 2, 1, 2, 0, 1));
        all.add(transpose(DType.FLOAT32, new long[] {2, 16, 6, 6}, new long[] {16, 8, 3, 3}, 1, 1, 1, 1, 1, 1, 1, 0, 0));
        all.add(transpose(DType.FLOAT32, new long[] {2, 6, 8, 8}, new long[] {6, 16, 5, 5}, 1, 1, 0, 0, 1, 1, 1, 0, 0));
        all.add(transpose(DType.FLOAT64, new long[] {1, 3, 3, 4}, new long[] {3, 2, 2, 2}, 3, 3, 0, 0, 1, 1, 1, 2, 0));
        // max pooling and its gradient: 2x2 (the CPU's unrolled float32 path), overlapping, padded, dilated, f64
        for (DType t : List.of(DType.FLOAT32, DType.FLOAT64)) {
            all.add(pool(t, new long[] {2, 3, 8, 9}, 2, 2, 2, 2, 0, 0, 1, 1));
            all.add(pool(t, new long[] {2, 2, 9, 7}, 3, 3, 2, 2, 1, 1, 1, 1));
            all.add(pool(t, new long[] {1, 3, 10, 8}, 3, 2, 1, 2, 1, 1, 2, 1));
        }
        return all;
    }

    private Case conv(DType t, long[] x, long[] w, boolean bias, int sh, int sw, int ph, int pw, int dh, int dw, int g) {
        Attrs a = Attrs.of("stride", new int[] {sh, sw}, "padding", new int[] {ph, pw}, "dilation", new int[] {dh, dw},
                "groups", g);
        List<TensorSpec> specs = new ArrayList<>(List.of(spec(t, x), spec(t, w)));
        if (bias) {
            specs.add(spec(t, new long[] {w[0]}));
        }
        return make("conv2d", Op.CONV2D, a, specs.toArray(TensorSpec[]::new), false);
    }

    private Case weightGrad(DType t, long[] x, long[] w, int sh, int sw, int ph, int pw, int dh, int dw, int g) {
        Attrs conv = Attrs.of("stride", new int[] {sh, sw}, "padding", new int[] {ph, pw}, "dilation", new int[] {dh, dw},
                "groups", g);
        TensorSpec y = ShapeRules.infer(Op.CONV2D, conv, spec(t, x), spec(t, w));
        Attrs a = Attrs.of("stride", new int[] {sh, sw}, "padding", new int[] {ph, pw}, "dilation", new int[] {dh, dw},
                "groups", g, "weightShape", w.clone());
        return make("conv2d_weight_grad", Op.CONV2D_WEIGHT_GRAD, a, new TensorSpec[] {spec(t, x), y}, false);
    }

    private Case transpose(DType t, long[] x, long[] w, int sh, int sw, int ph, int pw, int dh, int dw, int g, int oph,
            int opw) {
        Attrs a = Attrs.of("stride", new int[] {sh, sw}, "padding", new int[] {ph, pw}, "dilation", new int[] {dh, dw},
                "groups", g, "outputPadding", new int[] {oph, opw});
        return make("conv_transpose2d", Op.CONV_TRANSPOSE2D, a, new TensorSpec[] {spec(t, x), spec(t, w)}, false);
    }

    /** Adds the pooling case and its gradient; inputs are small integers (ties) with NaNs and signed zeros. */
    private Case pool(DType t, long[] x, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        Attrs a = Attrs.of("kernel", new int[] {kh, kw}, "stride", new int[] {sh, sw}, "padding", new int[] {ph, pw},
                "dilation", new int[] {dh, dw});
        return make("max_pool2d", Op.MAX_POOL2D, a, new TensorSpec[] {spec(t, x)}, true);
    }

    private Case make(String name, Op op, Attrs a, TensorSpec[] specs, boolean ties) {
        Object[] inputs = new Object[specs.length];
        for (int i = 0; i < specs.length; i++) {
            inputs[i] = ties ? ties(specs[i]) : randoms(specs[i]);
        }
        StringBuilder label = new StringBuilder(name).append(' ').append(specs[0].dtype().shortName());
        for (TensorSpec s : specs) {
            label.append(' ').append(s.shape());
        }
        return new Case(label.append(' ').append(a).toString(), op, a, specs, inputs, ties);
    }

    private Object randoms(TensorSpec s) {
        int n = (int) s.shape().numel();
        if (s.dtype() == DType.FLOAT32) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) random.nextGaussian();
            }
            return v;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    private Object ties(TensorSpec s) {
        int n = (int) s.shape().numel();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            int pick = random.nextInt(16); // 1 in 8 NaN: windows with two NaNs tell the CPU's two NaN rules apart
            v[i] = pick < 2 ? Double.NaN : pick == 2 ? -0.0 : pick == 3 ? 0.0 : random.nextInt(4) - 2;
        }
        if (s.dtype() == DType.FLOAT64) {
            return v;
        }
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static TensorSpec spec(DType t, long[] dims) {
        return new TensorSpec(t, Shape.of(dims));
    }

    /** The op, and for pooling also its gradient, on the device path; one array per result. */
    private Object runOnDevice(CudaExecutor gpu, Case c) {
        FakeCudaBackend.use(gpu);
        return runOn(new FakeCudaBackend(), FakeCudaBackend.DEVICE, c);
    }

    /** {@link #runOnDevice} through any backend: the fake device's, or the real GPU's. */
    private Object runOn(Backend b, Device device, Case c) {
        Buffer[] in = new Buffer[c.inputs().length];
        for (int i = 0; i < in.length; i++) {
            in[i] = b.fromHost(c.inputs()[i], c.specs()[i].dtype(), device);
        }
        TensorSpec out = ShapeRules.infer(c.op(), c.attrs(), c.specs());
        Object y = b.toHost(b.execute(c.op(), c.attrs(), in, c.specs(), out));
        if (c.op() != Op.MAX_POOL2D) {
            return y;
        }
        Object gradOut = randoms(out);
        Object gx = b.toHost(b.execute(Op.MAX_POOL2D_GRAD, c.attrs(), new Buffer[] {b.fromHost(gradOut, out.dtype(), device),
            in[0]}, new TensorSpec[] {out, c.specs()[0]}, c.specs()[0]));
        return new Object[] {y, gradOut, gx};
    }

    /** The same cases on a real GPU (NVRTC, cuBLAS), for gpu-check.sh; skips without one. */
    @TestFactory
    Stream<DynamicTest> everyWindowOp_onTheGpu_matchesCpu() {
        CudaBackend gpu = Gpu.require();
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> assertClose(c, runOn(gpu, Gpu.CUDA, c))));
    }

    private Object runOnCpu(Case c, Object gradOut) {
        Buffer[] in = new Buffer[c.inputs().length];
        for (int i = 0; i < in.length; i++) {
            in[i] = cpu.fromHost(c.inputs()[i], c.specs()[i].dtype(), Device.CPU);
        }
        TensorSpec out = ShapeRules.infer(c.op(), c.attrs(), c.specs());
        Object y = cpu.toHost(cpu.execute(c.op(), c.attrs(), in, c.specs(), out));
        if (gradOut == null) {
            return y;
        }
        Object gx = cpu.toHost(cpu.execute(Op.MAX_POOL2D_GRAD, c.attrs(), new Buffer[] {cpu.fromHost(gradOut, out.dtype(),
                Device.CPU), in[0]}, new TensorSpec[] {out, c.specs()[0]}, c.specs()[0]));
        return new Object[] {y, gradOut, gx};
    }

    private void assertClose(Case c, Object got) {
        if (got instanceof Object[] pooled) {
            Object[] want = (Object[]) runOnCpu(c, pooled[1]);
            compare(c.name() + " forward", want[0], pooled[0], true);
            compare(c.name() + " gradient", want[2], pooled[2], true);
            return;
        }
        compare(c.name(), runOnCpu(c, null), got, false);
    }

    private static void compare(String name, Object want, Object got, boolean exact) {
        assertEquals(Array.getLength(want), Array.getLength(got), name);
        double tol = want instanceof float[] ? 2e-5 : 1e-12;
        for (int i = 0; i < Array.getLength(want); i++) {
            double w = ((Number) Array.get(want, i)).doubleValue();
            double g = ((Number) Array.get(got, i)).doubleValue();
            if (exact) {
                assertEquals(Double.valueOf(w), Double.valueOf(g), name + " element " + i);
            } else if (Math.abs(w - g) > tol * (1 + Math.abs(w))) {
                assertEquals(w, g, name + " element " + i + ": off by " + Math.abs(w - g));
            }
        }
    }
}
