package dev.janus.nn;

import dev.janus.Janus;
import dev.janus.Tensor;

/**
 * A lookup table weight [numEmbeddings, embeddingDim], initialized N(0, 1): integer indices of any shape map to
 * rows, output {@code indices.shape + [embeddingDim]}. With a {@code paddingIdx} that row starts at zero and
 * receives no gradient (PyTorch's {@code padding_idx}).
 *
 * <pre>{@code Embedding emb = new Embedding(10000, 256); Tensor h = emb.forward(tokens);   // tokens: int64 [B, T]}</pre>
 */
public class Embedding extends Module {
    public final Tensor weight;
    private final long paddingIdx;

    public Embedding(int numEmbeddings, int embeddingDim) {
        this(Tensor.randn(numEmbeddings, embeddingDim), -1);
    }

    /** With a padding row; {@code paddingIdx} may be negative, counted from the end as in PyTorch. */
    public Embedding(int numEmbeddings, int embeddingDim, int paddingIdx) {
        this(Tensor.randn(numEmbeddings, embeddingDim), normalizedPadding(paddingIdx, numEmbeddings));
        try (var g = Janus.noGrad()) {
            Tensor padRow = Tensor.arange(numEmbeddings).reshape(numEmbeddings, 1).eq(this.paddingIdx);
            weight.assign(Tensor.where(padRow, Tensor.zerosLike(weight), weight));
        }
    }

    /** {@code paddingIdx} is a row index, or -1 for none. */
    private Embedding(Tensor initial, long paddingIdx) {
        if (initial.rank() != 2 || initial.dim(0) <= 0 || initial.dim(1) <= 0) {
            throw new IllegalArgumentException("Embedding needs a positive [numEmbeddings, embeddingDim], got " + initial.shape());
        }
        this.paddingIdx = paddingIdx;
        weight = registerParameter("weight", initial);
    }

    private static long normalizedPadding(int paddingIdx, int n) {
        if (paddingIdx >= n || paddingIdx < -n) {
            throw new IllegalArgumentException("paddingIdx " + paddingIdx + " is outside [" + -n + ", " + n + ")");
        }
        return paddingIdx < 0 ? paddingIdx + n : paddingIdx;
    }

    /**
     * An embedding holding a copy of {@code embeddings}; with {@code freeze} the table is not trained.
     *
     * <pre>{@code Embedding glove = Embedding.fromPretrained(vectors, true);}</pre>
     */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze) {
        Embedding e = new Embedding(Tensor.zerosLike(embeddings).assign(embeddings), -1);
        e.weight.requiresGrad(!freeze);
        return e;
    }

    @Override
    public Tensor forward(Tensor indices) {
        Tensor out = F.embedding(indices, weight);
        if (paddingIdx < 0) {
            return out;
        }
        Tensor isPad = indices.eq(paddingIdx).unsqueeze(-1);
        return Tensor.where(isPad, out.detach(), out);
    }

    @Override
    protected String describe() {
        return "Embedding(" + weight.dim(0) + ", " + weight.dim(1) + (paddingIdx >= 0 ? ", padding index " + paddingIdx : "")
                + ")";
    }
}
