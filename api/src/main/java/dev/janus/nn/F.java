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
 * primitives; everything else here (activations, average pooling, normalization, dropout, embedding, and the
 * losses, whose cross-entropy family lives in {@code Losses}) is written with tensor ops, so it differentiates
 * and traces without kernels of its own.
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

    /**
     * Max pooling; with {@code ceilMode} the output size rounds up (PyTorch's {@code ceil_mode}: the last window
     * may run past the bottom/right edge but must start inside the input or the left padding).
     *
     * <pre>{@code Tensor y = F.maxPool2d(x, new int[] {3, 3}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, true);}</pre>
     */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        if (!ceilMode || x.rank() != 4) {
            return maxPool2d(x, kernel, stride, padding, dilation);
        }
        // NOTE: the overhang is filled with min(x) - 1, which no window picks; -inf would trip anomaly mode.
        Tensor fill = x.detach().min().sub(1.0).reshape(1, 1, 1, 1);
        Tensor y = x;
        for (int i = 0; i < 2; i++) {
            long extra = ceilOverhang(x.dim(2 + i), kernel[i], stride[i], padding[i], dilation[i]);
            if (extra > 0) {
                long[] block = y.shape().dims().clone();
                block[2 + i] = extra;
                y = Tensor.cat(2 + i, y, fill.expand(block));
            }
        }
        return maxPool2d(y, kernel, stride, padding, dilation);
    }

    /** Rows (or columns) ceil mode adds past the input's end, by PyTorch's output-size rule. */
    private static long ceilOverhang(long in, int k, int s, int p, int d) {
        long span = in + 2L * p - (long) d * (k - 1) - 1;
        if (span < 0) {
            return 0;
        }
        long out = (span + s - 1) / s + 1;
        if ((out - 1) * s >= in + p) {
            out--;
        }
        return Math.max(0, (out - 1) * s - span);
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
     * Average pooling; with {@code countIncludePad == false} each window is divided by the number of input
     * elements it covers (the pooled sum over the pooled count of a tensor of ones).
     */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        Tensor y = avgPool2d(x, kernel, stride, padding);
        if (countIncludePad || (padding[0] == 0 && padding[1] == 0)) {
            return y;
        }
        Tensor ones = Tensor.ones(x.dtype(), 1, 1, x.dim(2), x.dim(3)).to(x.device());
        return y.div(avgPool2d(ones, kernel, stride, padding));
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
     * GELU with PyTorch's {@code approximate} argument: {@code "none"} (exact, erf) or {@code "tanh"}
     * ({@code x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³)))}).
     *
     * <pre>{@code Tensor y = F.gelu(x, "tanh");}</pre>
     */
    public static Tensor gelu(Tensor x, String approximate) {
        return switch (approximate) {
            case "none" -> x.gelu();
            case "tanh" -> {
                Tensor f = x.cast(x.dtype().toFloating());
                Tensor inner = f.add(f.mul(f).mul(f).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
                yield f.mul(inner.tanh().add(1.0)).mul(0.5);
            }
            default -> throw new IllegalArgumentException("gelu approximate must be 'none' or 'tanh', got '"
                    + approximate + "'");
        };
    }

    public static Tensor sigmoid(Tensor x) {
        return x.sigmoid();
    }

    public static Tensor tanh(Tensor x) {
        return x.tanh();
    }

    /** {@code x} where positive, else {@code negativeSlope · x} (the gradient at 0 is the slope, as in PyTorch). */
    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        Tensor f = x.cast(x.dtype().toFloating());
        return Tensor.where(f.gt(0.0), f, f.mul(negativeSlope));
    }

    /**
     * {@code log(1 + e^(beta·x)) / beta}, and {@code x} itself where {@code beta·x > threshold} (PyTorch's
     * {@code softplus(x, beta, threshold)}; defaults 1 and 20).
     */
    public static Tensor softplus(Tensor x, double beta, double threshold) {
        Tensor f = x.cast(x.dtype().toFloating());
        Tensor bx = f.mul(beta);
        return Tensor.where(bx.gt(threshold), f, softplus(bx).div(beta));
    }

    /**
     * {@code log(1 + e^x)} as {@code max(x, 0) + log1p(e^-|x|)}, which never overflows. NOTE: unlike
     * {@link Tensor#softplus()} (relu form, gradient 0 at x = 0) its gradient at 0 is the correct 1/2: max
     * splits the tie.
     *
     * <pre>{@code Tensor y = F.softplus(x);}</pre>
     */
    public static Tensor softplus(Tensor x) {
        return x.clampMin(0.0).add(x.abs().neg().exp().log1p());
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

    // ------------------------------------------------------------------ losses

    /**
     * Options of {@link #crossEntropy(Tensor, Tensor, CrossEntropyOptions)}, PyTorch's keyword arguments:
     * per-class {@code weight} (or null), {@code ignoreIndex} (default -100), {@code labelSmoothing} in [0, 1]
     * and {@code reduction} ({@code "mean"}, {@code "sum"} or {@code "none"}). Change one with the method of
     * the same name:
     *
     * <pre>{@code F.crossEntropy(logits, y, F.CrossEntropyOptions.defaults().labelSmoothing(0.1).reduction("sum"));}</pre>
     */
    public record CrossEntropyOptions(Tensor weight, long ignoreIndex, double labelSmoothing, String reduction) {
        public CrossEntropyOptions {
            if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
                throw new IllegalArgumentException("labelSmoothing must be in [0, 1], got " + labelSmoothing);
            }
            Losses.checkReduction(reduction);
        }

        /** No class weights, ignoreIndex -100, no label smoothing, mean reduction. */
        public static CrossEntropyOptions defaults() {
            return new CrossEntropyOptions(null, -100, 0.0, "mean");
        }

        public CrossEntropyOptions weight(Tensor classWeights) {
            return new CrossEntropyOptions(classWeights, ignoreIndex, labelSmoothing, reduction);
        }

        public CrossEntropyOptions ignoreIndex(long index) {
            return new CrossEntropyOptions(weight, index, labelSmoothing, reduction);
        }

        public CrossEntropyOptions labelSmoothing(double epsilon) {
            return new CrossEntropyOptions(weight, ignoreIndex, epsilon, reduction);
        }

        public CrossEntropyOptions reduction(String how) {
            return new CrossEntropyOptions(weight, ignoreIndex, labelSmoothing, how);
        }
    }

    /** Cross-entropy with PyTorch's defaults (mean over the targets, ignoreIndex -100, no smoothing). */
    public static Tensor crossEntropy(Tensor logits, Tensor targets) {
        return crossEntropy(logits, targets, CrossEntropyOptions.defaults());
    }

    /**
     * Cross-entropy of unnormalized {@code logits} [N, C] or [N, C, d1, ...] (or [C] for one sample), with
     * PyTorch's semantics:
     * <ul>
     *   <li>integer {@code targets} [N, d1, ...] hold class indices; entries equal to {@code ignoreIndex}
     *       contribute nothing, and "mean" divides by the number (or the summed class weights) of the others;
     *       label smoothing ε gives {@code (1-ε)·nll + ε/C · Σ_c -w_c·log p_c}, the smoothing term masked and
     *       normalized the same way;</li>
     *   <li>floating {@code targets} shaped like {@code logits} are class probabilities (ε mixes them with the
     *       uniform distribution); "mean" divides by N·d1·…, and {@code ignoreIndex} does not apply.</li>
     * </ul>
     *
     * <pre>{@code
     * Tensor loss = F.crossEntropy(logits, Tensor.of(new long[] {2, 0, -100}, 3));      // third row ignored
     * Tensor soft = F.crossEntropy(logits, probs, F.CrossEntropyOptions.defaults().labelSmoothing(0.1));
     * }</pre>
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets, CrossEntropyOptions o) {
        return Losses.crossEntropy(logits, targets, o);
    }

    /** Negative log-likelihood with PyTorch's defaults (mean, ignoreIndex -100, no class weights). */
    public static Tensor nllLoss(Tensor logProbs, Tensor targets) {
        return nllLoss(logProbs, targets, null, -100, "mean");
    }

    /**
     * Negative log-likelihood of class-index {@code targets} [N, d1, ...] under {@code logProbs} [N, C, d1, ...]
     * (or [C] with a scalar target): {@code loss_i = -w[t_i]·logProbs[i, t_i]}, zero where
     * {@code t_i == ignoreIndex}; "mean" divides the sum by {@code Σ w[t_i]} over the targets not ignored
     * (so a batch that ignores everything gives NaN, as in PyTorch). {@code weight} [C] may be null.
     *
     * <pre>{@code Tensor loss = F.nllLoss(logits.logSoftmax(1), y, null, -100, "sum");}</pre>
     */
    public static Tensor nllLoss(Tensor logProbs, Tensor targets, Tensor weight, long ignoreIndex, String reduction) {
        return Losses.nllLoss(logProbs, targets, weight, ignoreIndex, reduction);
    }

    /** Mean squared error {@code (input - target)²}, reduced by {@code "mean"}. */
    public static Tensor mseLoss(Tensor input, Tensor target) {
        return mseLoss(input, target, "mean");
    }

    /** <pre>{@code Tensor perElement = F.mseLoss(prediction, y, "none");}</pre> */
    public static Tensor mseLoss(Tensor input, Tensor target, String reduction) {
        Losses.sameShape("mseLoss", input, target);
        Tensor d = input.sub(target);
        return Losses.reduce(d.mul(d), reduction);
    }

    /** Mean absolute error {@code |input - target|}, reduced by {@code "mean"}. */
    public static Tensor l1Loss(Tensor input, Tensor target) {
        return l1Loss(input, target, "mean");
    }

    public static Tensor l1Loss(Tensor input, Tensor target, String reduction) {
        Losses.sameShape("l1Loss", input, target);
        return Losses.reduce(input.sub(target).abs(), reduction);
    }

    /** Smooth L1 (Huber-like) loss with {@code beta = 1}, reduced by {@code "mean"}. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target) {
        return smoothL1Loss(input, target, 1.0, "mean");
    }

    /**
     * {@code 0.5·d²/beta} where {@code |d| < beta}, else {@code |d| - 0.5·beta}, for {@code d = input - target};
     * {@code beta = 0} is the L1 loss (PyTorch's rule).
     *
     * <pre>{@code Tensor loss = F.smoothL1Loss(boxes, targetBoxes, 1.0 / 9, "sum");}</pre>
     */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, double beta, String reduction) {
        if (beta < 0) {
            throw new IllegalArgumentException("smoothL1Loss beta must be >= 0, got " + beta);
        }
        Losses.sameShape("smoothL1Loss", input, target);
        Tensor d = input.sub(target).abs();
        if (beta == 0) {
            return Losses.reduce(d, reduction);
        }
        return Losses.reduce(Tensor.where(d.lt(beta), d.mul(d).mul(0.5 / beta), d.sub(0.5 * beta)), reduction);
    }

    /** Binary cross-entropy of probabilities, reduced by {@code "mean"}. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        return binaryCrossEntropy(input, target, null, "mean");
    }

    /**
     * {@code -w·(y·log x + (1-y)·log(1-x))} for probabilities {@code x = input}, each log clamped to ≥ -100
     * like PyTorch (so x = 0 or 1 gives a finite loss). {@code weight} broadcasts to the input, or is null.
     * Inputs outside [0, 1] are not checked (that would need the values on the host).
     *
     * <pre>{@code Tensor loss = F.binaryCrossEntropy(logits.sigmoid(), labels, null, "mean");}</pre>
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, String reduction) {
        Losses.sameShape("binaryCrossEntropy", input, target);
        Tensor y = target.cast(input.dtype());
        Tensor loss = y.mul(Losses.clampedLog(input)).add(y.rsub(1.0).mul(Losses.clampedLog(input.rsub(1.0)))).neg();
        return Losses.reduce(weight == null ? loss : loss.mul(weight), reduction);
    }

    /** Binary cross-entropy on logits, reduced by {@code "mean"}. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, null, null, "mean");
    }

    /**
     * {@code -w·(p·y·log σ(x) + (1-y)·log(1-σ(x)))} computed stably as
     * {@code (1-y)·x + (1 + (p-1)·y)·softplus(-x)}, where {@code p = posWeight} (broadcast along the last
     * axis, the classes; null means 1) and {@code weight} broadcasts to the input (or is null).
     *
     * <pre>{@code Tensor loss = F.binaryCrossEntropyWithLogits(logits, labels, null, Tensor.of(new float[] {3f}, 1), "mean");}</pre>
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
            String reduction) {
        Losses.sameShape("binaryCrossEntropyWithLogits", input, target);
        Tensor x = input.cast(input.dtype().toFloating());
        Tensor y = target.cast(x.dtype());
        Tensor logWeight = posWeight == null ? null : posWeight.sub(1.0).mul(y).add(1.0);
        Tensor softplusNeg = softplus(x.neg());
        Tensor loss = y.rsub(1.0).mul(x).add(logWeight == null ? softplusNeg : logWeight.mul(softplusNeg));
        return Losses.reduce(weight == null ? loss : loss.mul(weight), reduction);
    }
}
