package dev.janus.nn;

import dev.janus.DType;
import dev.janus.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Multi-head scaled dot-product attention with PyTorch's parameters and semantics: {@code in_proj_weight
 * [3·E, E]} (query, key and value projections stacked; Xavier-uniform), {@code in_proj_bias [3·E]} (zeros)
 * and {@code out_proj}, a {@link Linear} E → E (bias zeroed). Each of the {@code numHeads} heads attends with
 * {@code softmax(q·kᵀ/√(E/numHeads) + mask)·v}; dropout applies to the attention weights in training.
 *
 * <p>Layouts: query {@code [L, N, E]} and key/value {@code [S, N, E]} ({@code [N, L, E]}/{@code [N, S, E]}
 * with batchFirst, {@code [L, E]}/{@code [S, E]} unbatched). Masks are bool (true = may not attend) or
 * floating (added to the scores): {@code keyPaddingMask [N, S]} ({@code [S]} unbatched) and
 * {@code attnMask [L, S]} or {@code [N·numHeads, L, S]}. A query that may attend to no key gets NaN, as in
 * PyTorch. Separate key/value sizes ({@code kdim}/{@code vdim}), {@code add_bias_kv}, {@code add_zero_attn},
 * per-head weights and {@code is_causal} are not supported.
 *
 * <pre>{@code
 * MultiheadAttention mha = new MultiheadAttention(64, 8, 0.0, true, true);   // batch first
 * MultiheadAttention.Output o = mha.forward(x, x, x);                          // x: [batch, seq, 64]
 * o.output();    // [batch, seq, 64]
 * o.weights();   // [batch, seq, seq], averaged over heads
 * }</pre>
 */
public class MultiheadAttention extends Module {
    /**
     * A call's result.
     *
     * @param output the attended values, in the query's layout
     * @param weights attention weights averaged over heads, {@code [N, L, S]} ({@code [L, S]} unbatched), after
     *     dropout as in PyTorch; null unless asked for
     */
    public record Output(Tensor output, Tensor weights) {}

    public final Tensor inProjWeight;
    public final Tensor inProjBias;
    public final Linear outProj;
    private final int embedDim;
    private final int numHeads;
    private final double dropout;
    private final boolean batchFirst;

    public MultiheadAttention(int embedDim, int numHeads) {
        this(embedDim, numHeads, 0, true, false);
    }

    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst) {
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention needs embedDim divisible by numHeads (both positive), got "
                    + "embedDim=" + embedDim + ", numHeads=" + numHeads);
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + dropout);
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.dropout = dropout;
        this.batchFirst = batchFirst;
        inProjWeight = registerParameter("in_proj_weight", Tensor.zeros(3L * embedDim, embedDim));
        inProjBias = bias ? registerParameter("in_proj_bias", Tensor.zeros(3L * embedDim)) : null;
        outProj = registerModule("out_proj", new Linear(embedDim, embedDim, bias));
        Init.xavierUniform(inProjWeight, 1.0);
        if (bias) {
            Init.zeros(outProj.bias);
        }
    }

    /** Self-attention of {@code x} without masks; returns only the output. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, x, x, null, false, null).output();
    }

    /** Attention without masks, with head-averaged weights (PyTorch's defaults). */
    public Output forward(Tensor query, Tensor key, Tensor value) {
        return forward(query, key, value, null, true, null);
    }

    /**
     * Attention in PyTorch's argument order; either mask may be null. Passing the same tensor as query, key
     * and value projects it with a single matrix product.
     */
    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights,
            Tensor attnMask) {
        if ((query.rank() != 2 && query.rank() != 3) || key.rank() != query.rank() || value.rank() != query.rank()) {
            throw new IllegalArgumentException("MultiheadAttention expects query, key and value all of rank 3 (batched) "
                    + "or all of rank 2 (unbatched), got " + query.shape() + ", " + key.shape() + ", " + value.shape());
        }
        boolean batched = query.rank() == 3;
        Tensor q = toBatchFirst(query, batched);
        Tensor k = key == query ? q : toBatchFirst(key, batched);
        Tensor v = value == key ? k : toBatchFirst(value, batched);
        Tensor padding = keyPaddingMask != null && !batched ? keyPaddingMask.unsqueeze(0) : keyPaddingMask;
        Output o = attention(q, k, v, numHeads, inProjWeight, inProjBias, outProj.weight, outProj.bias, padding,
                needWeights, attnMask, isTraining() ? dropout : 0);
        Tensor out = !batched ? o.output().squeeze(0) : batchFirst ? o.output() : o.output().transpose(0, 1);
        Tensor w = o.weights() == null || batched ? o.weights() : o.weights().squeeze(0);
        return new Output(out, w);
    }

    private Tensor toBatchFirst(Tensor x, boolean batched) {
        return !batched ? x.unsqueeze(0) : batchFirst ? x : x.transpose(0, 1);
    }

    /**
     * Multi-head attention as a function of explicit tensors (PyTorch's {@code multi_head_attention_forward}),
     * on batch-first inputs: query {@code [N, L, E]}, key and value {@code [N, S, E]}. Biases and masks may be
     * null; {@code dropout} (on the attention weights) applies when positive.
     *
     * <pre>{@code
     * Output o = MultiheadAttention.attention(q, k, v, 2, inW, inB, outW, outB, null, true, null, 0);
     * }</pre>
     */
    public static Output attention(Tensor query, Tensor key, Tensor value, int numHeads, Tensor inProjWeight,
            Tensor inProjBias, Tensor outProjWeight, Tensor outProjBias, Tensor keyPaddingMask, boolean needWeights,
            Tensor attnMask, double dropout) {
        checkShapes(query, key, value, numHeads, inProjWeight);
        long n = query.dim(0);
        long l = query.dim(1);
        long e = query.dim(2);
        Tensor[] qkv = project(query, key, value, inProjWeight, inProjBias);
        Tensor q = splitHeads(qkv[0], numHeads);
        Tensor k = splitHeads(qkv[1], numHeads);
        Tensor v = splitHeads(qkv[2], numHeads);
        Tensor scores = q.matmul(k, false, true).mul(1 / Math.sqrt(e / numHeads));      // [N, H, L, S]
        scores = applyMask(scores, keyPaddingMask == null ? null : paddingView(keyPaddingMask, n, key.dim(1)));
        scores = applyMask(scores, attnMask == null ? null : attnView(attnMask, n, numHeads, l, key.dim(1)));
        Tensor attn = F.dropout(scores.softmax(-1), dropout, dropout > 0);
        Tensor context = attn.matmul(v).permute(0, 2, 1, 3).reshape(n, l, e);
        return new Output(F.linear(context, outProjWeight, outProjBias), needWeights ? attn.mean(1, false) : null);
    }

    private static void checkShapes(Tensor query, Tensor key, Tensor value, int numHeads, Tensor inProjWeight) {
        if (query.rank() != 3 || key.rank() != 3 || value.rank() != 3) {
            throw new IllegalArgumentException("attention expects batch-first query [N, L, E], key and value [N, S, E], got "
                    + query.shape() + ", " + key.shape() + ", " + value.shape());
        }
        long e = query.dim(2);
        if (key.dim(2) != e || value.dim(2) != e || key.dim(0) != query.dim(0) || value.dim(0) != query.dim(0)
                || key.dim(1) != value.dim(1)) {
            throw new IllegalArgumentException("attention: query " + query.shape() + ", key " + key.shape() + " and value "
                    + value.shape() + " do not fit [N, L, E], [N, S, E], [N, S, E]");
        }
        if (numHeads <= 0 || e % numHeads != 0) {
            throw new IllegalArgumentException("attention: embedding size " + e + " is not divisible by numHeads=" + numHeads);
        }
        if (!Arrays.equals(inProjWeight.shape().dims(), new long[] {3 * e, e})) {
            throw new IllegalArgumentException("attention: in_proj_weight must be [3·E, E] = [" + 3 * e + ", " + e + "], got "
                    + inProjWeight.shape());
        }
    }

    /** Query, key and value projections; one product when the three inputs are the same tensor. */
    private static Tensor[] project(Tensor query, Tensor key, Tensor value, Tensor w, Tensor b) {
        if (query == key && key == value) {
            List<Tensor> qkv = F.linear(query, w, b).chunk(3, -1);
            return qkv.toArray(new Tensor[0]);
        }
        long e = query.dim(2);
        Tensor[] in = {query, key, value};
        Tensor[] out = new Tensor[3];
        for (int i = 0; i < 3; i++) {
            out[i] = F.linear(in[i], w.narrow(0, i * e, e), b == null ? null : b.narrow(0, i * e, e));
        }
        return out;
    }

    /** {@code [N, L, E]} to {@code [N, heads, L, E/heads]}. */
    private static Tensor splitHeads(Tensor x, int heads) {
        return x.reshape(x.dim(0), x.dim(1), heads, x.dim(2) / heads).permute(0, 2, 1, 3);
    }

    private static Tensor paddingView(Tensor mask, long n, long s) {
        if (!Arrays.equals(mask.shape().dims(), new long[] {n, s})) {
            throw new IllegalArgumentException("attention: keyPaddingMask must be [batch, source] = [" + n + ", " + s
                    + "], got " + mask.shape());
        }
        return mask.reshape(n, 1, 1, s);
    }

    private static Tensor attnView(Tensor mask, long n, int heads, long l, long s) {
        if (Arrays.equals(mask.shape().dims(), new long[] {l, s})) {
            return mask;
        }
        if (!Arrays.equals(mask.shape().dims(), new long[] {n * heads, l, s})) {
            throw new IllegalArgumentException("attention: attnMask must be [target, source] = [" + l + ", " + s
                    + "] or [batch·heads, target, source] = [" + n * heads + ", " + l + ", " + s + "], got " + mask.shape());
        }
        return mask.reshape(n, heads, l, s);
    }

    /** A bool mask sets the scores where it is true to -∞; a floating mask is added. */
    private static Tensor applyMask(Tensor scores, Tensor mask) {
        if (mask == null) {
            return scores;
        }
        if (mask.dtype() == DType.BOOL) {
            Tensor minusInf = Tensor.scalar(Double.NEGATIVE_INFINITY, scores.dtype()).to(scores.device());
            return Tensor.where(mask, minusInf, scores);
        }
        if (!mask.dtype().isFloating()) {
            throw new IllegalArgumentException("attention masks must be bool or floating, got " + mask.dtype().shortName());
        }
        return scores.add(mask.cast(scores.dtype()));
    }

    @Override
    protected String describe() {
        return "MultiheadAttention(" + embedDim + ", heads=" + numHeads + (dropout > 0 ? ", dropout=" + dropout : "")
                + (inProjBias == null ? ", no bias" : "") + (batchFirst ? ", batchFirst" : "") + ")";
    }
}
