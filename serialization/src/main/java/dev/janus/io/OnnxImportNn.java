package dev.janus.io;

import static dev.janus.io.OnnxImportOps.one;
import static dev.janus.io.OnnxPrims.add;
import static dev.janus.io.OnnxPrims.ap;
import static dev.janus.io.OnnxPrims.bin;
import static dev.janus.io.OnnxPrims.cast;
import static dev.janus.io.OnnxPrims.div;
import static dev.janus.io.OnnxPrims.mul;
import static dev.janus.io.OnnxPrims.reduce;
import static dev.janus.io.OnnxPrims.scalar;
import static dev.janus.io.OnnxPrims.sub;
import static dev.janus.io.OnnxPrims.un;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import java.util.Arrays;
import java.util.List;

/** ONNX linear algebra, convolution, pooling, normalization and softmax ops in Janus primitives. */
final class OnnxImportNn {
    private OnnxImportNn() {}

    static List<Tensor> apply(OnnxNode n) {
        return switch (n.op()) {
            case "MatMul" -> one(matmul(n, n.in(0), n.in(1)));
            case "Gemm" -> one(gemm(n));
            case "Conv" -> one(conv(n));
            case "ConvTranspose" -> one(convTranspose(n));
            case "MaxPool" -> one(maxPool(n));
            case "AveragePool" -> one(avgPool(n));
            case "GlobalAveragePool" -> one(global(n, false));
            case "GlobalMaxPool" -> one(global(n, true));
            case "BatchNormalization" -> one(batchNorm(n));
            case "InstanceNormalization" -> one(instanceNorm(n));
            case "LayerNormalization" -> layerNorm(n);
            case "LpNormalization" -> one(lpNorm(n));
            case "Softmax", "LogSoftmax", "Hardmax" -> one(softmax(n));
            case "Dropout" -> dropout(n);
            case "DFT" -> one(dft(n));
            case "MeanVarianceNormalization" -> one(meanVariance(n));
            case "LRN" -> one(lrn(n));
            default -> OnnxImportLosses.apply(n);
        };
    }

    private static Tensor floating(OnnxNode n, Tensor x) {
        if (!x.dtype().isFloating()) {
            throw n.unsupported("Janus computes it on floating tensors only, got " + x.dtype().shortName());
        }
        return x;
    }

    /** Numpy matmul: a 1-D operand gets a unit axis that is removed again. */
    private static Tensor matmul(OnnxNode n, Tensor a, Tensor b) {
        floating(n, a);
        boolean va = a.shape().rank() == 1;
        boolean vb = b.shape().rank() == 1;
        Tensor x = va ? OnnxPrims.unsqueeze(a, 0) : a;
        Tensor y = vb ? OnnxPrims.unsqueeze(b, 1) : b;
        Tensor p = ap(Op.MATMUL, Attrs.of("transA", false, "transB", false), x, y);
        if (vb) {
            p = OnnxPrims.squeeze(p, p.shape().rank() - 1);
        }
        return va ? OnnxPrims.squeeze(p, p.shape().rank() - (vb ? 1 : 2)) : p;
    }

    private static Tensor gemm(OnnxNode n) {
        Tensor a = floating(n, n.in(0));
        Tensor p = ap(Op.MATMUL, Attrs.of("transA", n.i("transA", 0) != 0, "transB", n.i("transB", 0) != 0), a, n.in(1));
        float alpha = n.f("alpha", 1f);
        float beta = n.f("beta", 1f);
        if (alpha != 1) {
            p = mul(p, scalar(alpha, p));
        }
        if (n.has(2) && beta != 0) {
            Tensor c = n.in(2);
            p = add(p, beta == 1 ? c : mul(c, scalar(beta, c)));
        }
        return p;
    }

    /** Padding per spatial axis (begin, end) from pads or auto_pad; output extents from the floor formula. */
    private static long[][] pads(OnnxNode n, long[] in, long[] k, long[] s, long[] d) {
        int sp = in.length;
        long[][] p = new long[2][sp];
        String auto = n.s("auto_pad", "NOTSET");
        long[] given = n.ints("pads");
        for (int i = 0; i < sp; i++) {
            if (auto.startsWith("SAME")) {
                long out = (in[i] + s[i] - 1) / s[i];
                long total = Math.max(0, (out - 1) * s[i] + (k[i] - 1) * d[i] + 1 - in[i]);
                p[0][i] = auto.equals("SAME_UPPER") ? total / 2 : total - total / 2;
                p[1][i] = total - p[0][i];
            } else if (given != null && !auto.equals("VALID")) {
                p[0][i] = given[i];
                p[1][i] = given[i + sp];
            }
        }
        return p;
    }

    private static long[] attrOr(OnnxNode n, String name, int count, long fallback) {
        long[] v = n.ints(name);
        if (v != null) {
            return v;
        }
        long[] out = new long[count];
        Arrays.fill(out, fallback);
        return out;
    }

    private static int[] ints(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.toIntExact(v[i]);
        }
        return out;
    }

    /** A 3-D (1-D spatial) tensor as 4-D with height 1, so Janus's 2-D kernels serve Conv1d and pools. */
    private static Tensor as2d(Tensor x) {
        return x.shape().rank() == 3 ? OnnxPrims.unsqueeze(x, 2) : x;
    }

    private static long[] as2d(long[] v, long one) {
        return v.length == 1 ? new long[] {one, v[0]} : v;
    }

    private static void checkSpatial(OnnxNode n, Tensor x) {
        int r = x.shape().rank();
        if (r != 3 && r != 4) {
            throw n.unsupported("only 1-D and 2-D spatial inputs (N, C, [H,] W), got rank " + r);
        }
    }

    /** Explicit constant padding of the spatial axes of a 4-D tensor. */
    private static Tensor padSpatial(Tensor x, long[][] p, double value) {
        long[] before = {0, 0, p[0][0], p[0][1]};
        long[] after = {0, 0, p[1][0], p[1][1]};
        return ap(Op.PAD, Attrs.of("before", before, "after", after, "value", value), x);
    }

    private static Tensor conv(OnnxNode n) {
        Tensor x = floating(n, n.in(0));
        checkSpatial(n, x);
        boolean oneD = x.shape().rank() == 3;
        Tensor x4 = as2d(x);
        Tensor w4 = as2d(n.in(1));
        long[] in = {x4.shape().dim(2), x4.shape().dim(3)};
        long[] k = {w4.shape().dim(2), w4.shape().dim(3)};
        long[] s = as2d(attrOr(n, "strides", oneD ? 1 : 2, 1), 1);
        long[] d = as2d(attrOr(n, "dilations", oneD ? 1 : 2, 1), 1);
        long[][] p = pads(n, oneD ? new long[] {in[1]} : in, oneD ? new long[] {k[1]} : k, oneD ? new long[] {s[1]} : s,
                oneD ? new long[] {d[1]} : d);
        if (oneD) {
            p = new long[][] {{0, p[0][0]}, {0, p[1][0]}};
        }
        boolean symmetric = p[0][0] == p[1][0] && p[0][1] == p[1][1];
        Tensor input = symmetric ? x4 : padSpatial(x4, p, 0);
        int[] padding = symmetric ? new int[] {(int) p[0][0], (int) p[0][1]} : new int[] {0, 0};
        Attrs a = Attrs.of("stride", ints(s), "padding", padding, "dilation", ints(d), "groups", (int) n.i("group", 1));
        Tensor y = n.has(2) ? ap(Op.CONV2D, a, input, w4, n.in(2)) : ap(Op.CONV2D, a, input, w4);
        return oneD ? OnnxPrims.squeeze(y, 2) : y;
    }

    /**
     * ConvTranspose. Pads come from {@code pads}, or from {@code output_shape}/{@code auto_pad} by the
     * specification's total-padding rule; the symmetric case is Janus's padding attribute, anything else a
     * transposed convolution without padding followed by a crop (or zero extension).
     */
    private static Tensor convTranspose(OnnxNode n) {
        Tensor x = floating(n, n.in(0));
        if (x.shape().rank() != 4) {
            throw n.unsupported("only 2-D convolutions (N, C, H, W), got rank " + x.shape().rank());
        }
        Tensor w = n.in(1);
        long[] s = attrOr(n, "strides", 2, 1);
        long[] d = attrOr(n, "dilations", 2, 1);
        long[] op = attrOr(n, "output_padding", 2, 0);
        long[] p = transposePads(n, x, w, s, d, op);
        int groups = (int) n.i("group", 1);
        boolean simple = p[0] == p[2] && p[1] == p[3] && p[0] >= 0 && p[1] >= 0 && op[0] < Math.max(s[0], d[0])
                && op[1] < Math.max(s[1], d[1]);
        Attrs a = Attrs.of("stride", ints(s), "padding", simple ? new int[] {(int) p[0], (int) p[1]} : new int[] {0, 0},
                "dilation", ints(d), "groups", groups, "outputPadding", simple ? ints(op) : new int[] {0, 0});
        Tensor y = ap(Op.CONV_TRANSPOSE2D, a, x, w);
        if (!simple) {
            long[] full = {y.shape().dim(2), y.shape().dim(3)};
            long[][] ext = {{0, 0, Math.max(0, -p[0]), Math.max(0, -p[1])},
                {0, 0, Math.max(0, op[0] - p[2]), Math.max(0, op[1] - p[3])}};
            y = ap(Op.PAD, Attrs.of("before", ext[0], "after", ext[1], "value", 0.0), y);
            long[] starts = {0, 0, Math.max(0, p[0]), Math.max(0, p[1])};
            long[] stops = {y.shape().dim(0), y.shape().dim(1), starts[2] + full[0] + op[0] - p[0] - p[2],
                starts[3] + full[1] + op[1] - p[1] - p[3]};
            y = ap(Op.SLICE, Attrs.of("starts", starts, "stops", stops, "steps", new long[] {1, 1, 1, 1}), y);
        }
        if (n.has(2)) {
            y = add(y, OnnxPrims.reshape(n.in(2), n.in(2).shape().dim(0), 1, 1));
        }
        return y;
    }

    /** (begin h, begin w, end h, end w) pads of a ConvTranspose, per the specification. */
    private static long[] transposePads(OnnxNode n, Tensor x, Tensor w, long[] s, long[] d, long[] op) {
        long[] outShape = n.ints("output_shape");
        String auto = n.s("auto_pad", "NOTSET");
        if (outShape == null && !auto.startsWith("SAME")) {
            return attrOr(n, "pads", 4, 0);
        }
        long[] p = new long[4];
        for (int i = 0; i < 2; i++) {
            long in = x.shape().dim(2 + i);
            long out = outShape != null ? outShape[outShape.length - 2 + i] : in * s[i];
            long total = s[i] * (in - 1) + op[i] + (w.shape().dim(2 + i) - 1) * d[i] + 1 - out;
            boolean upper = auto.equals("SAME_UPPER");
            p[i] = upper ? Math.floorDiv(total, 2) : total - Math.floorDiv(total, 2);
            p[2 + i] = total - p[i];
        }
        return p;
    }

    /** Window geometry of a pool: kernel, strides, dilations, (begin, end) pads incl. ceil_mode's extra end. */
    private record Window(long[] k, long[] s, long[] d, long[][] p, boolean oneD) {}

    private static Window window(OnnxNode n, Tensor x) {
        checkSpatial(n, x);
        boolean oneD = x.shape().rank() == 3;
        int sp = oneD ? 1 : 2;
        long[] k = n.ints("kernel_shape");
        long[] s = attrOr(n, "strides", sp, 1);
        long[] d = attrOr(n, "dilations", sp, 1);
        long[] in = Arrays.copyOfRange(x.shape().dims(), 2, 2 + sp);
        long[][] p = pads(n, in, k, s, d);
        if (n.i("ceil_mode", 0) != 0) {
            for (int i = 0; i < sp; i++) {
                long span = in[i] + p[0][i] + p[1][i] - d[i] * (k[i] - 1) - 1;
                long out = Math.floorDiv(span + s[i] - 1, s[i]) + 1;
                if ((out - 1) * s[i] >= in[i] + p[0][i]) {
                    out--; // the last window must start inside the input or its begin padding
                }
                p[1][i] += Math.max(0, (out - 1) * s[i] - span);
            }
        }
        if (oneD) {
            return new Window(new long[] {1, k[0]}, new long[] {1, s[0]}, new long[] {1, d[0]},
                    new long[][] {{0, p[0][0]}, {0, p[1][0]}}, true);
        }
        return new Window(k, s, d, p, false);
    }

    private static Tensor maxPool(OnnxNode n) {
        Tensor x = floating(n, n.in(0));
        if (n.outputCount() > 1) {
            throw n.unsupported("the Indices output");
        }
        Window w = window(n, x);
        Tensor in = padSpatial(as2d(x), w.p(), Double.NEGATIVE_INFINITY);
        Tensor y = ap(Op.MAX_POOL2D, Attrs.of("kernel", ints(w.k()), "stride", ints(w.s()), "padding", new int[] {0, 0},
                "dilation", ints(w.d())), in);
        return w.oneD() ? OnnxPrims.squeeze(y, 2) : y;
    }

    /** Average pooling as a depthwise convolution with a ones kernel, divided by the window's count. */
    private static Tensor avgPool(OnnxNode n) {
        Tensor x = floating(n, n.in(0));
        Window w = window(n, x);
        Tensor x4 = as2d(x);
        long c = x4.shape().dim(1);
        Tensor ones = OnnxPrims.expand(scalar(1, x4), c, 1, w.k()[0], w.k()[1]);
        Attrs a = Attrs.of("stride", ints(w.s()), "padding", new int[] {0, 0}, "dilation", ints(w.d()), "groups", (int) c);
        Tensor sum = ap(Op.CONV2D, a, padSpatial(x4, w.p(), 0), ones);
        Tensor count;
        if (n.i("count_include_pad", 0) != 0) {
            count = padCount(n, x4, w, a, ones);
        } else {
            Tensor mask = OnnxPrims.expand(scalar(1, x4), 1, c, x4.shape().dim(2), x4.shape().dim(3));
            count = ap(Op.CONV2D, a, padSpatial(mask, w.p(), 0), ones);
        }
        Tensor y = div(sum, count);
        return w.oneD() ? OnnxPrims.squeeze(y, 2) : y;
    }

    /** count_include_pad: the declared pads count, ceil_mode's extra end padding does not. */
    private static Tensor padCount(OnnxNode n, Tensor x4, Window w, Attrs a, Tensor ones) {
        long c = x4.shape().dim(1);
        long[] ext = {x4.shape().dim(2), x4.shape().dim(3)};
        long[][] declared = w.p().clone();
        long[] given = n.ints("pads");
        if (n.s("auto_pad", "NOTSET").equals("NOTSET")) {
            declared = new long[2][2];
            if (given != null) {
                int sp = w.oneD() ? 1 : 2;
                for (int i = 0; i < sp; i++) {
                    declared[0][w.oneD() ? 1 : i] = given[i];
                    declared[1][w.oneD() ? 1 : i] = given[i + sp];
                }
            }
        }
        Tensor inside = OnnxPrims.expand(scalar(1, x4), 1, c, ext[0] + declared[0][0] + declared[1][0],
                ext[1] + declared[0][1] + declared[1][1]);
        long[][] extra = {{w.p()[0][0] - declared[0][0], w.p()[0][1] - declared[0][1]},
            {w.p()[1][0] - declared[1][0], w.p()[1][1] - declared[1][1]}};
        return ap(Op.CONV2D, a, padSpatial(inside, extra, 0), ones);
    }

    private static Tensor global(OnnxNode n, boolean max) {
        Tensor x = floating(n, n.in(0));
        int[] axes = OnnxPrims.range(2, x.shape().rank());
        if (max) {
            return reduce(Op.MAX, x, axes, true);
        }
        return div(reduce(Op.SUM, x, axes, true), scalar(OnnxPrims.count(x, axes), x));
    }

    /** Per-channel parameters [C] as [C, 1, ...] against an input of rank {@code r}. */
    private static Tensor channel(Tensor p, int r) {
        long[] d = new long[r - 1];
        Arrays.fill(d, 1);
        d[0] = p.shape().dim(0);
        return OnnxPrims.reshape(p, d);
    }

    private static Tensor batchNorm(OnnxNode n) {
        Tensor x = floating(n, n.in(0));
        if (n.i("training_mode", 0) != 0 || n.outputCount() > 1) {
            throw n.unsupported("training mode (Janus imports inference graphs)");
        }
        int r = x.shape().rank();
        Tensor scale = channel(n.in(1), r);
        Tensor bias = channel(n.in(2), r);
        Tensor mean = channel(n.in(3), r);
        Tensor var = channel(n.in(4), r);
        Tensor inv = div(scale, un(Op.SQRT, add(var, scalar(n.f("epsilon", 1e-5f), var))));
        return add(mul(sub(x, mean), inv), bias);
    }

    private static Tensor normalize(Tensor x, int[] axes, float eps) {
        Tensor mean = div(reduce(Op.SUM, x, axes, true), scalar(OnnxPrims.count(x, axes), x));
        Tensor centered = sub(x, mean);
        Tensor var = div(reduce(Op.SUM, mul(centered, centered), axes, true), scalar(OnnxPrims.count(x, axes), x));
        return mul(centered, un(Op.RSQRT, add(var, scalar(eps, x))));
    }

    private static Tensor instanceNorm(OnnxNode n) {
        Tensor x = floating(n, n.in(0));
        int r = x.shape().rank();
        Tensor y = normalize(x, OnnxPrims.range(2, r), n.f("epsilon", 1e-5f));
        return add(mul(y, channel(n.in(1), r)), channel(n.in(2), r));
    }

    private static List<Tensor> layerNorm(OnnxNode n) {
        Tensor x = floating(n, n.in(0));
        int r = x.shape().rank();
        int axis = OnnxPrims.axis(n.i("axis", -1), r);
        int[] axes = OnnxPrims.range(axis, r);
        float eps = n.f("epsilon", 1e-5f);
        Tensor mean = div(reduce(Op.SUM, x, axes, true), scalar(OnnxPrims.count(x, axes), x));
        Tensor centered = sub(x, mean);
        Tensor var = div(reduce(Op.SUM, mul(centered, centered), axes, true), scalar(OnnxPrims.count(x, axes), x));
        Tensor invStd = un(Op.RSQRT, add(var, scalar(eps, x)));
        Tensor y = mul(mul(centered, invStd), n.in(1));
        if (n.has(2)) {
            y = add(y, n.in(2));
        }
        return List.of(y, mean, invStd);
    }

    private static Tensor lpNorm(OnnxNode n) {
        Tensor x = floating(n, n.in(0));
        int axis = OnnxPrims.axis(n.i("axis", -1), x.shape().rank());
        long p = n.i("p", 2);
        Tensor norm = p == 1 ? reduce(Op.SUM, un(Op.ABS, x), new int[] {axis}, true)
                : un(Op.SQRT, reduce(Op.SUM, mul(x, x), new int[] {axis}, true));
        return div(x, norm);
    }

    /**
     * Softmax, LogSoftmax and Hardmax along one axis (opset 13+), or, before opset 13, over all axes from
     * {@code axis} on (the input seen as 2-D).
     */
    private static Tensor softmax(OnnxNode n) {
        Tensor x = floating(n, n.in(0));
        int r = x.shape().rank();
        boolean coerced = n.opset < 13;
        int axis = OnnxPrims.axis(n.i("axis", coerced ? 1 : -1), r);
        Tensor in = coerced ? OnnxPrims.reshape(x, x.shape().numel(0, axis), x.shape().numel(axis, r)) : x;
        int a = coerced ? 1 : axis;
        Tensor y;
        if (n.op().equals("Hardmax")) {
            Tensor idx = ap(Op.ARGMAX, Attrs.of("axis", a, "keepDim", true), in);
            long[] shape = in.shape().dims();
            long[] lined = new long[shape.length];
            Arrays.fill(lined, 1);
            lined[a] = shape[a];
            long[] ar = new long[(int) shape[a]];
            for (int i = 0; i < ar.length; i++) {
                ar[i] = i;
            }
            y = cast(bin(Op.EQ, idx, OnnxPrims.reshape(Tensor.of(ar), lined)), x.dtype());
        } else {
            Tensor m = reduce(Op.MAX, in, new int[] {a}, true);
            Tensor shifted = sub(in, m);
            Tensor e = un(Op.EXP, shifted);
            Tensor s = reduce(Op.SUM, e, new int[] {a}, true);
            y = n.op().equals("Softmax") ? div(e, s) : sub(shifted, un(Op.LOG, s));
        }
        return coerced ? OnnxPrims.reshape(y, x.shape().dims()) : y;
    }

    /** Inference dropout is the identity; its optional mask output is all true. */
    private static List<Tensor> dropout(OnnxNode n) {
        Tensor x = n.in(0);
        boolean training = n.has(2) && (n.in(2) instanceof dev.janus.graph.SymbolicTensor || n.constDoubles(2)[0] != 0);
        boolean noRate = n.has(1) && !(n.in(1) instanceof dev.janus.graph.SymbolicTensor) && n.constDoubles(1)[0] == 0;
        if (training && !noRate) {
            throw n.unsupported("training mode (random masks)");
        }
        Tensor mask = OnnxPrims.expand(Tensor.scalar(1, DType.BOOL), x.shape().dims());
        return List.of(x, mask);
    }

    /**
     * DFT (opset 17): input [batch, signal..., 1 or 2]. A real input becomes complex with zero imaginary parts;
     * onesided keeps the first n/2+1 bins.
     */
    private static Tensor dft(OnnxNode n) {
        Tensor x = floating(n, n.in(0));
        int r = x.shape().rank();
        int axis = OnnxPrims.axis(n.i("axis", 1), r);
        if (n.has(1)) {
            throw n.unsupported("dft_length (Janus transforms the whole signal)");
        }
        if (axis == r - 1) {
            throw n.malformed("axis " + axis + " is the (re, im) axis");
        }
        Tensor c = x;
        if (x.shape().dim(-1) == 1) {
            c = OnnxPrims.concat(r - 1, x, OnnxPrims.expand(scalar(0, x), x.shape().dims()));
        }
        boolean inverse = n.i("inverse", 0) != 0;
        Tensor y = ap(Op.FFT, Attrs.of("axis", axis, "inverse", inverse), c);
        if (n.i("onesided", 0) != 0) {
            y = OnnxPrims.slice(y, axis, 0, x.shape().dim(axis) / 2 + 1, 1);
        }
        return y;
    }

    /** (X - E[X]) / (sqrt(E[X²] - E[X]²) + 1e-9) over {@code axes}, as the specification's function body. */
    private static Tensor meanVariance(OnnxNode n) {
        Tensor x = floating(n, n.in(0));
        long[] given = n.ints("axes");
        int[] axes = OnnxPrims.axes(given != null ? given : new long[] {0, 2, 3}, x.shape().rank());
        Tensor count = scalar(OnnxPrims.count(x, axes), x);
        Tensor mean = div(reduce(Op.SUM, x, axes, true), count);
        Tensor meanSq = div(reduce(Op.SUM, mul(x, x), axes, true), count);
        Tensor std = un(Op.SQRT, sub(meanSq, mul(mean, mean)));
        return div(sub(x, mean), add(std, scalar(1e-9, x)));
    }

    /** Local response normalization across channels: x / (bias + alpha/size · Σ x²)^beta over a channel window. */
    private static Tensor lrn(OnnxNode n) {
        Tensor x = floating(n, n.in(0));
        int size = (int) n.i("size", 1);
        long c = x.shape().dim(1);
        long[] before = new long[x.shape().rank()];
        long[] after = new long[x.shape().rank()];
        before[1] = (size - 1) / 2;
        after[1] = size - 1 - before[1];
        Tensor sq = ap(Op.PAD, Attrs.of("before", before, "after", after, "value", 0.0), mul(x, x));
        Tensor sum = OnnxPrims.slice(sq, 1, 0, c, 1);
        for (int k = 1; k < size; k++) {
            sum = add(sum, OnnxPrims.slice(sq, 1, k, k + c, 1));
        }
        Tensor base = add(mul(sum, scalar(n.f("alpha", 1e-4f) / size, x)), scalar(n.f("bias", 1f), x));
        return div(x, bin(Op.POW, base, scalar(n.f("beta", 0.75f), x)));
    }
}
