package dev.janus.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Device;
import dev.janus.Tensor;
import dev.janus.nn.F;
import dev.janus.ops.Op;
import dev.janus.optim.SGD;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LeNet's forward and backward (conv 1→6 5×5 padded, pool 2, conv 6→16 5×5, pool 2, 400-120-84-10, cross-entropy,
 * batch 16) through the eager engine on the CUDA executor over a {@link FakeDevice} whose kernels run (g++, host
 * shim; {@link HostRunDevice}): no op takes the host fallback (convolutions, pooling, cross-entropy's gather and
 * scatter-add, expand included), and the loss and every parameter gradient match the CPU backend within float
 * rounding.
 */
class LeNetOnDeviceTest {
    private static final Logger LOG = LoggerFactory.getLogger(LeNetOnDeviceTest.class);
    private static final long[][] PARAMS = {{6, 1, 5, 5}, {6}, {16, 6, 5, 5}, {16}, {120, 400}, {120}, {84, 120}, {84},
        {10, 84}, {10}};
    private static final int BATCH = 16;

    @TempDir
    Path work;

    @Test
    void lenetTrainingStep_onTheDevicePath_neverTakesTheHostFallbackAndMatchesCpu() throws Exception {
        Assumptions.assumeTrue(HostKernelProcessCheck.gxx(), "g++ is not on PATH: the kernels cannot run on the host");
        Inputs in = Inputs.random();
        List<float[]> want = step(Device.CPU, in);
        Set<Op> fallback = EnumSet.noneOf(Op.class);
        List<float[]> got = HostRunDevice.run(work, 256 << 20, device -> {
            CudaExecutor gpu = device.executor();
            FakeCudaBackend.use(gpu);
            List<float[]> result = step(FakeCudaBackend.DEVICE, in);
            fallback.clear();
            fallback.addAll(gpu.fallback().opsSeen());
            return result;
        });
        LOG.info("LeNet step on the fake GPU: ops through the host fallback: {}", fallback);
        for (Op op : List.of(Op.CONV2D, Op.CONV2D_WEIGHT_GRAD, Op.CONV_TRANSPOSE2D, Op.MAX_POOL2D, Op.MAX_POOL2D_GRAD)) {
            assertTrue(!fallback.contains(op), op + " took the host fallback; all of them: " + fallback);
        }
        assertTrue(fallback.isEmpty(), "ops of the training step still on the host: " + fallback);
        compare(want, got);
    }

    private static void compare(List<float[]> want, List<float[]> got) {
        assertEquals(want.size(), got.size());
        String[] names = {"loss", "conv1.w", "conv1.b", "conv2.w", "conv2.b", "fc1.w", "fc1.b", "fc2.w", "fc2.b", "fc3.w",
            "fc3.b"};
        for (int i = 0; i < want.size(); i++) {
            float[] w = want.get(i);
            float[] g = got.get(i);
            assertEquals(w.length, g.length, names[i]);
            double scale = 0;
            for (float v : w) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int j = 0; j < w.length; j++) {
                double err = Math.abs(w[j] - g[j]);
                assertTrue(err <= 1e-4 * scale + 1e-6, names[i] + " element " + j + ": cpu " + w[j] + ", device " + g[j]);
            }
        }
    }

    /**
     * GpuBenchMain's step — the LeNet module, cross-entropy, backward, SGD — launches only kernels and GEMMs on the
     * fake GPU (recorded, not run: which path each op takes does not depend on values).
     */
    @Test
    void benchTrainingStep_withModuleAndSgd_neverTakesTheHostFallback() {
        FakeDevice device = new FakeDevice(64 << 20);
        CudaExecutor gpu = device.executor();
        FakeCudaBackend.use(gpu);
        GpuBenchMain.BenchLeNet net = new GpuBenchMain.BenchLeNet().to(FakeCudaBackend.DEVICE);
        SGD sgd = new SGD(net.parameters(), 0.01);
        Tensor x = Tensor.randn(8, 1, 28, 28).to(FakeCudaBackend.DEVICE);
        Tensor y = Tensor.of(new long[] {1, 2, 3, 4, 5, 6, 7, 8}, 8).to(FakeCudaBackend.DEVICE);
        for (int i = 0; i < 2; i++) {
            sgd.zeroGrad();
            F.crossEntropy(net.forward(x), y).backward();
            sgd.step();
        }
        assertEquals(Set.of(), gpu.fallback().opsSeen());
        // per step: 5 forward products (2 convolutions, 3 linears), 6 linear gradients, conv2's input and weight
        // gradients and conv1's weight gradient: backward skips conv1's input gradient, which the images do not want
        assertEquals(2 * 14, device.gemmCalls);
        assertEquals(2 * 1, device.launches.stream().filter(l -> l.kernel().startsWith("janus_win_col2im")).count());
    }

    /** The same step on a real GPU (NVRTC, cuBLAS) against the CPU, for gpu-check.sh; skips without one. */
    @Test
    void lenetTrainingStep_onTheGpu_matchesCpu() {
        Gpu.require();
        Inputs in = Inputs.random();
        compare(step(Device.CPU, in), step(Gpu.CUDA, in));
    }

    /** The parameters (scaled like PyTorch's default initialization), images and labels of one step. */
    private record Inputs(List<float[]> params, float[] images, long[] labels) {
        static Inputs random() {
            Random r = new Random(5);
            List<float[]> params = new ArrayList<>();
            for (long[] shape : PARAMS) {
                params.add(randoms(r, numel(shape), 1 / Math.sqrt(numel(shape) / shape[0])));
            }
            long[] labels = new long[BATCH];
            for (int i = 0; i < BATCH; i++) {
                labels[i] = r.nextInt(10);
            }
            return new Inputs(params, randoms(r, BATCH * 28 * 28, 1), labels);
        }
    }

    /** One LeNet forward and backward on {@code device}: the loss, then each parameter's gradient. */
    private static List<float[]> step(Device device, Inputs in) {
        List<Tensor> p = new ArrayList<>();
        for (int i = 0; i < PARAMS.length; i++) {
            p.add(Tensor.of(in.params().get(i), PARAMS[i]).to(device).requiresGrad(true));
        }
        Tensor x = Tensor.of(in.images(), BATCH, 1, 28, 28).to(device);
        Tensor h = F.maxPool2d(F.conv2d(x, p.get(0), p.get(1), 1, 2).relu(), 2);
        h = F.maxPool2d(F.conv2d(h, p.get(2), p.get(3), 1, 0).relu(), 2);
        h = h.flatten(1, -1);
        h = F.linear(h, p.get(4), p.get(5)).relu();
        h = F.linear(h, p.get(6), p.get(7)).relu();
        Tensor loss = F.crossEntropy(F.linear(h, p.get(8), p.get(9)), Tensor.of(in.labels(), BATCH).to(device));
        loss.backward();
        List<float[]> out = new ArrayList<>(List.of(loss.toFloatArray()));
        p.forEach(t -> out.add(t.grad().toFloatArray()));
        return out;
    }

    private static float[] randoms(Random r, long n, double scale) {
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    private static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
