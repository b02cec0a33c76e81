package dev.janus.nn;

import dev.janus.Tensor;

/**
 * One Transformer encoder layer, PyTorch's {@code TransformerEncoderLayer}: self-attention and a feed-forward
 * block ({@code linear2(dropout(activation(linear1(x))))}), each with dropout and a residual connection, and
 * layer normalization after each residual sum (post-norm, the default) or before each block (normFirst):
 *
 * <pre>
 * post-norm:  x = norm1(x + sa(x));         x = norm2(x + ff(x))
 * pre-norm:   x = x + sa(norm1(x));         x = x + ff(norm2(x))
 * </pre>
 *
 * Submodules carry PyTorch's names ({@code self_attn}, {@code linear1}, {@code dropout}, {@code linear2},
 * {@code norm1}, {@code norm2}, {@code dropout1}, {@code dropout2}), so state dicts line up.
 *
 * <pre>{@code
 * TransformerEncoderLayer layer = new TransformerEncoderLayer(512, 8, 2048, 0.1, "gelu", 1e-5, true, false);
 * Tensor y = layer.forward(x);   // x, y: [batch, seq, 512]
 * }</pre>
 */
public class TransformerEncoderLayer extends Module {
    public final MultiheadAttention selfAttn;
    public final Linear linear1;
    public final Dropout dropout;
    public final Linear linear2;
    public final LayerNorm norm1;
    public final LayerNorm norm2;
    public final Dropout dropout1;
    public final Dropout dropout2;
    private final String activation;
    private final boolean normFirst;

    /** PyTorch's defaults: feed-forward 2048, dropout 0.1, relu, eps 1e-5, sequence-first, post-norm. */
    public TransformerEncoderLayer(int dModel, int nhead) {
        this(dModel, nhead, 2048, 0.1, "relu", 1e-5, false, false);
    }

    /** {@code activation} is {@code "relu"} or {@code "gelu"} (exact). */
    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout, String activation,
            double layerNormEps, boolean batchFirst, boolean normFirst) {
        if (!"relu".equals(activation) && !"gelu".equals(activation)) {
            throw new IllegalArgumentException("TransformerEncoderLayer activation must be \"relu\" or \"gelu\", got \""
                    + activation + "\"");
        }
        this.activation = activation;
        this.normFirst = normFirst;
        selfAttn = registerModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, true, batchFirst));
        linear1 = registerModule("linear1", new Linear(dModel, dimFeedforward));
        this.dropout = registerModule("dropout", new Dropout(dropout));
        linear2 = registerModule("linear2", new Linear(dimFeedforward, dModel));
        norm1 = registerModule("norm1", new LayerNorm(new long[] {dModel}, layerNormEps, true, true));
        norm2 = registerModule("norm2", new LayerNorm(new long[] {dModel}, layerNormEps, true, true));
        dropout1 = registerModule("dropout1", new Dropout(dropout));
        dropout2 = registerModule("dropout2", new Dropout(dropout));
    }

    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null);
    }

    /**
     * {@code src} is {@code [S, N, E]} ({@code [N, S, E]} with batchFirst, {@code [S, E]} unbatched); the masks,
     * either of which may be null, are those of {@link MultiheadAttention#forward(Tensor, Tensor, Tensor, Tensor,
     * boolean, Tensor)}.
     */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask) {
        Tensor x = src;
        if (normFirst) {
            x = x.add(selfAttentionBlock(norm1.forward(x), srcMask, srcKeyPaddingMask));
            return x.add(feedForwardBlock(norm2.forward(x)));
        }
        x = norm1.forward(x.add(selfAttentionBlock(x, srcMask, srcKeyPaddingMask)));
        return norm2.forward(x.add(feedForwardBlock(x)));
    }

    private Tensor selfAttentionBlock(Tensor x, Tensor mask, Tensor keyPaddingMask) {
        return dropout1.forward(selfAttn.forward(x, x, x, keyPaddingMask, false, mask).output());
    }

    private Tensor feedForwardBlock(Tensor x) {
        Tensor hidden = linear1.forward(x);
        hidden = "gelu".equals(activation) ? hidden.gelu() : hidden.relu();
        return dropout2.forward(linear2.forward(dropout.forward(hidden)));
    }

    @Override
    protected String describe() {
        return "TransformerEncoderLayer(" + activation + (normFirst ? ", normFirst" : "") + ")";
    }
}
