package dev.janus.data;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Tensor;
import java.util.Arrays;

/**
 * {@code (x - mean[c]) / std[c]} per channel of a {@code [..., C, H, W]} tensor, like torchvision's
 * {@code Normalize}. A single mean and std apply to every element of a tensor of any shape.
 *
 * <pre>{@code
 * Transform norm = new Normalize(new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225});
 * }</pre>
 */
public final class Normalize implements Transform {
    private final double[] mean;
    private final double[] std;

    public Normalize(double[] mean, double[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize needs one mean and one std per channel, got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (double s : std) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("Normalize: std values must be positive and finite, got "
                        + Arrays.toString(std));
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** One mean and std for all channels. */
    public Normalize(double mean, double std) {
        this(new double[] {mean}, new double[] {std});
    }

    @Override
    public Tensor apply(Tensor x, Generator g) {
        if (mean.length == 1) {
            return x.sub(mean[0]).div(std[0]);
        }
        if (x.rank() < 3 || x.dim(-3) != mean.length) {
            throw new IllegalArgumentException("Normalize with " + mean.length + " channels expects [..., "
                    + mean.length + ", H, W], got shape " + x.shape());
        }
        DType t = x.dtype().isFloating() ? x.dtype() : DType.FLOAT32;
        Tensor m = Tensor.of(mean, mean.length, 1, 1).cast(t);
        Tensor s = Tensor.of(std, std.length, 1, 1).cast(t);
        return x.cast(t).sub(m).div(s);
    }
}
