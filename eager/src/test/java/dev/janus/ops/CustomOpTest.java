package dev.janus.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.GradCheck;
import dev.janus.Tensor;
import org.junit.jupiter.api.Test;

class CustomOpTest {
    /** y = x · sigmoid(beta · x), any floating dtype. */
    static final CustomOp SWISH = CustomOp.define("eager.swish")
            .attr("beta", AttrType.FLOAT, 1.0)
            .shape((in, a) -> in[0])
            .cpu((in, out, a) -> {
                double beta = a.d("beta");
                for (int i = 0; i < out.numel(); i++) {
                    double x = in[0].get(i);
                    out.set(i, x / (1 + Math.exp(-beta * x)));
                }
            })
            .vjp((ctx, g) -> {
                Tensor bx = ctx.input(0).mul(ctx.attrs().d("beta"));
                Tensor s = bx.sigmoid();
                return new Tensor[] {g.mul(s.add(bx.mul(s).mul(s.rsub(1.0))))};
            })
            .register();

    /** A two-input op without a gradient: elementwise max(|a|, |b|) on equal shapes. */
    static final CustomOp ABS_MAX = CustomOp.define("eager.absMax")
            .inputs(2)
            .shape((in, a) -> {
                if (!in[0].equals(in[1])) {
                    throw new IllegalArgumentException("needs equal types, got " + in[0] + " and " + in[1]);
                }
                return in[0];
            })
            .cpu((in, out, a) -> {
                float[] x = in[0].f32();
                float[] y = in[1].f32();
                float[] o = out.f32();
                for (int i = 0; i < o.length; i++) {
                    o[i] = Math.max(Math.abs(x[i]), Math.abs(y[i]));
                }
            })
            .notDifferentiable()
            .register();

    private static double swish(double x, double beta) {
        return x / (1 + Math.exp(-beta * x));
    }

    @Test
    void apply_eager_matchesReferenceLoop() {
        Tensor x = Tensor.randn(new Generator(3), 5, 7);
        float[] got = SWISH.apply(x, Attrs.of("beta", 1.5)).toFloatArray();
        float[] in = x.toFloatArray();
        for (int i = 0; i < in.length; i++) {
            assertEquals((float) swish(in[i], 1.5), got[i], 1e-6f, "element " + i);
        }
    }

    @Test
    void apply_withoutAttrs_usesDefault_andWidensNumbers() {
        Tensor x = Tensor.of(new float[] {-1, 0.5f, 2});
        assertArrayEquals(SWISH.apply(x, Attrs.of("beta", 1.0)).toFloatArray(), SWISH.apply(x).toFloatArray());
        // an Integer for a FLOAT attribute is widened, so it is the same node as 2.0
        assertArrayEquals(SWISH.apply(x, Attrs.of("beta", 2.0)).toFloatArray(),
                SWISH.apply(x, Attrs.of("beta", 2)).toFloatArray());
        assertEquals(Attrs.of("op", "eager.swish", "beta", 2.0), SWISH.nodeAttrs(Attrs.of("beta", 2)));
    }

    @Test
    void vjp_float64_matchesFiniteDifferences() {
        Tensor x = Tensor.randn(new Generator(5), DType.FLOAT64, 3, 4);
        GradCheck.check(in -> SWISH.apply(in[0], Attrs.of("beta", 0.7)), x);
        GradCheck.check(in -> SWISH.apply(in[0].mul(in[0]), Attrs.of("beta", -1.3)).sum(), x);
    }

    @Test
    void backward_eager_givesTheVjp() {
        Tensor x = Tensor.of(new double[] {-2, 0.25, 3}).requiresGrad(true);
        SWISH.apply(x, Attrs.of("beta", 1.0)).sum().backward();
        double[] g = x.grad().toDoubleArray();
        double[] xs = {-2, 0.25, 3};
        for (int i = 0; i < xs.length; i++) {
            double s = 1 / (1 + Math.exp(-xs[i]));
            assertEquals(s + xs[i] * s * (1 - s), g[i], 1e-12);
        }
    }

    @Test
    void backward_throughNotDifferentiableOp_failsNamingIt() {
        Tensor a = Tensor.of(new float[] {1, -4}).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {-3, 2});
        Tensor y = ABS_MAX.apply(a, b, Attrs.NONE);
        assertArrayEquals(new float[] {3, 4}, y.toFloatArray());
        RuntimeException e = assertThrows(RuntimeException.class, () -> y.sum().backward());
        assertTrue(messages(e).contains("custom op 'eager.absMax' is not differentiable"), messages(e));
        assertFalse(ABS_MAX.differentiable());
    }

    @Test
    void register_sameNameTwice_isRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CustomOp.define("eager.swish")
                .shape((in, a) -> in[0]).cpu((in, out, a) -> { }).notDifferentiable().register());
        assertTrue(e.getMessage().contains("custom op 'eager.swish' is already registered"), e.getMessage());
        assertTrue(CustomOps.find("eager.swish").orElseThrow() == SWISH);
    }

    @Test
    void register_sameNameFromManyThreads_exactlyOneWins() throws Exception {
        int threads = 8;
        java.util.concurrent.atomic.AtomicInteger wins = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<Thread> all = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    CustomOp.define("eager.race").shape((in, a) -> in[0]).cpu((in, out, a) -> { }).notDifferentiable()
                            .register();
                    wins.incrementAndGet();
                } catch (IllegalStateException | InterruptedException refused) {
                    // the losers are refused
                }
            });
            th.start();
            all.add(th);
        }
        start.countDown();
        for (Thread th : all) {
            th.join();
        }
        assertEquals(1, wins.get());
        assertTrue(CustomOps.names().contains("eager.race"));
    }

    @Test
    void apply_badAttributeType_namesOpAndAttribute() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SWISH.apply(Tensor.ones(2), Attrs.of("beta", "fast")));
        assertEquals("custom op 'eager.swish' attribute 'beta' must be FLOAT, got String fast", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SWISH.apply(Tensor.ones(2), Attrs.of("gamma", 1.0)));
        assertTrue(e.getMessage().contains("custom op 'eager.swish' has no attribute 'gamma'"), e.getMessage());
    }

    @Test
    void apply_shapeRuleRejection_namesOpAndInputs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ABS_MAX.apply(Tensor.ones(2), Tensor.ones(3), Attrs.NONE));
        assertTrue(e.getMessage().startsWith("custom op 'eager.absMax' rejects inputs [f32[2], f32[3]]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ABS_MAX.apply(Tensor.ones(2), Attrs.NONE));
        assertEquals("custom op 'eager.absMax' takes 2 input(s), got 1", e.getMessage());
    }

    @Test
    void register_withoutCpuKernel_keepsCudaSource_andCpuRunFailsNamingDevice() {
        CustomOp gpuOnly = CustomOp.define("eager.gpuOnly").shape((in, a) -> in[0])
                .cuda("extern \"C\" __global__ void k(float* x) {}").notDifferentiable().register();
        assertEquals("extern \"C\" __global__ void k(float* x) {}", gpuOnly.cudaSource().orElseThrow());
        RuntimeException e = assertThrows(RuntimeException.class, () -> gpuOnly.apply(Tensor.ones(2)));
        assertTrue(messages(e).contains("custom op 'eager.gpuOnly' has no kernel for device 'cpu'"), messages(e));
    }

    @Test
    void register_incompleteDefinitions_sayWhatIsMissing() {
        assertThrows(IllegalArgumentException.class, () -> CustomOp.define("1bad name"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CustomOp.define("eager.noGrad").shape((in, a) -> in[0]).cpu((in, out, a) -> { }).register());
        assertTrue(e.getMessage().contains(".vjp(...) or .notDifferentiable()"), e.getMessage());
        assertTrue(CustomOps.find("eager.noGrad").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> CustomOp.define("eager.reserved").attr("op", AttrType.STRING));
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
