package dev.janus.nn;

import dev.janus.Tensor;
import java.util.Arrays;

/**
 * Layer normalization over the trailing {@code normalizedShape} axes, with elementwise affine weight = 1 and
 * bias = 0 of that shape (eps 1e-5), as in PyTorch.
 *
 * <pre>{@code LayerNorm ln = new LayerNorm(512); Tensor y = ln.forward(x);   // x: [batch, seq, 512]}</pre>
 */
public class LayerNorm extends Module {
    public final Tensor weight;
    public final Tensor bias;
    private final long[] normalizedShape;
    private final double eps;

    public LayerNorm(long... normalizedShape) {
        this(normalizedShape, 1e-5, true, true);
    }

    /** With {@code elementwiseAffine} false there are no parameters; {@code bias} false drops only the bias. */
    public LayerNorm(long[] normalizedShape, double eps, boolean elementwiseAffine, boolean bias) {
        if (normalizedShape.length == 0 || Arrays.stream(normalizedShape).anyMatch(d -> d <= 0) || !(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm needs a non-empty positive shape and eps > 0, got "
                    + Arrays.toString(normalizedShape) + ", eps " + eps);
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        weight = elementwiseAffine ? registerParameter("weight", Tensor.ones(normalizedShape)) : null;
        this.bias = elementwiseAffine && bias ? registerParameter("bias", Tensor.zeros(normalizedShape)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        int k = normalizedShape.length;
        long[] dims = x.shape().dims();
        if (x.rank() < k || !Arrays.equals(Arrays.copyOfRange(dims, x.rank() - k, x.rank()), normalizedShape)) {
            throw new IllegalArgumentException(describe() + " needs input [..., " + String.join(", ",
                    Arrays.stream(normalizedShape).mapToObj(Long::toString).toArray(String[]::new)) + "], got " + x.shape());
        }
        return F.layerNorm(x, k, weight, bias, eps);
    }

    @Override
    protected String describe() {
        return "LayerNorm(" + Arrays.toString(normalizedShape) + ", eps " + eps + (weight == null ? ", no affine" : "")
                + (weight != null && bias == null ? ", no bias" : "") + ")";
    }
}
