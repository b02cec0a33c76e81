package dev.janus.io;

import static dev.janus.io.OnnxImportOps.one;
import static dev.janus.io.OnnxPrims.add;
import static dev.janus.io.OnnxPrims.mul;
import static dev.janus.io.OnnxPrims.where;

import dev.janus.DType;
import dev.janus.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ONNX Resize (and the older Upsample) as separable interpolation: for each resized axis, every output
 * position's source taps and weights are computed at import (sizes are static), and the axis becomes a weighted
 * sum of gathers. Modes nearest, linear and cubic, every coordinate transformation mode of opset 11–17.
 */
final class OnnxImportResize {
    private OnnxImportResize() {}

    static List<Tensor> apply(OnnxNode n) {
        return switch (n.op()) {
            case "Resize" -> one(resize(n, n.opset < 11 ? 1 : 2, n.opset < 11));
            case "Upsample" -> one(resize(n, 1, true));
            default -> OnnxImportRnn.apply(n);
        };
    }

    /** One axis's interpolation: per output index, source indices and weights; {@code outside} uses the fill value. */
    private record Taps(long[][] index, double[][] weight, boolean[] outside) {}

    /** {@code legacy}: Upsample and Resize-10, asymmetric coordinates and nearest rounding down. */
    private static Tensor resize(OnnxNode n, int scalesInput, boolean legacy) {
        Tensor x = n.in(0);
        if (!x.dtype().isFloating()) {
            throw n.unsupported("Janus resizes floating tensors only");
        }
        int r = x.shape().rank();
        String mode = n.s("mode", "nearest");
        String transform = legacy ? "asymmetric" : n.s("coordinate_transformation_mode", "half_pixel");
        String rounding = legacy ? "floor" : n.s("nearest_mode", "round_prefer_floor");
        long[] in = x.shape().dims();
        long[] out = new long[r];
        double[] scale = new double[r];
        boolean sized = n.has(scalesInput + 1) && n.in(scalesInput + 1).numel() > 0;
        double[] scales = n.has(scalesInput) && n.in(scalesInput).numel() > 0 ? n.constDoubles(scalesInput)
                : n.attr("scales") != null ? floats(n.attr("scales").floats()) : null;
        long[] sizes = sized ? n.constLongs(scalesInput + 1) : null;
        if (scales == null && sizes == null) {
            throw n.malformed("needs scales or sizes");
        }
        for (int a = 0; a < r; a++) {
            out[a] = sizes != null ? sizes[a] : (long) Math.floor(in[a] * scales[a]);
            scale[a] = sizes != null ? (double) out[a] / in[a] : scales[a];
        }
        double[] roi = transform.equals("tf_crop_and_resize") ? n.constDoubles(1) : null;
        Tensor y = x;
        for (int a = 0; a < r; a++) {
            if (in[a] == out[a] && scale[a] == 1 && roi == null) {
                continue;
            }
            double[] crop = roi == null ? null : new double[] {roi[a], roi[a + r]};
            Taps t = taps(n, mode, transform, rounding, new long[] {in[a], out[a]}, scale[a], crop);
            y = interpolate(y, a, t, n.f("extrapolation_value", 0f));
        }
        return y;
    }

    private static double[] floats(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /**
     * The source coordinate of output position {@code o} (the specification's coordinate transformations; the
     * resized length in align_corners and tf_crop_and_resize is {@code in · scale}, unrounded, as in the reference).
     */
    private static double source(OnnxNode n, String transform, long o, long in, long out, double scale, double[] roi) {
        double resized = in * scale;
        return switch (transform) {
            case "half_pixel" -> (o + 0.5) / scale - 0.5;
            case "pytorch_half_pixel" -> out > 1 ? (o + 0.5) / scale - 0.5 : 0;
            case "align_corners" -> out == 1 ? 0 : o * (in - 1) / (resized - 1);
            case "asymmetric" -> o / scale;
            case "tf_half_pixel_for_nn" -> (o + 0.5) / scale;
            case "tf_crop_and_resize" -> out > 1 ? roi[0] * (in - 1) + o * (roi[1] - roi[0]) * (in - 1) / (resized - 1)
                    : 0.5 * (roi[0] + roi[1]) * (in - 1);
            default -> throw n.unsupported("coordinate_transformation_mode '" + transform + "'");
        };
    }

    private static Taps taps(OnnxNode n, String mode, String transform, String rounding, long[] inOut, double scale,
            double[] roi) {
        long in = inOut[0];
        long out = inOut[1];
        int count = switch (mode) {
            case "nearest" -> 1;
            case "linear" -> 2;
            case "cubic" -> 4;
            default -> throw n.unsupported("mode '" + mode + "'");
        };
        long[][] index = new long[count][(int) out];
        double[][] weight = new double[count][(int) out];
        boolean[] outside = new boolean[(int) out];
        for (int o = 0; o < out; o++) {
            double xs = source(n, transform, o, in, out, scale, roi);
            outside[o] = roi != null && (xs < 0 || xs > in - 1);
            if (count == 1) {
                index[0][o] = clamp(nearest(n, rounding, xs), in);
                weight[0][o] = 1;
                continue;
            }
            long base = (long) Math.floor(xs);
            double frac = xs - base;
            double[] c = count == 2 ? new double[] {1 - frac, frac} : cubic(frac, n.f("cubic_coeff_a", -0.75f));
            long first = count == 2 ? base : base - 1;
            double kept = 0;
            for (int k = 0; k < count; k++) {
                long src = first + k;
                boolean out0 = src < 0 || src >= in;
                double w = out0 && n.i("exclude_outside", 0) != 0 ? 0 : c[k];
                index[k][o] = clamp(src, in);
                weight[k][o] = w;
                kept += w;
            }
            for (int k = 0; k < count; k++) {
                weight[k][o] /= kept;
            }
        }
        return new Taps(index, weight, outside);
    }

    private static long nearest(OnnxNode n, String rounding, double x) {
        return switch (rounding) {
            case "round_prefer_floor" -> x == Math.floor(x) + 0.5 ? (long) Math.floor(x) : Math.round(x);
            case "round_prefer_ceil" -> (long) Math.floor(x + 0.5);
            case "floor" -> (long) Math.floor(x);
            case "ceil" -> (long) Math.ceil(x);
            default -> throw n.unsupported("nearest_mode '" + rounding + "'");
        };
    }

    /** Keys' cubic convolution coefficients for the taps at -1, 0, 1, 2 around a fraction {@code t}. */
    private static double[] cubic(double t, double a) {
        double[] d = {1 + t, t, 1 - t, 2 - t};
        double[] c = new double[4];
        for (int k = 0; k < 4; k++) {
            double x = d[k];
            c[k] = x <= 1 ? ((a + 2) * x - (a + 3)) * x * x + 1 : ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        }
        return c;
    }

    private static long clamp(long i, long in) {
        return Math.max(0, Math.min(in - 1, i));
    }

    /** The axis as Σ_k gather(x, index_k) · weight_k, positions outside a crop set to {@code fill}. */
    private static Tensor interpolate(Tensor x, int axis, Taps t, double fill) {
        int r = x.shape().rank();
        long out = t.outside().length;
        long[] lined = new long[r];
        Arrays.fill(lined, 1);
        lined[axis] = out;
        List<Tensor> terms = new ArrayList<>();
        for (int k = 0; k < t.index().length; k++) {
            Tensor g = OnnxImportIndexing.gather(x, Tensor.of(t.index()[k]), axis);
            boolean unit = Arrays.stream(t.weight()[k]).allMatch(w -> w == 1);
            terms.add(unit ? g : mul(g, OnnxPrims.reshape(constant(t.weight()[k], x.dtype()), lined)));
        }
        Tensor y = terms.get(0);
        for (int k = 1; k < terms.size(); k++) {
            y = add(y, terms.get(k));
        }
        boolean anyOutside = false;
        for (boolean b : t.outside()) {
            anyOutside |= b;
        }
        if (anyOutside) {
            Tensor mask = OnnxPrims.reshape(OnnxTensors.shaped(Tensor.of(t.outside()), dev.janus.Shape.of(out)), lined);
            y = where(mask, OnnxPrims.scalar(fill, y), y);
        }
        return y;
    }

    private static Tensor constant(double[] v, DType t) {
        try (var eager = dev.janus.ops.Dispatch.record(null)) {
            return Tensor.of(v).cast(t);
        }
    }
}
