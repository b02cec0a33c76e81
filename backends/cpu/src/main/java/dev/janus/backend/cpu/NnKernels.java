package dev.janus.backend.cpu;

import dev.janus.DType;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Buffer;

/** Adapts the convolution and pooling primitives to the array kernels of {@link ConvKernels}. */
final class NnKernels {
    private NnKernels() {}

    static Buffer run(Op op, Attrs a, Buffer[] inputs, TensorSpec[] specs, TensorSpec out) {
        CpuBuffer o = CpuBuffer.allocate(out.dtype(), out.shape().numel());
        int[] d0 = dims(specs[0]);
        int[] d1 = specs.length > 1 ? dims(specs[1]) : null;
        int[] od = dims(out);
        boolean single = out.dtype() == DType.FLOAT32;
        Object x = ((CpuBuffer) inputs[0]).array;
        Object y = inputs.length > 1 ? ((CpuBuffer) inputs[1]).array : null;
        switch (op) {
            case CONV2D -> {
                Window w = Window.conv(a);
                if (single) {
                    ConvKernels.conv2d((float[]) x, d0[0], d0[1], d0[2], d0[3], (float[]) y, d1[0], d1[2], d1[3],
                            w.sh, w.sw, w.ph, w.pw, w.dh, w.dw, w.groups, o.f32());
                } else {
                    ConvKernels.conv2d((double[]) x, d0[0], d0[1], d0[2], d0[3], (double[]) y, d1[0], d1[2], d1[3],
                            w.sh, w.sw, w.ph, w.pw, w.dh, w.dw, w.groups, o.f64());
                }
                if (inputs.length == 3) {
                    addBias(o, ((CpuBuffer) inputs[2]).array, od[1], od[2] * od[3]);
                }
            }
            case CONV_TRANSPOSE2D -> {
                // a transposed convolution is the input-gradient of the convolution whose weight is w
                Window w = Window.conv(a);
                if (single) {
                    ConvKernels.conv2dBackwardInput((float[]) x, d0[0], d0[1], d0[2], d0[3], (float[]) y, od[1], od[2], od[3],
                            d1[2], d1[3], w.sh, w.sw, w.ph, w.pw, w.dh, w.dw, w.groups, o.f32());
                } else {
                    ConvKernels.conv2dBackwardInput((double[]) x, d0[0], d0[1], d0[2], d0[3], (double[]) y, od[1], od[2], od[3],
                            d1[2], d1[3], w.sh, w.sw, w.ph, w.pw, w.dh, w.dw, w.groups, o.f64());
                }
            }
            case CONV2D_WEIGHT_GRAD -> {
                Window w = Window.conv(a);
                if (single) {
                    ConvKernels.conv2dBackwardWeight((float[]) x, d0[0], d0[1], d0[2], d0[3], (float[]) y, d1[1], d1[2], d1[3],
                            od[2], od[3], w.sh, w.sw, w.ph, w.pw, w.dh, w.dw, w.groups, o.f32());
                } else {
                    ConvKernels.conv2dBackwardWeight((double[]) x, d0[0], d0[1], d0[2], d0[3], (double[]) y, d1[1], d1[2], d1[3],
                            od[2], od[3], w.sh, w.sw, w.ph, w.pw, w.dh, w.dw, w.groups, o.f64());
                }
            }
            case MAX_POOL2D -> pool(a, x, d0, o.array, null);
            case MAX_POOL2D_GRAD -> {
                int[] xd = d1;
                int[] argmax = new int[(int) specs[0].shape().numel()];
                Object scratch = single ? new float[argmax.length] : new double[argmax.length];
                pool(a, y, xd, scratch, argmax);
                if (single) {
                    ConvKernels.maxPool2dBackward((float[]) x, argmax, xd[0], xd[1], xd[2], xd[3], d0[2], d0[3], o.f32());
                } else {
                    ConvKernels.maxPool2dBackward((double[]) x, argmax, xd[0], xd[1], xd[2], xd[3], d0[2], d0[3], o.f64());
                }
            }
            default -> throw new IllegalStateException("not a convolution or pooling op: " + op);
        }
        return o;
    }

    /** Adds bias[c] to every element of channel c, in place while the output is still in cache. */
    private static void addBias(CpuBuffer out, Object bias, int channels, int plane) {
        int images = out.length / (channels * plane);
        for (int img = 0; img < images; img++) {
            for (int ch = 0; ch < channels; ch++) {
                int from = (img * channels + ch) * plane;
                if (bias instanceof float[] b) {
                    float[] o = out.f32();
                    float v = b[ch];
                    for (int i = from; i < from + plane; i++) {
                        o[i] += v;
                    }
                } else {
                    double[] o = out.f64();
                    double v = ((double[]) bias)[ch];
                    for (int i = from; i < from + plane; i++) {
                        o[i] += v;
                    }
                }
            }
        }
    }

    private static void pool(Attrs a, Object x, int[] d, Object out, int[] argmax) {
        int[] k = a.ints("kernel");
        int[] s = a.ints("stride");
        int[] p = a.ints("padding");
        int[] dl = a.ints("dilation");
        if (x instanceof float[] f) {
            ConvKernels.maxPool2d(f, d[0], d[1], d[2], d[3], k[0], k[1], s[0], s[1], p[0], p[1], dl[0], dl[1], (float[]) out, argmax);
        } else {
            ConvKernels.maxPool2d((double[]) x, d[0], d[1], d[2], d[3], k[0], k[1], s[0], s[1], p[0], p[1], dl[0], dl[1],
                    (double[]) out, argmax);
        }
    }

    private static int[] dims(TensorSpec t) {
        long[] l = t.shape().dims();
        int[] r = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            r[i] = (int) l[i];
        }
        return r;
    }

    /** Stride, padding, dilation and groups of a convolution. */
    private record Window(int sh, int sw, int ph, int pw, int dh, int dw, int groups) {
        static Window conv(Attrs a) {
            int[] s = a.ints("stride");
            int[] p = a.ints("padding");
            int[] d = a.ints("dilation");
            return new Window(s[0], s[1], p[0], p[1], d[0], d[1], a.i("groups"));
        }
    }
}
