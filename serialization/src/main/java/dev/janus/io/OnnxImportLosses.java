package dev.janus.io;

import static dev.janus.io.OnnxImportOps.one;
import static dev.janus.io.OnnxPrims.ap;
import static dev.janus.io.OnnxPrims.bin;
import static dev.janus.io.OnnxPrims.cast;
import static dev.janus.io.OnnxPrims.div;
import static dev.janus.io.OnnxPrims.mul;
import static dev.janus.io.OnnxPrims.reduce;
import static dev.janus.io.OnnxPrims.scalar;
import static dev.janus.io.OnnxPrims.sub;
import static dev.janus.io.OnnxPrims.un;
import static dev.janus.io.OnnxPrims.where;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import java.util.List;

/** ONNX loss functions and window generators in Janus primitives. */
final class OnnxImportLosses {
    private OnnxImportLosses() {}

    static List<Tensor> apply(OnnxNode n) {
        return switch (n.op()) {
            case "NegativeLogLikelihoodLoss" -> one(nll(n, n.in(0)));
            case "SoftmaxCrossEntropyLoss" -> softmaxCrossEntropy(n);
            case "HannWindow", "HammingWindow", "BlackmanWindow" -> one(window(n));
            default -> OnnxImportResize.apply(n);
        };
    }

    /**
     * loss[n, d...] = -input[n, target[n, d...], d...] · weight[target] (0 where target is ignore_index),
     * reduced by none, sum or mean (mean divides by the summed weights).
     */
    private static Tensor nll(OnnxNode n, Tensor input) {
        if (!input.dtype().isFloating()) {
            throw n.unsupported("Janus computes it on floating tensors only");
        }
        Tensor t = cast(n.in(1), DType.INT64);
        boolean ignoring = n.attr("ignore_index") != null;
        Tensor valid = ignoring ? bin(Op.NE, t, scalar(n.i("ignore_index", 0), t)) : null;
        Tensor safe = ignoring ? where(valid, t, scalar(0, t)) : t;
        Tensor picked = OnnxPrims.squeeze(ap(Op.GATHER, Attrs.of("axis", 1), input, OnnxPrims.unsqueeze(safe, 1)), 1);
        Tensor w = n.has(2) ? OnnxImportIndexing.gather(n.in(2), safe, 0) : OnnxPrims.expand(scalar(1, input), safe.shape().dims());
        if (ignoring) {
            w = where(valid, w, scalar(0, w));
        }
        Tensor loss = un(Op.NEG, mul(picked, w));
        int[] all = OnnxPrims.range(0, loss.shape().rank());
        return switch (n.s("reduction", "mean")) {
            case "none" -> loss;
            case "sum" -> reduce(Op.SUM, loss, all, false);
            case "mean" -> div(reduce(Op.SUM, loss, all, false), reduce(Op.SUM, w, all, false));
            default -> throw n.unsupported("reduction '" + n.s("reduction", "") + "'");
        };
    }

    /** SoftmaxCrossEntropyLoss: log-softmax over the class axis, then the NLL loss; the log-probabilities too. */
    private static List<Tensor> softmaxCrossEntropy(OnnxNode n) {
        Tensor x = n.in(0);
        if (!x.dtype().isFloating()) {
            throw n.unsupported("Janus computes it on floating tensors only");
        }
        Tensor m = reduce(Op.MAX, x, new int[] {1}, true);
        Tensor shifted = sub(x, m);
        Tensor logProb = sub(shifted, un(Op.LOG, reduce(Op.SUM, un(Op.EXP, shifted), new int[] {1}, true)));
        return List.of(nll(n, logProb), logProb);
    }

    /** Hann, Hamming and Blackman windows of a constant size (periodic by default). */
    private static Tensor window(OnnxNode n) {
        long size = n.constLongs(0)[0];
        boolean periodic = n.i("periodic", 1) != 0;
        double denom = periodic ? size : size - 1;
        double[] v = new double[(int) size];
        for (int k = 0; k < v.length; k++) {
            double a = 2 * Math.PI * k / denom;
            v[k] = switch (n.op()) {
                case "HannWindow" -> 0.5 - 0.5 * Math.cos(a);
                case "HammingWindow" -> 25.0 / 46 - (1 - 25.0 / 46) * Math.cos(a);
                default -> 0.42 - 0.5 * Math.cos(a) + 0.08 * Math.cos(2 * a);
            };
        }
        DType t = OnnxTensors.dtype((int) n.i("output_datatype", 1), "the window's output_datatype");
        try (var eager = dev.janus.ops.Dispatch.record(null)) {
            return Tensor.of(v).cast(t);
        }
    }
}
