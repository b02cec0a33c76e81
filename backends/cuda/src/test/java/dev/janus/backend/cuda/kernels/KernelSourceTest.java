package dev.janus.backend.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.ElementwiseProgram;
import dev.janus.spi.ElementwiseProgram.Step;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KernelSourceTest {
    private static ElementwiseProgram biasRelu(long rows, long cols) {
        return new ElementwiseProgram(DType.FLOAT32, Shape.of(rows, cols), List.of(Shape.of(rows, cols), Shape.of(cols)),
                List.of(Step.of(Op.ADD, 0, 1), Step.of(Op.RELU, 2)));
    }

    @Test
    void source_sameStructureOtherSizes_isTheSameKernel() {
        KernelSource a = CudaKernels.source(KernelSpec.fromProgram(biasRelu(64, 512)));
        KernelSource b = CudaKernels.source(KernelSpec.fromProgram(biasRelu(3, 7)));
        assertSame(a, b);
        assertArrayEquals(new long[] {21, 3, 7, 0, 1}, b.scalarArgs(List.of(Shape.of(3, 7), Shape.of(7)), Shape.of(3, 7)));
    }

    @Test
    void source_biasRelu_readsTheRowByStridesAndWritesOneLoop() {
        String k = CudaKernels.source(KernelSpec.fromProgram(biasRelu(4, 5))).kernel();
        assertTrue(k.contains("float v0 = in0[i];"), k);
        assertTrue(k.contains("float v1 = in1[o1];"), k);
        assertTrue(k.contains("float v2 = (v0 + v1);"), k);
        assertTrue(k.contains("float v3 = janus_max(v2, (float) 0);"), k);
        assertTrue(k.contains("i += (long long) blockDim.x * gridDim.x"), k);
    }

    @Test
    void broadcastStrides_repeatedAndMissingAxes_areZero() {
        assertArrayEquals(new long[] {0, 0, 1}, KernelSource.broadcastStrides(new long[] {6}, new long[] {4, 3, 6}));
        assertArrayEquals(new long[] {6, 0, 1}, KernelSource.broadcastStrides(new long[] {4, 1, 6}, new long[] {4, 3, 6}));
    }

    @Test
    void forOp_integerDivision_isRefusedNamingTheTypes() {
        TensorSpec i = new TensorSpec(DType.INT32, Shape.of(3));
        var e = assertThrows(UnsupportedKernelException.class, () -> KernelSpec.forOp(Op.DIV, Attrs.NONE,
                new TensorSpec[] {i, i}, i));
        assertEquals("step 0 (div): no CUDA code for 'div' on (i32, i32) -> i32 (the CPU backend refuses it too)",
                e.getMessage());
    }

    @Test
    void epilogue_biasRelu_readsTheBiasAndTheProductOnly() {
        var p = new ElementwiseProgram(DType.FLOAT32, Shape.of(64, 512), List.of(Shape.of(64, 784), Shape.of(512, 784),
                Shape.of(512)), List.of(Step.of(Op.MATMUL, Attrs.of("transA", false, "transB", true), 0, 1),
                Step.of(Op.ADD, 3, 2), Step.of(Op.RELU, 4)));
        Epilogue e = Epilogue.of(p);
        assertArrayEquals(new int[] {2}, e.inputs());
        assertEquals(List.of(Shape.of(512), Shape.of(64, 512)), e.spec().inputShapes());
        assertEquals("[add:f32[1, 0], relu:f32[2]]", e.spec().steps().toString());
    }

    @Test
    void fromProgram_gemmEpilogue_isRefusedAsAPlainProgram() {
        var p = new ElementwiseProgram(DType.FLOAT32, Shape.of(2, 4), List.of(Shape.of(2, 3), Shape.of(4, 3)),
                List.of(Step.of(Op.MATMUL, Attrs.of("transA", false, "transB", true), 0, 1), Step.of(Op.RELU, 2)));
        assertThrows(UnsupportedKernelException.class, () -> KernelSpec.fromProgram(p));
    }

    @Test
    void forOp_reduction_isRefused() {
        TensorSpec f = new TensorSpec(DType.FLOAT32, Shape.of(3));
        assertThrows(UnsupportedKernelException.class, () -> KernelSpec.forOp(Op.SUM, Attrs.NONE, new TensorSpec[] {f}, f));
    }

    @Test
    void window_perKindAndDtype_isGeneratedOnceWithADistinctName() {
        WindowKernel a = CudaKernels.window(WindowKernel.Kind.IM2COL, DType.FLOAT32);
        assertSame(a, CudaKernels.window(WindowKernel.Kind.IM2COL, DType.FLOAT32));
        Set<String> names = new HashSet<>();
        for (WindowKernel.Kind kind : WindowKernel.Kind.values()) {
            for (DType t : List.of(DType.FLOAT32, DType.FLOAT64)) {
                WindowKernel k = CudaKernels.window(kind, t);
                assertTrue(names.add(k.name()), k.name());
                assertTrue(k.kernel().contains("void " + k.name() + "("), k.name());
            }
        }
    }

    @Test
    void windowScalarArgs_followTheKernelsParameterOrder() {
        Window w = new Window(2, 3, 9, 10, 5, 4, 2, 1, 1, 0, 1, 2, 4, 4);
        assertArrayEquals(new long[] {99, 2, 3, 9, 10, 5, 4, 2, 1, 1, 0, 1, 2, 4, 4},
                w.scalarArgs(99));
        assertTrue(CudaKernels.window(WindowKernel.Kind.MAX_POOL, DType.FLOAT32).kernel()
                .contains("long long count, long long N, long long C, long long H, long long W, long long KH, long long KW,"
                        + " long long SH, long long SW, long long PH, long long PW, long long DH, long long DW,"
                        + " long long OH, long long OW)"));
    }
}
