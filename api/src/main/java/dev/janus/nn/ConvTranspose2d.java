package dev.janus.nn;

import dev.janus.Tensor;

/**
 * A transposed 2-D convolution ("deconvolution") over input [N, in, H, W] with weight [in, out/groups, kh, kw]
 * (PyTorch's layout), an optional bias [out] and PyTorch's default initialization. Output size per axis:
 * {@code (H-1)·stride - 2·padding + dilation·(k-1) + outputPadding + 1}.
 *
 * <pre>{@code ConvTranspose2d up = new ConvTranspose2d(64, 32, 2).stride(2);   // doubles H and W}</pre>
 */
public class ConvTranspose2d extends Module {
    public final Tensor weight;
    public final Tensor bias;
    private final int in;
    private final int out;
    private final int[] kernel;
    private final int groups;
    private int[] stride = {1, 1};
    private int[] padding = {0, 0};
    private int[] outputPadding = {0, 0};
    private int[] dilation = {1, 1};

    public ConvTranspose2d(int in, int out, int kernel) {
        this(in, out, new int[] {kernel, kernel}, 1, true);
    }

    public ConvTranspose2d(int in, int out, int[] kernel, int groups, boolean bias) {
        ConvOptions.checkChannels("ConvTranspose2d", in, out, groups);
        this.kernel = ConvOptions.positive("kernel", kernel, 2);
        this.in = in;
        this.out = out;
        this.groups = groups;
        weight = registerParameter("weight", Tensor.zeros(in, out / groups, kernel[0], kernel[1]));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(out)) : null;
        // NOTE: fan-in is taken from weight dim 1 (out/groups · kh · kw), exactly as PyTorch does for this layer.
        Init.pytorchDefault(weight, this.bias);
    }

    public ConvTranspose2d stride(int s) {
        stride = ConvOptions.positive("stride", new int[] {s, s}, 2);
        return this;
    }

    public ConvTranspose2d padding(int p) {
        padding = ConvOptions.nonNegative("padding", new int[] {p, p});
        return this;
    }

    /** Extra size added to one side of the output, to pick among the input sizes a strided conv maps alike. */
    public ConvTranspose2d outputPadding(int p) {
        outputPadding = ConvOptions.nonNegative("outputPadding", new int[] {p, p});
        return this;
    }

    public ConvTranspose2d dilation(int d) {
        dilation = ConvOptions.positive("dilation", new int[] {d, d}, 2);
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != in) {
            throw new IllegalArgumentException(describe() + " needs input [N, " + in + ", H, W], got " + x.shape());
        }
        return F.convTranspose2d(x, weight, bias, stride, padding, outputPadding, dilation, groups);
    }

    @Override
    protected String describe() {
        String extra = outputPadding[0] != 0 ? ", output padding " + ConvOptions.size(outputPadding) : "";
        return "ConvTranspose2d(" + in + " → " + out + ", kernel " + ConvOptions.size(kernel) + ", stride "
                + ConvOptions.size(stride) + extra + ConvOptions.extras(false, padding, dilation, groups, "zeros", bias == null)
                + ")";
    }
}
