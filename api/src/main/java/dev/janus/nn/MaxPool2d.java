package dev.janus.nn;

import dev.janus.Tensor;

/**
 * 2-D max pooling over [N, C, H, W]; the stride defaults to the window, padding counts as -∞.
 *
 * <pre>{@code MaxPool2d pool = new MaxPool2d(3).stride(2).padding(1);   // ResNet's stem}</pre>
 */
public class MaxPool2d extends Module {
    private final int[] kernel;
    private int[] stride;
    private int[] padding = {0, 0};
    private int[] dilation = {1, 1};
    private boolean ceilMode;

    public MaxPool2d(int kernel) {
        this(kernel, kernel);
    }

    public MaxPool2d(int kh, int kw) {
        kernel = ConvOptions.positive("kernel", new int[] {kh, kw}, 2);
        stride = kernel.clone();
    }

    public MaxPool2d stride(int s) {
        stride = ConvOptions.positive("stride", new int[] {s, s}, 2);
        return this;
    }

    /** Padding of at most half the window on each side (PyTorch's limit). */
    public MaxPool2d padding(int p) {
        padding = ConvOptions.nonNegative("padding", new int[] {p, p});
        return this;
    }

    public MaxPool2d dilation(int d) {
        dilation = ConvOptions.positive("dilation", new int[] {d, d}, 2);
        return this;
    }

    /** Rounds the output size up instead of down (PyTorch's {@code ceil_mode}). */
    public MaxPool2d ceilMode(boolean on) {
        ceilMode = on;
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.maxPool2d(x, kernel, stride, padding, dilation, ceilMode);
    }

    @Override
    protected String describe() {
        return "MaxPool2d(kernel " + ConvOptions.size(kernel) + ", stride " + ConvOptions.size(stride)
                + ConvOptions.extras(false, padding, dilation, 1, "zeros", false) + (ceilMode ? ", ceil mode" : "") + ")";
    }
}
