package dev.janus.nn;

import dev.janus.Tensor;

/**
 * Average pooling of [N, C, H, W] to a fixed [N, C, outH, outW], whatever H and W are (PyTorch's bins).
 *
 * <pre>{@code AdaptiveAvgPool2d gap = new AdaptiveAvgPool2d(1);   // global average pooling}</pre>
 */
public class AdaptiveAvgPool2d extends Module {
    private final int outH;
    private final int outW;

    public AdaptiveAvgPool2d(int size) {
        this(size, size);
    }

    public AdaptiveAvgPool2d(int outH, int outW) {
        ConvOptions.positive("output size", new int[] {outH, outW}, 2);
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.adaptiveAvgPool2d(x, outH, outW);
    }

    @Override
    protected String describe() {
        return "AdaptiveAvgPool2d(output " + ConvOptions.size(new int[] {outH, outW}) + ")";
    }
}
