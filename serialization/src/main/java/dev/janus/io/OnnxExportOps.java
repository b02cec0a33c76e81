package dev.janus.io;

import dev.janus.DType;
import dev.janus.graph.Node;
import dev.janus.graph.Value;
import dev.janus.io.onnx.OnnxProto.AttributeProto;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.ShapeRules;
import java.util.ArrayList;
import java.util.List;

/**
 * The ONNX form of every Janus primitive (opset 17), one table: a {@code switch} over {@link Op} without
 * {@code default}, so a new primitive does not compile until it has a row here. Most rows are one ONNX op;
 * the rest are short compositions (log1p is {@code Log(Add(x, 1))}, flip a {@code Slice} with step -1, irfft
 * a Hermitian completion and an inverse DFT). Janus lets the inputs of a binary op differ in dtype (the rule
 * promotes); ONNX does not, so inputs are cast to the promoted type first.
 */
final class OnnxExportOps {
    private OnnxExportOps() {}

    /** An op, or an attribute value, that ONNX cannot express; the exporter adds the node and its line. */
    static final class NotExportable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotExportable(String message) {
            super(message);
        }
    }

    /** Appends the ONNX nodes computing primitive node {@code n} into the exporter's current graph. */
    static void emit(OnnxExporter x, Node n) {
        List<String> in = new ArrayList<>();
        for (Value v : n.inputs()) {
            in.add(x.name(v));
        }
        String out = x.name(n.output());
        DType t = n.output().spec().dtype();
        Attrs a = n.attrs();
        switch (n.op()) {
            case NEG -> unary(x, "Neg", in, out);
            case ABS -> unary(x, "Abs", in, out);
            case SIGN -> unary(x, "Sign", in, out);
            case EXP -> unary(x, "Exp", in, out);
            case LOG -> unary(x, "Log", in, out);
            case LOG1P -> x.add("Log", List.of(x.add("Add", List.of(in.get(0), x.scalar(t, 1)))), List.of(out));
            case EXPM1 -> x.add("Sub", List.of(x.add("Exp", in), x.scalar(t, 1)), List.of(out));
            case SQRT -> unary(x, "Sqrt", in, out);
            case RSQRT -> x.add("Reciprocal", List.of(x.add("Sqrt", in)), List.of(out));
            case SIN -> unary(x, "Sin", in, out);
            case COS -> unary(x, "Cos", in, out);
            case TAN -> unary(x, "Tan", in, out);
            case TANH -> unary(x, "Tanh", in, out);
            case SIGMOID -> unary(x, "Sigmoid", in, out);
            case RELU -> unary(x, "Relu", in, out);
            case ERF -> unary(x, "Erf", in, out);
            case FLOOR -> unary(x, "Floor", in, out);
            case CEIL -> unary(x, "Ceil", in, out);
            case ROUND -> unary(x, "Round", in, out);
            case NOT -> unary(x, "Not", in, out);
            case IS_NAN -> unary(x, "IsNaN", in, out);
            case IS_INF -> unary(x, "IsInf", in, out);
            case STOP_GRADIENT -> unary(x, "Identity", in, out);
            case CAST -> x.add("Cast", in, List.of(out), AttributeProto.ofInt("to", OnnxTensors.code(t)));
            case ADD -> binary(x, n, "Add", in, out);
            case SUB -> binary(x, n, "Sub", in, out);
            case MUL -> binary(x, n, "Mul", in, out);
            case DIV -> binary(x, n, "Div", in, out);
            case POW -> binary(x, n, "Pow", in, out);
            case MAXIMUM -> binary(x, n, "Max", in, out);
            case MINIMUM -> binary(x, n, "Min", in, out);
            case EQ -> binary(x, n, "Equal", in, out);
            case NE -> x.add("Not", List.of(binary(x, n, "Equal", in, x.freshName("t"))), List.of(out));
            case LT -> binary(x, n, "Less", in, out);
            case LE -> binary(x, n, "LessOrEqual", in, out);
            case GT -> binary(x, n, "Greater", in, out);
            case GE -> binary(x, n, "GreaterOrEqual", in, out);
            case AND -> binary(x, n, "And", in, out);
            case OR -> binary(x, n, "Or", in, out);
            case XOR -> binary(x, n, "Xor", in, out);
            case WHERE -> x.add("Where", List.of(in.get(0), castTo(x, n, 1, t, in), castTo(x, n, 2, t, in)), List.of(out));
            case SUM -> reduce(x, n, "ReduceSum", true, in, out);
            case PROD -> reduce(x, n, "ReduceProd", false, in, out);
            case MAX -> reduce(x, n, "ReduceMax", false, in, out);
            case MIN -> reduce(x, n, "ReduceMin", false, in, out);
            case ARGMAX -> argReduce(x, "ArgMax", a, in, out);
            case ARGMIN -> argReduce(x, "ArgMin", a, in, out);
            case CUMSUM -> x.add("CumSum", List.of(castTo(x, n, 0, t, in), x.intScalar(a.i("axis"))), List.of(out));
            case RESHAPE -> reshape(x, a.longs("shape"), in, out);
            case PERMUTE -> x.add("Transpose", in, List.of(out), AttributeProto.ofInts("perm", toLongs(a.ints("perm"))));
            case EXPAND -> x.add("Expand", List.of(in.get(0), x.ints(a.longs("shape"))), List.of(out));
            case SLICE -> slice(x, n, a, in, out);
            case PAD -> x.add("Pad", List.of(in.get(0), x.ints(concat(a.longs("before"), a.longs("after"))),
                    x.scalar(t, a.d("value"))), List.of(out), AttributeProto.ofString("mode", "constant"));
            case FLIP -> flip(x, n, a, in, out);
            case CONCAT -> concatOp(x, n, a, in, out);
            case GATHER -> x.add("GatherElements", in, List.of(out), AttributeProto.ofInt("axis", a.i("axis")));
            case SCATTER_ADD -> x.add("ScatterElements", in, List.of(out), AttributeProto.ofInt("axis", a.i("axis")),
                    AttributeProto.ofString("reduction", "add"));
            case MATMUL -> matmul(x, n, a, in, out);
            case CONV2D -> conv(x, "Conv", n, a, in, out);
            case CONV_TRANSPOSE2D -> conv(x, "ConvTranspose", n, a, in, out);
            case MAX_POOL2D -> x.add("MaxPool", in, List.of(out), AttributeProto.ofInts("kernel_shape", toLongs(a.ints("kernel"))),
                    AttributeProto.ofInts("strides", toLongs(a.ints("stride"))), pads(a.ints("padding")),
                    AttributeProto.ofInts("dilations", toLongs(a.ints("dilation"))));
            case CONV2D_WEIGHT_GRAD, MAX_POOL2D_GRAD -> throw new NotExportable("'" + n.op().opName() + "' is a gradient "
                    + "kernel without an ONNX operator; export the inference graph (before autodiff) instead");
            case FFT -> fft(x, n, a, in, out);
            case RFFT -> rfft(x, n, a, in, out);
            case IRFFT -> irfft(x, n, a, in, out);
            case IF, LOOP, FUSED -> throw new IllegalStateException("control op '" + n.op().opName() + "' is written by the exporter");
            // NOTE: refused rather than written in a custom domain: no ONNX runtime could run it without the
            // user's kernel, and a file that loads but cannot run is worse than a clear refusal
            case CUSTOM -> throw new NotExportable("custom op '" + a.s(dev.janus.ops.CustomOp.NAME_ATTR) + "' has no ONNX "
                    + "operator; ONNX export of custom ops is not supported (save a model archive, or write the op with "
                    + "Tensor methods)");
        }
    }

    private static void unary(OnnxExporter x, String op, List<String> in, String out) {
        x.add(op, in, List.of(out));
    }

    /** A binary op on inputs cast to their promoted type; returns {@code out}. */
    private static String binary(OnnxExporter x, Node n, String op, List<String> in, String out) {
        DType common = DType.promote(n.inputs().get(0).spec().dtype(), n.inputs().get(1).spec().dtype());
        x.add(op, List.of(castTo(x, n, 0, common, in), castTo(x, n, 1, common, in)), List.of(out));
        return out;
    }

    private static String castTo(OnnxExporter x, Node n, int input, DType to, List<String> in) {
        return x.cast(in.get(input), n.inputs().get(input).spec().dtype(), to);
    }

    /** Reductions accumulate integers in int64 (the rule's output type), so the input is cast first. */
    private static void reduce(OnnxExporter x, Node n, String op, boolean axesAsInput, List<String> in, String out) {
        Attrs a = n.attrs();
        String data = castTo(x, n, 0, n.output().spec().dtype(), in);
        int[] axes = a.ints("axes");
        AttributeProto keep = AttributeProto.ofInt("keepdims", a.b("keepDim") ? 1 : 0);
        if (axes.length == 0) {
            x.add(op, List.of(data), List.of(out), keep);
        } else if (axesAsInput) {
            x.add(op, List.of(data, x.ints(toLongs(axes))), List.of(out), keep);
        } else {
            x.add(op, List.of(data), List.of(out), keep, AttributeProto.ofInts("axes", toLongs(axes)));
        }
    }

    private static void argReduce(OnnxExporter x, String op, Attrs a, List<String> in, String out) {
        x.add(op, in, List.of(out), AttributeProto.ofInt("axis", a.i("axis")),
                AttributeProto.ofInt("keepdims", a.b("keepDim") ? 1 : 0));
    }

    /** Janus shapes may hold -1 (kept) and 0 (a real zero-size dim, so {@code allowzero=1}). */
    private static void reshape(OnnxExporter x, long[] shape, List<String> in, String out) {
        boolean zero = false;
        for (long d : shape) {
            zero |= d == 0;
        }
        AttributeProto[] attrs = zero ? new AttributeProto[] {AttributeProto.ofInt("allowzero", 1)} : new AttributeProto[0];
        x.add("Reshape", List.of(in.get(0), x.ints(shape)), List.of(out), attrs);
    }

    private static void slice(OnnxExporter x, Node n, Attrs a, List<String> in, String out) {
        long[] axes = new long[n.inputs().get(0).spec().shape().rank()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i;
        }
        x.add("Slice", List.of(in.get(0), x.ints(a.longs("starts")), x.ints(a.longs("stops")), x.ints(axes),
                x.ints(a.longs("steps"))), List.of(out));
    }

    /** flip is a Slice from the last element backwards with step -1. */
    private static void flip(OnnxExporter x, Node n, Attrs a, List<String> in, String out) {
        int rank = n.inputs().get(0).spec().shape().rank();
        int[] axes = a.ints("axes");
        if (axes.length == 0) {
            x.add("Identity", in, List.of(out));
            return;
        }
        long[] starts = new long[axes.length];
        long[] ends = new long[axes.length];
        long[] steps = new long[axes.length];
        long[] ax = new long[axes.length];
        for (int i = 0; i < axes.length; i++) {
            starts[i] = -1;
            ends[i] = Long.MIN_VALUE;
            steps[i] = -1;
            ax[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
        }
        x.add("Slice", List.of(in.get(0), x.ints(starts), x.ints(ends), x.ints(ax), x.ints(steps)), List.of(out));
    }

    private static void concatOp(OnnxExporter x, Node n, Attrs a, List<String> in, String out) {
        DType t = n.output().spec().dtype();
        List<String> cast = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            cast.add(castTo(x, n, i, t, in));
        }
        x.add("Concat", cast, List.of(out), AttributeProto.ofInt("axis", a.i("axis")));
    }

    /** Rank-2 products with transposed operands are a Gemm; others a MatMul after explicit Transposes. */
    private static void matmul(OnnxExporter x, Node n, Attrs a, List<String> in, String out) {
        DType t = n.output().spec().dtype();
        String lhs = castTo(x, n, 0, t, in);
        String rhs = castTo(x, n, 1, t, in);
        boolean ta = a.b("transA");
        boolean tb = a.b("transB");
        int ra = n.inputs().get(0).spec().shape().rank();
        int rb = n.inputs().get(1).spec().shape().rank();
        if (ra == 2 && rb == 2 && (ta || tb)) {
            x.add("Gemm", List.of(lhs, rhs), List.of(out), AttributeProto.ofInt("transA", ta ? 1 : 0),
                    AttributeProto.ofInt("transB", tb ? 1 : 0));
            return;
        }
        x.add("MatMul", List.of(ta ? swapLast(x, lhs, ra) : lhs, tb ? swapLast(x, rhs, rb) : rhs), List.of(out));
    }

    private static String swapLast(OnnxExporter x, String v, int rank) {
        long[] perm = new long[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[rank - 2] = rank - 1;
        perm[rank - 1] = rank - 2;
        return x.add("Transpose", List.of(v), AttributeProto.ofInts("perm", perm));
    }

    private static void conv(OnnxExporter x, String op, Node n, Attrs a, List<String> in, String out) {
        long[] w = n.inputs().get(1).spec().shape().dims();
        List<AttributeProto> attrs = new ArrayList<>(List.of(AttributeProto.ofInts("kernel_shape", w[2], w[3]),
                AttributeProto.ofInts("strides", toLongs(a.ints("stride"))), pads(a.ints("padding")),
                AttributeProto.ofInts("dilations", toLongs(a.ints("dilation"))), AttributeProto.ofInt("group", a.i("groups"))));
        if (n.op() == Op.CONV_TRANSPOSE2D) {
            attrs.add(AttributeProto.ofInts("output_padding", toLongs(a.ints("outputPadding"))));
        }
        x.add(op, in, List.of(out), attrs.toArray(new AttributeProto[0]));
    }

    private static AttributeProto pads(int[] p) {
        return AttributeProto.ofInts("pads", p[0], p[1], p[0], p[1]);
    }

    // ---- Fourier transforms: ONNX DFT (opset 17) takes [batch, signal..., 1 or 2], so a batch axis is added ----

    private static String dft(OnnxExporter x, String signal, int axis, boolean inverse, boolean onesided) {
        String batched = x.add("Unsqueeze", List.of(signal, x.ints(0)));
        String y = x.add("DFT", List.of(batched), AttributeProto.ofInt("axis", axis + 1),
                AttributeProto.ofInt("inverse", inverse ? 1 : 0), AttributeProto.ofInt("onesided", onesided ? 1 : 0));
        return x.add("Squeeze", List.of(y, x.ints(0)));
    }

    private static void fft(OnnxExporter x, Node n, Attrs a, List<String> in, String out) {
        int axis = ShapeRules.complexAxis(Op.FFT, n.inputs().get(0).spec().shape(), a.i("axis"));
        x.add("Identity", List.of(dft(x, in.get(0), axis, a.b("inverse"), false)), List.of(out));
    }

    private static void rfft(OnnxExporter x, Node n, Attrs a, List<String> in, String out) {
        int rank = n.inputs().get(0).spec().shape().rank();
        int axis = n.inputs().get(0).spec().shape().axis(a.i("axis"));
        String complexIn = x.add("Unsqueeze", List.of(in.get(0), x.ints(rank)));
        x.add("Identity", List.of(dft(x, complexIn, axis, false, true)), List.of(out));
    }

    /**
     * irfft: the full spectrum X[0..n) from its first n/2+1 bins by Hermitian symmetry (X[n-k] = conj X[k]),
     * an inverse DFT, then the real part.
     */
    private static void irfft(OnnxExporter x, Node n, Attrs a, List<String> in, String out) {
        Value v = n.inputs().get(0);
        int axis = ShapeRules.complexAxis(Op.IRFFT, v.spec().shape(), a.i("axis"));
        long len = a.l("n");
        DType t = v.spec().dtype();
        int rank = v.spec().shape().rank();
        String mirror = x.add("Slice", List.of(in.get(0), x.ints(len - len / 2 - 1), x.ints(0), x.ints(axis), x.ints(-1)));
        String conj = x.add("Mul", List.of(mirror, x.vector(t, 1, -1)));
        String full = x.add("Concat", List.of(in.get(0), conj), AttributeProto.ofInt("axis", axis));
        String y = dft(x, full, axis, true, false);
        String re = x.add("Slice", List.of(y, x.ints(0), x.ints(1), x.ints(rank - 1)));
        x.add("Squeeze", List.of(re, x.ints(rank - 1)), List.of(out));
    }

    static long[] toLongs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
