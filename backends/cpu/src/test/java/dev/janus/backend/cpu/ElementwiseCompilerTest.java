package dev.janus.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Buffer;
import dev.janus.spi.ElementwiseProgram;
import dev.janus.spi.ElementwiseProgram.Step;
import dev.janus.spi.FusedKernel;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fused kernels against the same steps run one by one with {@code execute}: bit-exact, because each fused
 * step computes what the unfused kernel computes (see {@link LoopGenerator}).
 */
class ElementwiseCompilerTest {
    private final CpuBackend backend = new CpuBackend();

    @Test
    void compile_randomProgramsAllBroadcastKinds_bitExactWithStepByStep() {
        Random rnd = new Random(2024);
        for (int trial = 0; trial < 400; trial++) {
            RandomPrograms.Instance t = RandomPrograms.next(rnd, backend, trial % 25 == 24);
            FusedKernel k = backend.compileElementwise(t.program());
            assertNotNull(k, t.program().toString());
            Buffer out = backend.allocate(t.program().dtype(), t.program().outShape().numel());
            k.run(t.inputs(), out);
            assertBitEqual(stepByStep(t.program(), t.inputs()), out, "trial " + trial + ": " + t.program());
        }
    }

    @Test
    void compile_everyOpAfterJitWarmUp_bitExactWithStepByStep() {
        // the random programs mostly run interpreted; here each op's fused loop runs long enough for C2
        Random rnd = new Random(99);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Op op : ElementwiseProgram.ARITHMETIC_OPS) {
                Step first = op.kind() == Op.Kind.UNARY ? Step.of(op, 0) : Step.of(op, 0, 1);
                ElementwiseProgram p = new ElementwiseProgram(t, Shape.of(16, 128), List.of(Shape.of(16, 128), Shape.of(128)),
                        List.of(first, Step.of(Op.MUL, 2, 1)));
                Buffer[] in = {RandomPrograms.data(rnd, backend, t, 16 * 128), RandomPrograms.data(rnd, backend, t, 128)};
                FusedKernel k = backend.compileElementwise(p);
                Buffer out = backend.allocate(t, 16 * 128);
                Buffer expected = null;
                for (int run = 0; run < 60; run++) {
                    k.run(in, out);
                    expected = stepByStep(p, in);
                }
                assertBitEqual(expected, out, p.toString());
            }
        }
    }

    @Test
    void compile_rowInputOnFewLongRows_splitsColumnsAcrossThreads() {
        // staged loop (ROW input) run over column blocks: rows [colFrom, colTo) that do not start at 0
        ElementwiseProgram p = new ElementwiseProgram(DType.FLOAT32, Shape.of(3, 50001),
                List.of(Shape.of(3, 50001), Shape.of(50001), Shape.of(3, 1)),
                List.of(Step.of(Op.ADD, 0, 1), Step.of(Op.MUL, 3, 2), Step.of(Op.TANH, 4)));
        Random rnd = new Random(8);
        Buffer[] in = {RandomPrograms.data(rnd, backend, DType.FLOAT32, 3 * 50001),
                RandomPrograms.data(rnd, backend, DType.FLOAT32, 50001), RandomPrograms.data(rnd, backend, DType.FLOAT32, 3)};
        Buffer out = backend.allocate(DType.FLOAT32, 3 * 50001);
        backend.compileElementwise(p).run(in, out);
        assertBitEqual(stepByStep(p, in), out, p.toString());
    }

    @Test
    void compile_inputNeedingMaterialization_stillCorrect() {
        // [3, 1] against [2, 3, 4] varies along a middle axis only: neither ROW nor COL of any split
        ElementwiseProgram p = new ElementwiseProgram(DType.FLOAT32, Shape.of(2, 3, 4),
                List.of(Shape.of(2, 3, 4), Shape.of(3, 1)), List.of(Step.of(Op.MUL, 0, 1), Step.of(Op.EXP, 2)));
        FusedElementwiseKernel k = (FusedElementwiseKernel) backend.compileElementwise(p);
        Buffer[] in = {RandomPrograms.data(new Random(1), backend, DType.FLOAT32, 24),
                RandomPrograms.data(new Random(2), backend, DType.FLOAT32, 3)};
        Buffer out = backend.allocate(DType.FLOAT32, 24);
        k.run(in, out);
        assertBitEqual(stepByStep(p, in), out, p.toString());
    }

    @Test
    void compile_gemmEpilogueBiasRelu_matchesUnfused() {
        checkEpilogue(DType.FLOAT32, 64, 784, 512, false, true, Op.RELU);
        checkEpilogue(DType.FLOAT32, 37, 50, 29, false, true, Op.RELU);
        checkEpilogue(DType.FLOAT64, 5, 3, 7, true, false, Op.RELU);
    }

    @Test
    void compile_gemmEpilogueBiasSigmoid_matchesUnfused() {
        checkEpilogue(DType.FLOAT32, 64, 100, 200, false, true, Op.SIGMOID);
        checkEpilogue(DType.FLOAT32, 1, 9, 1, true, true, Op.SIGMOID);
    }

    @Test
    void compile_matmulAlone_matchesUnfused() {
        ElementwiseProgram p = new ElementwiseProgram(DType.FLOAT32, Shape.of(6, 4), List.of(Shape.of(6, 5), Shape.of(5, 4)),
                List.of(Step.of(Op.MATMUL, Attrs.of("transA", false, "transB", false), 0, 1)));
        Random rnd = new Random(5);
        Buffer[] in = {RandomPrograms.data(rnd, backend, DType.FLOAT32, 30), RandomPrograms.data(rnd, backend, DType.FLOAT32, 20)};
        Buffer out = backend.allocate(DType.FLOAT32, 24);
        backend.compileElementwise(p).run(in, out);
        assertClose(stepByStep(p, in), out, p.toString());
    }

    @Test
    void run_biasRelu_allocatesFarLessThanItsOutput() {
        FusedElementwiseKernel k = biasRelu(64, 512, Op.ADD);
        Random rnd = new Random(4);
        Buffer[] in = {RandomPrograms.data(rnd, backend, DType.FLOAT32, 64 * 512), RandomPrograms.data(rnd, backend, DType.FLOAT32, 512)};
        Buffer out = backend.allocate(DType.FLOAT32, 64 * 512);
        for (int i = 0; i < 300; i++) {
            k.run(in, out);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 50; i++) {
            k.run(in, out);
        }
        long perCall = (mx.getThreadAllocatedBytes(thread) - before) / 50;
        assertTrue(perCall < 64 * 512 * 4 / 10, perCall + " bytes per call");
    }

    @Test
    void compile_comparisonOrIntegerProgram_returnsNull() {
        ElementwiseProgram compare = new ElementwiseProgram(DType.FLOAT32, Shape.of(3), List.of(Shape.of(3), Shape.of(3)),
                List.of(Step.of(Op.GT, 0, 1)));
        ElementwiseProgram ints = new ElementwiseProgram(DType.INT32, Shape.of(3), List.of(Shape.of(3), Shape.of(3)),
                List.of(Step.of(Op.ADD, 0, 1)));
        assertNull(backend.compileElementwise(compare));
        assertNull(backend.compileElementwise(ints));
    }

    @Test
    void compile_sameStructureOtherSizes_sharesTheGeneratedClass() {
        FusedElementwiseKernel small = biasRelu(4, 5, Op.ADD);
        FusedElementwiseKernel large = biasRelu(300, 257, Op.ADD);
        FusedElementwiseKernel otherOp = biasRelu(4, 5, Op.SUB);
        assertSame(small.loop().getClass(), large.loop().getClass());
        assertNotSame(small.loop().getClass(), otherOp.loop().getClass());
        assertTrue(small.loop().getClass().isHidden());
    }

    private FusedElementwiseKernel biasRelu(int rows, int cols, Op op) {
        ElementwiseProgram p = new ElementwiseProgram(DType.FLOAT32, Shape.of(rows, cols),
                List.of(Shape.of(rows, cols), Shape.of(cols)), List.of(Step.of(op, 0, 1), Step.of(Op.RELU, 2)));
        return (FusedElementwiseKernel) backend.compileElementwise(p);
    }

    private void checkEpilogue(DType t, int m, int k, int n, boolean ta, boolean tb, Op activation) {
        Shape a = ta ? Shape.of(k, m) : Shape.of(m, k);
        Shape b = tb ? Shape.of(n, k) : Shape.of(k, n);
        ElementwiseProgram p = new ElementwiseProgram(t, Shape.of(m, n), List.of(a, b, Shape.of(n)),
                List.of(Step.of(Op.MATMUL, Attrs.of("transA", ta, "transB", tb), 0, 1), Step.of(Op.ADD, 3, 2),
                        Step.of(activation, 4)));
        Random rnd = new Random(m * 31L + n);
        Buffer[] in = {RandomPrograms.data(rnd, backend, t, a.numel()), RandomPrograms.data(rnd, backend, t, b.numel()),
                RandomPrograms.data(rnd, backend, t, n)};
        FusedKernel fused = backend.compileElementwise(p);
        Buffer out = backend.allocate(t, (long) m * n);
        for (int run = 0; run < 2; run++) { // the second run reads weights through the GEMM mirror
            fused.run(in, out);
            assertClose(stepByStep(p, in), out, p.toString());
        }
    }

    /** The reference: each step with {@code execute}, as a caller without fusion would run it. */
    private Buffer stepByStep(ElementwiseProgram p, Buffer[] inputs) {
        int n = p.numInputs();
        Buffer[] values = new Buffer[n + p.steps().size()];
        TensorSpec[] specs = new TensorSpec[values.length];
        for (int i = 0; i < n; i++) {
            values[i] = inputs[i];
            specs[i] = new TensorSpec(p.dtype(), p.inputShapes().get(i));
        }
        TensorSpec out = new TensorSpec(p.dtype(), p.outShape());
        for (int k = 0; k < p.steps().size(); k++) {
            Step s = p.steps().get(k);
            Buffer[] args = new Buffer[s.arity()];
            TensorSpec[] argSpecs = new TensorSpec[s.arity()];
            for (int i = 0; i < args.length; i++) {
                args[i] = values[s.arg(i)];
                argSpecs[i] = specs[s.arg(i)];
            }
            values[n + k] = backend.execute(s.op(), s.attrs(), args, argSpecs, out);
            specs[n + k] = out;
        }
        return values[values.length - 1];
    }

    private void assertBitEqual(Buffer expected, Buffer actual, String what) {
        CpuBuffer e = (CpuBuffer) expected;
        CpuBuffer a = (CpuBuffer) actual;
        for (int i = 0; i < e.length; i++) {
            boolean same = e.dtype == DType.FLOAT32
                    ? Float.floatToIntBits(e.f32()[i]) == Float.floatToIntBits(a.f32()[i])
                    : Double.doubleToLongBits(e.f64()[i]) == Double.doubleToLongBits(a.f64()[i]);
            if (!same) {
                fail(what + "\nelement " + i + ": expected " + e.getDouble(i) + " but was " + a.getDouble(i));
            }
        }
    }

    private void assertClose(Buffer expected, Buffer actual, String what) {
        CpuBuffer e = (CpuBuffer) expected;
        CpuBuffer a = (CpuBuffer) actual;
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) {
            double x = e.getDouble(i);
            double y = a.getDouble(i);
            if (Math.abs(x - y) > 1e-5 * Math.max(1, Math.abs(x))) {
                fail(what + "\nelement " + i + ": expected " + x + " but was " + y);
            }
        }
    }
}
