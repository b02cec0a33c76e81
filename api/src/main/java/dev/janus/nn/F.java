package dev.janus.nn;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.ops.Attrs;
import dev.janus.ops.Dispatch;
import dev.janus.ops.Op;

/**
 * Neural-network functions over tensors, like {@code torch.nn.functional}. Convolutions and max pooling are
 * primitives; everything else here (average pooling, normalization, dropout, embedding) is written with
 * tensor ops, so it differentiates and traces without kernels of its own.
 *
 * <pre>{@code Tensor y = F.conv2d(x, w, b, 1, 2);   // stride 1, padding 2}</pre>
 */
public final class F {
    private F() {}

    private static int[] pair(int v) {
        return new int[] {v, v};
    }

    /**
     * {@code x · wᵀ + bias} for x[..., in], w[out, in] (PyTorch's layout) and bias[out] or null. The
     * transpose is a BLAS flag, not a copy.
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor bias) {
        if (x.rank() == 0 || w.rank() != 2) {
            throw new IllegalArgumentException("linear needs input [..., in] and weight [out, in], got " + x.shape()
                    + " and " + w.shape());
        }
        if (x.dim(-1) != w.dim(1)) {
            throw new IllegalArgumentException("linear: input " + x.shape() + " has " + x.dim(-1)
                    + " features but weight " + w.shape() + " expects " + w.dim(1));
        }
        boolean vector = x.rank() == 1;
        Tensor in = (vector ? x.unsqueeze(0) : x).cast(w.dtype());
        Tensor y = in.matmul(w, false, true);
        if (bias != null) {
            y = y.add(bias);
        }
        return vector ? y.squeeze(0) : y;
    }

    /** 2-D convolution of x[N,C,H,W] with w[O,C/groups,kh,kw], plus an optional bias[O]. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        Attrs attrs = Attrs.of("stride", stride.clone(), "padding", padding.clone(), "dilation", dilation.clone(),
                "groups", groups);
        return bias == null ? Dispatch.apply(Op.CONV2D, attrs, x, w.cast(x.dtype()))
                : Dispatch.apply(Op.CONV2D, attrs, x, w.cast(x.dtype()), bias.cast(x.dtype()));
    }

    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int stride, int padding) {
        return conv2d(x, w, bias, pair(stride), pair(padding), pair(1), 1);
    }

    public static Tensor conv2d(Tensor x, Tensor w) {
        return conv2d(x, w, null, 1, 0);
    }

    /** 1-D convolution of x[N,C,L] with w[O,C/groups,k], run as a 2-D convolution of height 1. */
    public static Tensor conv1d(Tensor x, Tensor w, Tensor bias, int stride, int padding, int dilation, int groups) {
        if (x.rank() != 3 || w.rank() != 3) {
            throw new IllegalArgumentException("conv1d needs input [N, C, L] and weight [O, C/groups, k], got "
                    + x.shape() + " and " + w.shape());
        }
        return conv2d(x.unsqueeze(2), w.unsqueeze(2), bias, new int[] {1, stride}, new int[] {0, padding},
                new int[] {1, dilation}, groups).squeeze(2);
    }

    /** Transposed 2-D convolution of x[N,C,H,W] with w[C,O/groups,kh,kw], plus an optional bias[O]. */
    public static Tensor convTranspose2d(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding,
            int[] outputPadding, int[] dilation, int groups) {
        Tensor y = Dispatch.apply(Op.CONV_TRANSPOSE2D, Attrs.of("stride", stride.clone(), "padding", padding.clone(),
                "dilation", dilation.clone(), "groups", groups, "outputPadding", outputPadding.clone()), x, w.cast(x.dtype()));
        return bias == null ? y : y.add(bias.reshape(1, -1, 1, 1));
    }

    public static Tensor convTranspose2d(Tensor x, Tensor w, Tensor bias, int stride, int padding) {
        return convTranspose2d(x, w, bias, pair(stride), pair(padding), pair(0), pair(1), 1);
    }

    /** Max pooling with padding treated as -inf. */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        return Dispatch.apply(Op.MAX_POOL2D, Attrs.of("kernel", kernel.clone(), "stride", stride.clone(),
                "padding", padding.clone(), "dilation", dilation.clone()), x);
    }

    /** Max pooling with a square window and stride equal to the window (PyTorch's default). */
    public static Tensor maxPool2d(Tensor x, int kernel) {
        return maxPool2d(x, pair(kernel), pair(kernel), pair(0), pair(1));
    }

    /**
     * Average pooling (zero padding counted in the average, PyTorch's default), written as a depthwise
     * convolution with a constant kernel so that it needs no kernel of its own.
     */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("avgPool2d needs input [N, C, H, W], got " + x.shape());
        }
        long n = x.dim(0);
        long c = x.dim(1);
        Tensor flat = x.reshape(n * c, 1, x.dim(2), x.dim(3));
        Tensor w = Tensor.full(1.0 / (kernel[0] * kernel[1]), x.dtype(), 1, 1, kernel[0], kernel[1]).to(x.device());
        Tensor y = conv2d(flat, w, null, stride, padding, pair(1), 1);
        return y.reshape(n, c, y.dim(2), y.dim(3));
    }

    public static Tensor avgPool2d(Tensor x, int kernel) {
        return avgPool2d(x, pair(kernel), pair(kernel), pair(0));
    }

    /**
     * Adaptive average pooling to {@code outH × outW} with PyTorch's bins: bin i covers
     * {@code [floor(i·H/outH), ceil((i+1)·H/outH))}.
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("adaptiveAvgPool2d needs input [N, C, H, W], got " + x.shape());
        }
        long h = x.dim(2);
        long w = x.dim(3);
        if (h % outH == 0 && w % outW == 0) {
            int kh = (int) (h / outH);
            int kw = (int) (w / outW);
            return avgPool2d(x, new int[] {kh, kw}, new int[] {kh, kw}, pair(0));
        }
        Tensor[] rows = new Tensor[outH];
        for (int i = 0; i < outH; i++) {
            long h0 = Math.floorDiv(i * h, outH);
            long h1 = -Math.floorDiv(-(i + 1) * h, outH);
            Tensor[] cols = new Tensor[outW];
            for (int j = 0; j < outW; j++) {
                long w0 = Math.floorDiv(j * w, outW);
                long w1 = -Math.floorDiv(-(j + 1) * w, outW);
                cols[j] = x.narrow(2, h0, h1 - h0).narrow(3, w0, w1 - w0).mean(new int[] {2, 3}, false);
            }
            rows[i] = Tensor.stack(-1, cols);
        }
        return Tensor.stack(2, rows);
    }

    public static Tensor softmax(Tensor x, int axis) {
        return x.softmax(axis);
    }

    public static Tensor logSoftmax(Tensor x, int axis) {
        return x.logSoftmax(axis);
    }

    public static Tensor relu(Tensor x) {
        return x.relu();
    }

    public static Tensor gelu(Tensor x) {
        return x.gelu();
    }

    /**
     * Inverted dropout: in training, zeroes each element with probability {@code p} (drawn from {@code g}) and
     * scales the rest by {@code 1/(1-p)}; otherwise returns {@code x}.
     */
    public static Tensor dropout(Tensor x, double p, boolean training, Generator g) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + p);
        }
        if (!training || p == 0) {
            return x;
        }
        if (p == 1) {
            return Tensor.zerosLike(x);
        }
        Tensor keep = Tensor.rand(g, x.shape().dims()).to(x.device()).ge(p).cast(x.dtype());
        return x.mul(keep).mul(1.0 / (1.0 - p));
    }

    public static Tensor dropout(Tensor x, double p, boolean training) {
        return dropout(x, p, training, Janus.defaultGenerator());
    }

    /** Rows of {@code weight[V, D]} for each index; output shape is {@code indices.shape + [D]}. */
    public static Tensor embedding(Tensor indices, Tensor weight) {
        if (weight.rank() != 2) {
            throw new IllegalArgumentException("embedding weight must be [vocabulary, dim], got " + weight.shape());
        }
        if (indices.dtype().isFloating() || indices.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("embedding indices must be integers, got " + indices.dtype().shortName());
        }
        long[] out = new long[indices.rank() + 1];
        System.arraycopy(indices.shape().dims(), 0, out, 0, indices.rank());
        out[indices.rank()] = weight.dim(1);
        return weight.indexSelect(0, indices.flatten()).reshape(out);
    }

    /**
     * Batch normalization over all axes but 1. In training it normalizes with the batch statistics and, when
     * {@code runningMean}/{@code runningVar} are given, updates them in place with {@code momentum}
     * (unbiased variance, like PyTorch); in evaluation it uses the running statistics.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
            boolean training, double momentum, double eps) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException("batchNorm needs input [N, C, ...], got " + x.shape());
        }
        int[] axes = new int[x.rank() - 1];
        axes[0] = 0;
        for (int i = 2; i < x.rank(); i++) {
            axes[i - 1] = i;
        }
        long[] view = new long[x.rank()];
        java.util.Arrays.fill(view, 1);
        view[1] = x.dim(1);
        Tensor mean;
        Tensor var;
        if (training) {
            mean = x.mean(axes, true);
            var = x.var(axes, true, 0);
            if (runningMean != null && runningVar != null) {
                long n = x.numel() / x.dim(1);
                try (var g = Janus.noGrad()) {
                    Tensor unbiased = var.detach().mul(n / (double) Math.max(1, n - 1)).reshape(-1);
                    runningMean.assign(runningMean.mul(1 - momentum).add(mean.detach().reshape(-1).mul(momentum)));
                    runningVar.assign(runningVar.mul(1 - momentum).add(unbiased.mul(momentum)));
                }
            }
        } else {
            if (runningMean == null || runningVar == null) {
                throw new IllegalArgumentException("batchNorm in evaluation mode needs running statistics");
            }
            mean = runningMean.reshape(view);
            var = runningVar.reshape(view);
        }
        Tensor y = x.sub(mean).mul(var.add(eps).rsqrt());
        if (weight != null) {
            y = y.mul(weight.reshape(view));
        }
        return bias == null ? y : y.add(bias.reshape(view));
    }

    /** Layer normalization over the trailing {@code normalizedRank} axes, with optional affine parameters. */
    public static Tensor layerNorm(Tensor x, int normalizedRank, Tensor weight, Tensor bias, double eps) {
        if (normalizedRank < 1 || normalizedRank > x.rank()) {
            throw new IllegalArgumentException("layerNorm over " + normalizedRank + " trailing axes of " + x.shape());
        }
        int[] axes = new int[normalizedRank];
        for (int i = 0; i < normalizedRank; i++) {
            axes[i] = x.rank() - normalizedRank + i;
        }
        Tensor mean = x.mean(axes, true);
        Tensor var = x.var(axes, true, 0);
        Tensor y = x.sub(mean).mul(var.add(eps).rsqrt());
        if (weight != null) {
            y = y.mul(weight);
        }
        return bias == null ? y : y.add(bias);
    }
}
