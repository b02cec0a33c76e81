package dev.janus.nn;

import dev.janus.Tensor;
import dev.janus.nn.F.CrossEntropyOptions;
import java.util.Arrays;

/**
 * The cross-entropy family behind {@link F}'s losses (class-index and probability targets, ignored entries,
 * class weights, label smoothing) and the shape and reduction checks all losses share. Written with tensor ops
 * only; the public entry points and their documentation are in {@link F}.
 */
final class Losses {
    private Losses() {}

    /** See {@link F#crossEntropy(Tensor, Tensor, CrossEntropyOptions)}. */
    static Tensor crossEntropy(Tensor logits, Tensor targets, CrossEntropyOptions o) {
        if (logits.rank() == 1) {
            Tensor loss = crossEntropy(logits.unsqueeze(0), targets.unsqueeze(0), o);
            return "none".equals(o.reduction()) ? loss.squeeze(0) : loss;
        }
        Tensor logp = classInput("crossEntropy", logits).logSoftmax(1);
        long classes = logits.dim(1);
        if (targets.dtype().isFloating()) {
            return softTargetLoss(logp, targets, o);
        }
        Tensor nll = nllLoss(logp, targets, o.weight(), o.ignoreIndex(), o.reduction());
        if (o.labelSmoothing() == 0) {
            return nll;
        }
        Tensor valid = targets.ne(Tensor.scalar(o.ignoreIndex(), targets.dtype())).cast(logp.dtype());
        Tensor smooth = (o.weight() == null ? logp : logp.mul(classView(o.weight(), logp))).sum(1).neg().mul(valid);
        Tensor smoothed = switch (o.reduction()) {
            case "mean" -> smooth.sum().div(targetWeights(targets, valid, o.weight(), logp).sum());
            case "sum" -> smooth.sum();
            default -> smooth;
        };
        return nll.mul(1 - o.labelSmoothing()).add(smoothed.mul(o.labelSmoothing() / classes));
    }

    private static Tensor softTargetLoss(Tensor logp, Tensor targets, CrossEntropyOptions o) {
        if (!targets.shape().equals(logp.shape())) {
            throw new IllegalArgumentException("crossEntropy: probability targets " + targets.shape()
                    + " must have the shape of the logits " + logp.shape());
        }
        Tensor p = targets.cast(logp.dtype());
        if (o.labelSmoothing() > 0) {
            p = p.mul(1 - o.labelSmoothing()).add(o.labelSmoothing() / logp.dim(1));
        }
        Tensor terms = logp.mul(p);
        if (o.weight() != null) {
            terms = terms.mul(classView(o.weight(), logp));
        }
        Tensor perSample = terms.sum(1).neg();
        return switch (o.reduction()) {
            case "mean" -> perSample.sum().div((double) (logp.numel() / logp.dim(1)));
            case "sum" -> perSample.sum();
            default -> perSample;
        };
    }

    /** See {@link F#nllLoss(Tensor, Tensor, Tensor, long, String)}. */
    static Tensor nllLoss(Tensor logProbs, Tensor targets, Tensor weight, long ignoreIndex, String reduction) {
        checkReduction(reduction);
        if (logProbs.rank() == 1) {
            Tensor loss = nllLoss(logProbs.unsqueeze(0), targets.unsqueeze(0), weight, ignoreIndex, reduction);
            return "none".equals(reduction) ? loss.squeeze(0) : loss;
        }
        Tensor x = classInput("nllLoss", logProbs);
        checkClassTargets(x, targets);
        if (weight != null) {
            classView(weight, x); // validates the shape before the weights are gathered
        }
        Tensor valid = targets.ne(Tensor.scalar(ignoreIndex, targets.dtype()));
        // NOTE: ignored entries gather class 0 (gather rejects indices out of range) and are then masked out.
        Tensor safe = targets.mul(valid.cast(targets.dtype()));
        Tensor picked = x.gather(1, safe.unsqueeze(1)).squeeze(1);
        Tensor w = targetWeights(safe, valid.cast(x.dtype()), weight, x);
        Tensor loss = picked.mul(w).neg();
        return switch (reduction) {
            case "mean" -> loss.sum().div(w.sum());
            case "sum" -> loss.sum();
            default -> loss;
        };
    }

    static String checkReduction(String reduction) {
        if (!"mean".equals(reduction) && !"sum".equals(reduction) && !"none".equals(reduction)) {
            throw new IllegalArgumentException("reduction must be 'mean', 'sum' or 'none', got '" + reduction + "'");
        }
        return reduction;
    }

    static Tensor reduce(Tensor loss, String reduction) {
        return switch (checkReduction(reduction)) {
            case "mean" -> loss.mean();
            case "sum" -> loss.sum();
            default -> loss;
        };
    }

    private static Tensor classInput(String op, Tensor x) {
        if (x.rank() < 2 || !x.dtype().isFloating()) {
            throw new IllegalArgumentException(op + " needs floating input [N, C, ...] or [C], got "
                    + x.dtype().shortName() + x.shape());
        }
        return x;
    }

    private static void checkClassTargets(Tensor x, Tensor targets) {
        long[] expected = new long[x.rank() - 1];
        expected[0] = x.dim(0);
        for (int i = 2; i < x.rank(); i++) {
            expected[i - 1] = x.dim(i);
        }
        if (!targets.dtype().isIntegral() || !Arrays.equals(targets.shape().dims(), expected)) {
            throw new IllegalArgumentException("class-index targets for input " + x.shape() + " must be integers of shape "
                    + Arrays.toString(expected) + ", got " + targets.dtype().shortName() + targets.shape());
        }
    }

    /** {@code valid · weight[target]} per target (just {@code valid} without class weights). */
    private static Tensor targetWeights(Tensor targets, Tensor valid, Tensor weight, Tensor like) {
        if (weight == null) {
            return valid;
        }
        Tensor safe = targets.mul(valid.cast(targets.dtype()));
        return F.embedding(safe, weight.cast(like.dtype()).reshape(-1, 1)).squeeze(-1).mul(valid);
    }

    /** Class weights [C] shaped to broadcast along axis 1 of {@code x}. */
    private static Tensor classView(Tensor weight, Tensor x) {
        if (weight.rank() != 1 || weight.dim(0) != x.dim(1)) {
            throw new IllegalArgumentException("class weights must be [" + x.dim(1) + "], got " + weight.shape());
        }
        long[] view = new long[x.rank()];
        Arrays.fill(view, 1);
        view[1] = x.dim(1);
        return weight.cast(x.dtype()).reshape(view);
    }

    static void sameShape(String op, Tensor input, Tensor target) {
        if (!input.shape().equals(target.shape())) {
            throw new IllegalArgumentException(op + ": input " + input.shape() + " and target " + target.shape()
                    + " must have the same shape");
        }
    }

    /** {@code max(log x, -100)}, with a zero gradient (not NaN) where x = 0. */
    static Tensor clampedLog(Tensor x) {
        Tensor positive = x.gt(0.0);
        Tensor safe = Tensor.where(positive, x, Tensor.onesLike(x));
        return Tensor.where(positive, safe.log(), Tensor.fullLike(x, -100)).clampMin(-100);
    }
}
