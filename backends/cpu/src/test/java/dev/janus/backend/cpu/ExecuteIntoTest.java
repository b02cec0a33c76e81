package dev.janus.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.ShapeRules;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Buffer;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** {@link CpuBackend#executeInto} computes what {@code execute} computes, in place and without allocating the output. */
class ExecuteIntoTest {
    private final CpuBackend backend = new CpuBackend();
    private final Random rnd = new Random(11);

    /** One op application: the op, its attributes and its input specs. */
    record Case(String name, Op op, Attrs attrs, TensorSpec... in) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        Attrs conv = Attrs.of("stride", new int[] {1, 2}, "padding", new int[] {1, 0}, "dilation", new int[] {1, 1}, "groups", 1);
        Attrs pool = Attrs.of("kernel", new int[] {2, 2}, "stride", new int[] {2, 2}, "padding", new int[] {0, 0},
                "dilation", new int[] {1, 1});
        return Stream.of(
                new Case("add_broadcast", Op.ADD, Attrs.NONE, f32(3, 1, 5), f32(4, 5)),
                new Case("sub_f64_scalar", Op.SUB, Attrs.NONE, f64(6, 7), f64()),
                new Case("mul_col", Op.MUL, Attrs.NONE, f32(64, 512), f32(64, 1)),
                new Case("relu", Op.RELU, Attrs.NONE, f32(64, 512)),
                new Case("exp_f64", Op.EXP, Attrs.NONE, f64(9, 13)),
                new Case("gt_bool", Op.GT, Attrs.NONE, f32(5, 6), f32(6)),
                new Case("matmul", Op.MATMUL, mm(false, false), f32(17, 33), f32(33, 9)),
                new Case("matmul_transA", Op.MATMUL, mm(true, false), f32(33, 17), f32(33, 9)),
                new Case("matmul_transB_batched", Op.MATMUL, mm(false, true), f64(2, 17, 33), f64(9, 33)),
                new Case("matmul_transAB", Op.MATMUL, mm(true, true), f32(3, 33, 17), f32(3, 9, 33)),
                new Case("conv2d_bias", Op.CONV2D, conv, f32(2, 3, 9, 10), f32(4, 3, 3, 3), f32(4)),
                new Case("max_pool2d", Op.MAX_POOL2D, pool, f32(2, 3, 8, 9)),
                new Case("sum_axes", Op.SUM, Attrs.of("axes", new int[] {0, 2}, "keepDim", false), f32(4, 5, 6)),
                new Case("sum_f64", Op.SUM, Attrs.of("axes", new int[] {1}, "keepDim", true), f64(4, 5, 6)),
                new Case("max_all", Op.MAX, Attrs.of("axes", new int[] {}, "keepDim", false), f32(4, 5)),
                new Case("argmax", Op.ARGMAX, Attrs.of("axis", 1, "keepDim", false), f32(4, 5)),
                new Case("permute", Op.PERMUTE, Attrs.of("perm", new int[] {2, 0, 1}), f32(3, 4, 5)),
                new Case("reshape", Op.RESHAPE, Attrs.of("shape", new long[] {20, 3}), f32(3, 4, 5)),
                new Case("stop_gradient", Op.STOP_GRADIENT, Attrs.NONE, f64(7)),
                new Case("concat", Op.CONCAT, Attrs.of("axis", 1), f32(2, 3), f32(2, 5), f32(2, 1)),
                new Case("pad", Op.PAD, Attrs.of("before", new long[] {1, 0}, "after", new long[] {0, 2}, "value", 0.0),
                        f32(3, 4)),
                new Case("cast", Op.CAST, Attrs.of("dtype", DType.FLOAT64), f32(3, 4)))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void executeInto_dirtyOutput_sameValuesAsExecute(Case c) {
        Buffer[] in = new Buffer[c.in().length];
        for (int i = 0; i < in.length; i++) {
            in[i] = random(c.in()[i]);
        }
        TensorSpec outSpec = ShapeRules.infer(c.op(), c.attrs(), c.in());
        Object expected = backend.toHost(backend.execute(c.op(), c.attrs(), in, c.in(), outSpec));
        CpuBuffer out = dirty(outSpec);
        backend.executeInto(c.op(), c.attrs(), in, c.in(), outSpec, out);
        assertTrue(Arrays.deepEquals(new Object[] {expected}, new Object[] {backend.toHost(out)}), c.name());
    }

    @Test
    void executeInto_matmulTransB_allocatesFarLessThanItsOutput() {
        TensorSpec[] in = {f32(64, 784), f32(512, 784)};
        assertAllocatesLittle(Op.MATMUL, mm(false, true), in);
    }

    @Test
    void executeInto_addWithBiasAndRelu_allocateFarLessThanTheirOutput() {
        assertAllocatesLittle(Op.ADD, Attrs.NONE, new TensorSpec[] {f32(64, 512), f32(512)});
        assertAllocatesLittle(Op.RELU, Attrs.NONE, new TensorSpec[] {f32(64, 512)});
    }

    @Test
    void executeInto_outputIsAnInput_isRejected() {
        Buffer x = random(f32(4));
        TensorSpec s = f32(4);
        assertThrows(IllegalArgumentException.class,
                () -> backend.executeInto(Op.NEG, Attrs.NONE, new Buffer[] {x}, new TensorSpec[] {s}, s, x));
    }

    @Test
    void allocate_givesZeroedBufferOfTheDtype() {
        Buffer b = backend.allocate(DType.FLOAT64, 5);
        assertEquals(DType.FLOAT64, b.dtype());
        assertEquals(5, b.numel());
        assertTrue(Arrays.equals(new double[5], (double[]) backend.toHost(b)));
    }

    @Test
    void executeInto_afterwards_nextAllocationIsFresh() {
        TensorSpec s = f32(8);
        Buffer x = random(s);
        CpuBuffer out = dirty(s);
        backend.executeInto(Op.NEG, Attrs.NONE, new Buffer[] {x}, new TensorSpec[] {s}, s, out);
        Buffer fresh = backend.execute(Op.NEG, Attrs.NONE, new Buffer[] {x}, new TensorSpec[] {s}, s);
        assertTrue(fresh != out, "the slot must be cleared after executeInto");
        assertSame(null, OutputSlot.take(DType.FLOAT32, 8));
    }

    private void assertAllocatesLittle(Op op, Attrs attrs, TensorSpec[] specs) {
        Buffer[] in = new Buffer[specs.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = random(specs[i]);
        }
        TensorSpec outSpec = ShapeRules.infer(op, attrs, specs);
        Buffer out = backend.allocate(outSpec.dtype(), outSpec.shape().numel());
        for (int i = 0; i < 200; i++) {
            backend.executeInto(op, attrs, in, specs, outSpec, out);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int calls = 50;
        long before = mx.getThreadAllocatedBytes(thread);
        for (int i = 0; i < calls; i++) {
            backend.executeInto(op, attrs, in, specs, outSpec, out);
        }
        long perCall = (mx.getThreadAllocatedBytes(thread) - before) / calls;
        long outputBytes = outSpec.shape().numel() * outSpec.dtype().byteSize();
        assertTrue(perCall < outputBytes / 10, op.opName() + " allocated " + perCall + " bytes per call for a "
                + outputBytes + "-byte output");
    }

    private Buffer random(TensorSpec s) {
        int n = (int) s.shape().numel();
        if (s.dtype() == DType.FLOAT32) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = (float) rnd.nextGaussian();
            }
            return backend.fromHost(a, s.dtype(), null);
        }
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextGaussian();
        }
        return backend.fromHost(a, s.dtype(), null);
    }

    /** An output buffer full of garbage, so a kernel that relies on zeroed memory shows. */
    private CpuBuffer dirty(TensorSpec s) {
        CpuBuffer b = (CpuBuffer) backend.allocate(s.dtype(), s.shape().numel());
        switch (s.dtype()) {
            case FLOAT32 -> Arrays.fill(b.f32(), Float.NaN);
            case FLOAT64 -> Arrays.fill(b.f64(), Double.NaN);
            case INT32 -> Arrays.fill(b.i32(), -7);
            case INT64 -> Arrays.fill(b.i64(), -7);
            case BOOL -> Arrays.fill(b.bool(), (byte) 1);
        }
        return b;
    }

    private static Attrs mm(boolean ta, boolean tb) {
        return Attrs.of("transA", ta, "transB", tb);
    }

    private static TensorSpec f32(long... dims) {
        return new TensorSpec(DType.FLOAT32, Shape.of(dims));
    }

    private static TensorSpec f64(long... dims) {
        return new TensorSpec(DType.FLOAT64, Shape.of(dims));
    }
}
