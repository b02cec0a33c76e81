package dev.janus.nn;

import dev.janus.Tensor;

/**
 * 2-D average pooling over [N, C, H, W]; the stride defaults to the window. Zero padding counts in the average
 * unless {@link #countIncludePad(boolean)} turns that off (PyTorch's {@code count_include_pad}); a
 * {@link #divisorOverride(int)} replaces the window size as the divisor.
 *
 * <pre>{@code AvgPool2d pool = new AvgPool2d(3).stride(1).padding(1).countIncludePad(false);}</pre>
 */
public class AvgPool2d extends Module {
    private final int[] kernel;
    private int[] stride;
    private int[] padding = {0, 0};
    private boolean countIncludePad = true;
    private int divisorOverride;

    public AvgPool2d(int kernel) {
        this(kernel, kernel);
    }

    public AvgPool2d(int kh, int kw) {
        kernel = ConvOptions.positive("kernel", new int[] {kh, kw}, 2);
        stride = kernel.clone();
    }

    public AvgPool2d stride(int s) {
        stride = ConvOptions.positive("stride", new int[] {s, s}, 2);
        return this;
    }

    public AvgPool2d padding(int p) {
        padding = ConvOptions.nonNegative("padding", new int[] {p, p});
        return this;
    }

    public AvgPool2d countIncludePad(boolean on) {
        countIncludePad = on;
        return this;
    }

    /** Divides every window's sum by {@code divisor} instead of its size (PyTorch's {@code divisor_override}). */
    public AvgPool2d divisorOverride(int divisor) {
        divisorOverride = ConvOptions.positive("divisorOverride", new int[] {divisor}, 1)[0];
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (divisorOverride > 0) {
            return F.avgPool2d(x, kernel, stride, padding).mul(kernel[0] * kernel[1] / (double) divisorOverride);
        }
        return F.avgPool2d(x, kernel, stride, padding, countIncludePad);
    }

    @Override
    protected String describe() {
        return "AvgPool2d(kernel " + ConvOptions.size(kernel) + ", stride " + ConvOptions.size(stride)
                + ConvOptions.extras(false, padding, new int[] {1}, 1, "zeros", false)
                + (countIncludePad ? "" : ", padding not counted")
                + (divisorOverride > 0 ? ", divisor " + divisorOverride : "") + ")";
    }
}
