package dev.janus.nn;

import dev.janus.Tensor;

/**
 * A 2-D convolution over input [N, in, H, W] with weight [out, in/groups, kh, kw], an optional bias [out] and
 * PyTorch's default initialization. Shape-changing options (kernel, groups, bias) are constructor arguments;
 * stride, padding, dilation and padding mode are set fluently and return this.
 *
 * <pre>{@code
 * Conv2d c1 = new Conv2d(1, 6, 5);                               // LeNet's first layer
 * Conv2d c2 = new Conv2d(16, 32, 3).stride(2).padding(1);
 * Conv2d dw = new Conv2d(32, 32, new int[] {3, 3}, 32, false).padding(1);   // depthwise, no bias
 * }</pre>
 */
public class Conv2d extends Module {
    public final Tensor weight;
    public final Tensor bias;
    private final int in;
    private final int out;
    private final int[] kernel;
    private final int groups;
    private int[] stride = {1, 1};
    private int[] padding = {0, 0};
    private int[] dilation = {1, 1};
    private boolean same;
    private String paddingMode = "zeros";

    public Conv2d(int in, int out, int kernel) {
        this(in, out, new int[] {kernel, kernel}, 1, true);
    }

    public Conv2d(int in, int out, int kernel, int groups, boolean bias) {
        this(in, out, new int[] {kernel, kernel}, groups, bias);
    }

    /** A convolution with a {@code kernel[0] × kernel[1]} window, {@code groups} groups and optionally a bias. */
    public Conv2d(int in, int out, int[] kernel, int groups, boolean bias) {
        ConvOptions.checkChannels("Conv2d", in, out, groups);
        this.kernel = ConvOptions.positive("kernel", kernel, 2);
        this.in = in;
        this.out = out;
        this.groups = groups;
        weight = registerParameter("weight", Tensor.zeros(out, in / groups, kernel[0], kernel[1]));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(out)) : null;
        Init.pytorchDefault(weight, this.bias);
    }

    public Conv2d stride(int s) {
        return stride(s, s);
    }

    public Conv2d stride(int sh, int sw) {
        stride = ConvOptions.positive("stride", new int[] {sh, sw}, 2);
        return this;
    }

    public Conv2d padding(int p) {
        return padding(p, p);
    }

    public Conv2d padding(int ph, int pw) {
        padding = ConvOptions.nonNegative("padding", new int[] {ph, pw});
        same = false;
        return this;
    }

    /** PyTorch's {@code padding="same"}: output size equals input size (stride 1 only; extra padding goes last). */
    public Conv2d paddingSame() {
        same = true;
        return this;
    }

    public Conv2d dilation(int d) {
        return dilation(d, d);
    }

    public Conv2d dilation(int dh, int dw) {
        dilation = ConvOptions.positive("dilation", new int[] {dh, dw}, 2);
        return this;
    }

    /** {@code "zeros"} (the default) or {@code "reflect"}. */
    public Conv2d paddingMode(String mode) {
        paddingMode = ConvOptions.checkMode(mode);
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != in) {
            throw new IllegalArgumentException(describe() + " needs input [N, " + in + ", H, W], got " + x.shape());
        }
        int[][] pads = ConvOptions.pads(same, padding, kernel, stride, dilation);
        if (ConvOptions.symmetricZeros(pads, paddingMode)) {
            return F.conv2d(x, weight, bias, stride, pads[0], dilation, groups);
        }
        Tensor padded = ConvOptions.pad(x, pads, paddingMode);
        return F.conv2d(padded, weight, bias, stride, new int[] {0, 0}, dilation, groups);
    }

    @Override
    protected String describe() {
        return "Conv2d(" + in + " → " + out + ", kernel " + ConvOptions.size(kernel) + ", stride " + ConvOptions.size(stride)
                + ConvOptions.extras(same, padding, dilation, groups, paddingMode, bias == null) + ")";
    }
}
