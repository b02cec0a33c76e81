package dev.janus.nn;

import dev.janus.Tensor;

/**
 * A 1-D convolution over input [N, in, L] with weight [out, in/groups, k], an optional bias [out] and PyTorch's
 * default initialization. Kernel, groups and bias are constructor arguments; stride, padding, dilation and
 * padding mode are set fluently.
 *
 * <pre>{@code Conv1d c = new Conv1d(16, 32, 3).padding(1);   // [N, 16, L] → [N, 32, L]}</pre>
 */
public class Conv1d extends Module {
    public final Tensor weight;
    public final Tensor bias;
    private final int in;
    private final int out;
    private final int kernel;
    private final int groups;
    private int stride = 1;
    private int padding;
    private int dilation = 1;
    private boolean same;
    private String paddingMode = "zeros";

    public Conv1d(int in, int out, int kernel) {
        this(in, out, kernel, 1, true);
    }

    public Conv1d(int in, int out, int kernel, int groups, boolean bias) {
        ConvOptions.checkChannels("Conv1d", in, out, groups);
        ConvOptions.positive("kernel", new int[] {kernel}, 1);
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.groups = groups;
        weight = registerParameter("weight", Tensor.zeros(out, in / groups, kernel));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(out)) : null;
        Init.pytorchDefault(weight, this.bias);
    }

    public Conv1d stride(int s) {
        stride = ConvOptions.positive("stride", new int[] {s}, 1)[0];
        return this;
    }

    public Conv1d padding(int p) {
        padding = ConvOptions.nonNegative("padding", new int[] {p})[0];
        same = false;
        return this;
    }

    /** PyTorch's {@code padding="same"}: output length equals input length (stride 1 only). */
    public Conv1d paddingSame() {
        same = true;
        return this;
    }

    public Conv1d dilation(int d) {
        dilation = ConvOptions.positive("dilation", new int[] {d}, 1)[0];
        return this;
    }

    /** {@code "zeros"} (the default) or {@code "reflect"}. */
    public Conv1d paddingMode(String mode) {
        paddingMode = ConvOptions.checkMode(mode);
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 3 || x.dim(1) != in) {
            throw new IllegalArgumentException(describe() + " needs input [N, " + in + ", L], got " + x.shape());
        }
        int[][] pads = ConvOptions.pads(same, new int[] {padding}, new int[] {kernel}, new int[] {stride},
                new int[] {dilation});
        if (ConvOptions.symmetricZeros(pads, paddingMode)) {
            return F.conv1d(x, weight, bias, stride, pads[0][0], dilation, groups);
        }
        return F.conv1d(ConvOptions.pad(x, pads, paddingMode), weight, bias, stride, 0, dilation, groups);
    }

    @Override
    protected String describe() {
        return "Conv1d(" + in + " → " + out + ", kernel " + kernel + ", stride " + stride
                + ConvOptions.extras(same, new int[] {padding}, new int[] {dilation}, groups, paddingMode, bias == null) + ")";
    }
}
