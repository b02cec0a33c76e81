package dev.janus.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import dev.janus.ops.Attrs;
import dev.janus.ops.Dispatch;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every exportable primitive, alone in a graph, gives in ONNX Runtime what it gives in Janus. */
class OnnxExportOpsTest {
    record Row(String name, Op op, Attrs attrs, Tensor... inputs) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Tensor f32(long seed, long... dims) {
        return Tensor.randn(new Generator(seed), dims);
    }

    private static Tensor f64(long seed, long... dims) {
        return Tensor.randn(new Generator(seed), DType.FLOAT64, dims);
    }

    private static Tensor pos(long seed, long... dims) {
        return f32(seed, dims).abs().add(0.1);
    }

    private static Tensor i64(long... values) {
        return Tensor.of(values);
    }

    private static int[] ints(int... v) {
        return v;
    }

    private static long[] longs(long... v) {
        return v;
    }

    static Stream<Row> rows() {
        List<Row> r = new ArrayList<>();
        for (Op op : List.of(Op.NEG, Op.ABS, Op.SIGN, Op.EXP, Op.SIN, Op.COS, Op.TAN, Op.TANH, Op.SIGMOID, Op.RELU, Op.ERF,
                Op.FLOOR, Op.CEIL, Op.ROUND, Op.STOP_GRADIENT, Op.EXPM1)) {
            r.add(new Row(op.opName(), op, Attrs.NONE, f32(1, 3, 4).mul(2.0)));
        }
        for (Op op : List.of(Op.LOG, Op.LOG1P, Op.SQRT, Op.RSQRT)) {
            r.add(new Row(op.opName(), op, Attrs.NONE, pos(2, 3, 4)));
        }
        r.add(new Row("neg i64", Op.NEG, Attrs.NONE, i64(1, -2, 3)));
        r.add(new Row("round halves", Op.ROUND, Attrs.NONE, Tensor.of(new float[] {0.5f, 1.5f, 2.5f, -0.5f, -1.5f})));
        r.add(new Row("not", Op.NOT, Attrs.NONE, Tensor.of(new boolean[] {true, false})));
        Tensor special = Tensor.of(new float[] {1, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
        r.add(new Row("is_nan", Op.IS_NAN, Attrs.NONE, special));
        r.add(new Row("is_inf", Op.IS_INF, Attrs.NONE, special));
        r.add(new Row("cast f32→i64", Op.CAST, Attrs.of("dtype", DType.INT64), f32(3, 5).mul(3.0)));
        r.add(new Row("cast f32→bool", Op.CAST, Attrs.of("dtype", DType.BOOL), Tensor.of(new float[] {0, 1, -2})));
        r.add(new Row("cast i32→f64", Op.CAST, Attrs.of("dtype", DType.FLOAT64), Tensor.of(new int[] {1, -7})));
        for (Op op : List.of(Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.MAXIMUM, Op.MINIMUM, Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE)) {
            r.add(new Row(op.opName() + " broadcast", op, Attrs.NONE, f32(4, 2, 3), f32(5, 3)));
        }
        r.add(new Row("pow", Op.POW, Attrs.NONE, pos(6, 2, 3), f32(7, 2, 3)));
        r.add(new Row("lt i64", Op.LT, Attrs.NONE, i64(1, 5), i64(3, 4)));
        r.add(new Row("eq bool", Op.EQ, Attrs.NONE, Tensor.of(new boolean[] {true, false}), Tensor.of(new boolean[] {true, true})));
        Tensor bools = Tensor.of(new boolean[] {true, false, true, false});
        Tensor bools2 = Tensor.of(new boolean[] {true, true, false, false});
        for (Op op : List.of(Op.AND, Op.OR, Op.XOR)) {
            r.add(new Row(op.opName(), op, Attrs.NONE, bools, bools2));
        }
        r.add(new Row("where", Op.WHERE, Attrs.NONE, bools.reshape(4, 1), f32(8, 4, 3), f32(9, 3)));
        Attrs axis1 = Attrs.of("axes", ints(1), "keepDim", false);
        Attrs all = Attrs.of("axes", ints(), "keepDim", true);
        for (Op op : List.of(Op.SUM, Op.PROD, Op.MAX, Op.MIN)) {
            r.add(new Row(op.opName() + " axis", op, axis1, f32(10, 3, 4)));
            r.add(new Row(op.opName() + " all", op, all, f32(11, 3, 4)));
        }
        r.add(new Row("sum i32", Op.SUM, axis1, Tensor.of(new int[] {1, 2, 3, 4, 5, 6}).reshape(2, 3)));
        r.add(new Row("argmax", Op.ARGMAX, Attrs.of("axis", 1, "keepDim", false), f32(12, 3, 4)));
        r.add(new Row("argmin keep", Op.ARGMIN, Attrs.of("axis", 0, "keepDim", true), f32(13, 3, 4)));
        r.add(new Row("cumsum", Op.CUMSUM, Attrs.of("axis", 1), f32(14, 3, 4)));
        r.add(new Row("cumsum i32", Op.CUMSUM, Attrs.of("axis", 0), Tensor.of(new int[] {1, 2, 3})));
        r.add(new Row("reshape", Op.RESHAPE, Attrs.of("shape", longs(4, -1)), f32(15, 2, 3, 2)));
        r.add(new Row("reshape zero-size", Op.RESHAPE, Attrs.of("shape", longs(0, 3)), Tensor.zeros(3, 0)));
        r.add(new Row("permute", Op.PERMUTE, Attrs.of("perm", ints(2, 0, 1)), f32(16, 2, 3, 4)));
        r.add(new Row("expand", Op.EXPAND, Attrs.of("shape", longs(2, 3, 4)), f32(17, 3, 1)));
        r.add(new Row("slice", Op.SLICE, Attrs.of("starts", longs(1, 0), "stops", longs(3, 4), "steps", longs(1, 2)),
                f32(18, 4, 4)));
        r.add(new Row("pad", Op.PAD, Attrs.of("before", longs(1, 0), "after", longs(0, 2), "value", 1.5), f32(19, 2, 3)));
        r.add(new Row("flip", Op.FLIP, Attrs.of("axes", ints(0, -1)), f32(20, 3, 4)));
        r.add(new Row("concat", Op.CONCAT, Attrs.of("axis", 1), f32(21, 2, 3), f32(22, 2, 1), f32(23, 2, 2)));
        r.add(new Row("gather", Op.GATHER, Attrs.of("axis", 1), f32(24, 3, 4), i64(0, 3, 1, 1, 2, 2).reshape(3, 2)));
        r.add(new Row("scatter_add", Op.SCATTER_ADD, Attrs.of("axis", 0), f32(25, 3, 2), i64(0, 1, 0, 2, 0, 0).reshape(3, 2),
                f32(26, 3, 2)));
        Attrs nn = Attrs.of("transA", false, "transB", false);
        r.add(new Row("matmul", Op.MATMUL, nn, f32(27, 3, 4), f32(28, 4, 5)));
        r.add(new Row("matmul transB", Op.MATMUL, Attrs.of("transA", false, "transB", true), f32(29, 3, 4), f32(30, 5, 4)));
        r.add(new Row("matmul transA", Op.MATMUL, Attrs.of("transA", true, "transB", false), f32(31, 4, 3), f32(32, 4, 5)));
        // NOTE: f32 here: ONNX Runtime's optimizer fuses Transpose+MatMul into a FusedMatMul that has no f64 kernel
        r.add(new Row("matmul batched trans", Op.MATMUL, Attrs.of("transA", true, "transB", true), f32(33, 2, 4, 3),
                f32(34, 5, 4)));
        r.add(new Row("matmul batched f64", Op.MATMUL, nn, f64(49, 2, 3, 4), f64(50, 4, 5)));
        Attrs conv = Attrs.of("stride", ints(2, 1), "padding", ints(1, 2), "dilation", ints(1, 2), "groups", 2);
        r.add(new Row("conv2d", Op.CONV2D, conv, f32(35, 2, 4, 7, 8), f32(36, 6, 2, 3, 3)));
        r.add(new Row("conv2d bias", Op.CONV2D, conv, f32(37, 2, 4, 7, 8), f32(38, 6, 2, 3, 3), f32(39, 6)));
        r.add(new Row("conv_transpose2d", Op.CONV_TRANSPOSE2D, Attrs.of("stride", ints(2, 2), "padding", ints(1, 0),
                "dilation", ints(1, 1), "groups", 1, "outputPadding", ints(1, 0)), f32(40, 1, 3, 4, 5), f32(41, 3, 2, 3, 3)));
        r.add(new Row("max_pool2d", Op.MAX_POOL2D, Attrs.of("kernel", ints(3, 2), "stride", ints(2, 2), "padding", ints(1, 1),
                "dilation", ints(1, 1)), f32(42, 2, 3, 7, 6)));
        r.add(new Row("fft", Op.FFT, Attrs.of("axis", 0, "inverse", false), f32(43, 6, 3, 2)));
        r.add(new Row("ifft", Op.FFT, Attrs.of("axis", 1, "inverse", true), f32(44, 2, 5, 2)));
        r.add(new Row("rfft", Op.RFFT, Attrs.of("axis", 1), f32(45, 3, 8)));
        r.add(new Row("rfft odd", Op.RFFT, Attrs.of("axis", 0), f64(46, 7, 2)));
        r.add(new Row("irfft even", Op.IRFFT, Attrs.of("axis", 1, "n", 8L), f32(47, 3, 5, 2)));
        r.add(new Row("irfft odd", Op.IRFFT, Attrs.of("axis", 0, "n", 7L), f64(48, 4, 2, 2)));
        return r.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void primitive_matchesOnnxRuntime(Row row) {
        TensorSpec[] specs = new TensorSpec[row.inputs().length];
        for (int i = 0; i < specs.length; i++) {
            specs[i] = new TensorSpec(row.inputs()[i].dtype(), row.inputs()[i].shape());
        }
        Graph g = GraphCapture.capture(in -> Dispatch.apply(row.op(), row.attrs(), in), specs);
        OnnxRuntimeHarness.assertSameAsJanus(g, row.inputs());
    }

    @Test
    void table_coversEveryPrimitiveButGradientKernelsAndControlOps() {
        Set<Op> covered = EnumSet.noneOf(Op.class);
        rows().forEach(r -> covered.add(r.op()));
        Set<Op> missing = EnumSet.allOf(Op.class);
        missing.removeAll(covered);
        assertEquals(EnumSet.of(Op.CONV2D_WEIGHT_GRAD, Op.MAX_POOL2D_GRAD, Op.IF, Op.LOOP, Op.FUSED, Op.CUSTOM), missing,
                "control ops are covered by OnnxExportModelsTest; custom ops are refused (CustomOpArchiveTest)");
    }

    @Test
    void scalarAndEmptyInputs_matchOnnxRuntime() {
        Graph g = GraphCapture.capture(in -> in[0].mul(2.0).add(in[1].sum()), new TensorSpec(DType.FLOAT32, Shape.scalar()),
                new TensorSpec(DType.FLOAT32, Shape.of(0, 3)));
        OnnxRuntimeHarness.assertSameAsJanus(g, Tensor.scalar(1.5, DType.FLOAT32), Tensor.zeros(0, 3));
    }
}
