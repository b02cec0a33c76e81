package dev.janus.ops;

import dev.janus.DType;
import dev.janus.Shape;
import java.util.Arrays;

/** Shape rules of the convolution and pooling primitives (NCHW), split from {@link ShapeRules} for size. */
final class ConvShapes {
    private ConvShapes() {}

    /** Output extent of a sliding window: floor((in + 2p - d(k-1) - 1) / s) + 1. */
    static long windowOut(long in, long k, long s, long p, long d) {
        return Math.floorDiv(in + 2 * p - d * (k - 1) - 1, s) + 1;
    }

    private static void check4d(Op op, String what, TensorSpec t) {
        if (t.shape().rank() != 4) {
            throw ShapeRules.error(op, what + " must be 4-D (N, C, H, W), got " + t);
        }
        if (!t.dtype().isFloating()) {
            throw ShapeRules.error(op, what + " must be floating, got " + t);
        }
    }

    private static void checkPositive(Op op, Attrs a, String... names) {
        for (String n : names) {
            int[] v = a.ints(n);
            boolean zeroOk = n.equals("padding") || n.equals("outputPadding");
            if (v.length != 2 || v[0] < (zeroOk ? 0 : 1) || v[1] < (zeroOk ? 0 : 1)) {
                throw ShapeRules.error(op, "attribute " + n + " must be two " + (zeroOk ? "non-negative" : "positive")
                        + " ints, got " + Arrays.toString(v));
            }
        }
    }

    /** CONV2D with an optional third input, a bias of shape [O]. */
    static TensorSpec conv2d(Attrs a, TensorSpec... in) {
        TensorSpec out = conv2d(a, in[0], in[1]);
        if (in.length == 3 && (in[2].dtype() != in[0].dtype() || !in[2].shape().equals(Shape.of(out.shape().dim(1))))) {
            throw ShapeRules.error(Op.CONV2D, "bias must be " + in[0].dtype().shortName() + "[" + out.shape().dim(1)
                    + "], got " + in[2]);
        }
        return out;
    }

    static TensorSpec conv2d(Attrs a, TensorSpec x, TensorSpec w) {
        Op op = Op.CONV2D;
        check4d(op, "input", x);
        check4d(op, "weight", w);
        checkPositive(op, a, "stride", "padding", "dilation");
        int g = a.i("groups");
        long c = x.shape().dim(1);
        long o = w.shape().dim(0);
        if (g < 1 || c % g != 0 || o % g != 0 || w.shape().dim(1) != c / g) {
            throw ShapeRules.error(op, "input " + x + " with groups=" + g + " needs weight [O, " + (g > 0 ? c / g : "?")
                    + ", kh, kw] with O divisible by groups, got " + w);
        }
        if (x.dtype() != w.dtype()) {
            throw ShapeRules.error(op, "input " + x + " and weight " + w + " have different dtypes");
        }
        long oh = windowOut(x.shape().dim(2), w.shape().dim(2), a.ints("stride")[0], a.ints("padding")[0], a.ints("dilation")[0]);
        long ow = windowOut(x.shape().dim(3), w.shape().dim(3), a.ints("stride")[1], a.ints("padding")[1], a.ints("dilation")[1]);
        if (oh < 1 || ow < 1) {
            throw ShapeRules.error(op, "kernel " + w.shape() + " is larger than the padded input " + x);
        }
        return new TensorSpec(x.dtype(), Shape.of(x.shape().dim(0), o, oh, ow));
    }

    static TensorSpec convTranspose2d(Attrs a, TensorSpec x, TensorSpec w) {
        Op op = Op.CONV_TRANSPOSE2D;
        check4d(op, "input", x);
        check4d(op, "weight", w);
        checkPositive(op, a, "stride", "padding", "dilation", "outputPadding");
        int g = a.i("groups");
        long c = x.shape().dim(1);
        if (g < 1 || c % g != 0 || w.shape().dim(0) != c) {
            throw ShapeRules.error(op, "input " + x + " needs weight [" + c + ", O/groups, kh, kw], got " + w
                    + " (groups=" + g + ")");
        }
        if (x.dtype() != w.dtype()) {
            throw ShapeRules.error(op, "input " + x + " and weight " + w + " have different dtypes");
        }
        int[] s = a.ints("stride");
        int[] p = a.ints("padding");
        int[] d = a.ints("dilation");
        int[] op2 = a.ints("outputPadding");
        if (op2[0] >= Math.max(s[0], d[0]) || op2[1] >= Math.max(s[1], d[1])) {
            throw ShapeRules.error(op, "outputPadding " + Arrays.toString(op2) + " must be smaller than stride or dilation");
        }
        long oh = (x.shape().dim(2) - 1) * s[0] - 2L * p[0] + (long) d[0] * (w.shape().dim(2) - 1) + op2[0] + 1;
        long ow = (x.shape().dim(3) - 1) * s[1] - 2L * p[1] + (long) d[1] * (w.shape().dim(3) - 1) + op2[1] + 1;
        if (oh < 1 || ow < 1) {
            throw ShapeRules.error(op, "output would be empty for input " + x + " and weight " + w);
        }
        return new TensorSpec(x.dtype(), Shape.of(x.shape().dim(0), w.shape().dim(1) * g, oh, ow));
    }

    static TensorSpec conv2dWeightGrad(Attrs a, TensorSpec x, TensorSpec gradOut) {
        Op op = Op.CONV2D_WEIGHT_GRAD;
        check4d(op, "input", x);
        check4d(op, "gradOut", gradOut);
        Shape ws = Shape.of(a.longs("weightShape"));
        TensorSpec expected = conv2d(a, x, new TensorSpec(x.dtype(), ws));
        if (!expected.shape().equals(gradOut.shape())) {
            throw ShapeRules.error(op, "gradOut " + gradOut + " does not match the convolution output " + expected);
        }
        return new TensorSpec(x.dtype(), ws);
    }

    static TensorSpec maxPool2d(Attrs a, TensorSpec x) {
        Op op = Op.MAX_POOL2D;
        check4d(op, "input", x);
        checkPositive(op, a, "kernel", "stride", "padding", "dilation");
        int[] k = a.ints("kernel");
        int[] p = a.ints("padding");
        if (p[0] * 2 > k[0] || p[1] * 2 > k[1]) {
            throw ShapeRules.error(op, "padding " + Arrays.toString(p) + " must be at most half the kernel " + Arrays.toString(k));
        }
        long oh = windowOut(x.shape().dim(2), k[0], a.ints("stride")[0], p[0], a.ints("dilation")[0]);
        long ow = windowOut(x.shape().dim(3), k[1], a.ints("stride")[1], p[1], a.ints("dilation")[1]);
        if (oh < 1 || ow < 1) {
            throw ShapeRules.error(op, "kernel " + Arrays.toString(k) + " is larger than the padded input " + x);
        }
        return new TensorSpec(x.dtype(), Shape.of(x.shape().dim(0), x.shape().dim(1), oh, ow));
    }

    static TensorSpec maxPool2dGrad(Attrs a, TensorSpec gradOut, TensorSpec x) {
        TensorSpec expected = maxPool2d(a, x);
        if (!expected.shape().equals(gradOut.shape()) || gradOut.dtype() != x.dtype()) {
            throw ShapeRules.error(Op.MAX_POOL2D_GRAD, "gradOut " + gradOut + " does not match the pooling output " + expected);
        }
        return x;
    }

}
