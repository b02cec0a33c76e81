package dev.janus.graph;

import dev.janus.Tensor;
import dev.janus.ops.Gradients;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Graph autodiff: extends a graph with the gradients of one scalar output with respect to chosen inputs or
 * parameters. It runs the op catalogue's own VJP rules ({@link Gradients}) on symbolic tensors, so a graph
 * computes exactly the gradients the eager tape does — there is no second set of formulas. Gradient nodes
 * carry the source line of the forward node they differentiate.
 *
 * <pre>{@code
 * Graph g = GraphCapture.capture(model, x -> F.crossEntropy(model.forward(x), y), spec);
 * Graph withGrads = Autodiff.gradients(g, 0, new ArrayList<>(g.parameters().keySet()));
 * Tensor[] lossAndGrads = new Executor(withGrads).run(batch);
 * }</pre>
 *
 * <p>Limits: the differentiated output must be a scalar; gradients of the backward-only kernels
 * (CONV2D_WEIGHT_GRAD, MAX_POOL2D_GRAD) are not defined, so second-order graphs through convolution weights
 * or max pooling fail with the rule's message. Control-flow nodes do not exist yet.
 */
public final class Autodiff {
    private Autodiff() {}

    /**
     * A new graph whose outputs are {@code g}'s outputs followed by d(output {@code outputIndex}) / d(each of
     * {@code wrt}), in order. A value the output does not depend on gets a zero gradient.
     */
    public static Graph gradients(Graph g, int outputIndex, List<Value> wrt) {
        Value loss = g.outputs().get(outputIndex);
        if (loss.spec().shape().numel() != 1 || !loss.spec().dtype().isFloating()) {
            throw new IllegalArgumentException("autodiff needs a floating scalar output, got " + loss);
        }
        GraphBuilder b = GraphBuilder.continuing(g);
        Map<Value, Tensor> grads;
        try (var rec = dev.janus.ops.Dispatch.record(b)) {
            grads = reverse(b, g.nodes(), loss, wrt);
        }
        List<Tensor> outs = new ArrayList<>();
        for (Value v : wrt) {
            Tensor gv = grads.get(v);
            outs.add(gv != null ? gv : Tensor.zerosLike(b.symbolic(v)));
        }
        Graph result = b.buildWith(new ArrayList<>(g.outputs()), outs);
        result.verify();
        return result;
    }

    /**
     * The reverse pass over {@code nodes}, recording into {@code b}: gradients of the scalar {@code loss} for
     * every value that depends on {@code wrt}, keyed by value.
     */
    static Map<Value, Tensor> reverse(GraphBuilder b, List<Node> nodes, Value loss, List<Value> wrt) {
        Set<Value> needed = dependsOn(nodes, wrt);
        Map<Value, Tensor> grads = new IdentityHashMap<>();
        grads.put(loss, Tensor.onesLike(b.symbolic(loss)));
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.isControl()) {
                if (n.outputs().stream().anyMatch(v -> grads.containsKey(v) && needed.contains(v))) {
                    throw new UnsupportedOperationException("graph autodiff cannot differentiate through '"
                            + n.op().opName() + "' recorded at " + n.location());
                }
                continue;
            }
            Tensor gOut = grads.get(n.output());
            if (gOut == null || !needed.contains(n.output())) {
                continue;
            }
            Tensor[] ins = new Tensor[n.inputs().size()];
            for (int k = 0; k < ins.length; k++) {
                ins[k] = b.symbolic(n.inputs().get(k));
            }
            b.locationOverride(n.location());
            Tensor[] inGrads;
            try {
                inGrads = Gradients.vjp(n.op(), n.attrs(), ins, b.symbolic(n.output()), gOut);
            } finally {
                b.locationOverride(null);
            }
            for (int k = 0; k < ins.length; k++) {
                Value in = n.inputs().get(k);
                if (inGrads[k] != null && needed.contains(in)) {
                    grads.merge(in, inGrads[k].cast(in.spec().dtype()), Tensor::add);
                }
            }
        }
        return grads;
    }

    /** Values that depend on any of {@code wrt} (including them): only these need gradients. */
    private static Set<Value> dependsOn(List<Node> nodes, List<Value> wrt) {
        Set<Value> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(wrt);
        for (Node n : nodes) {
            for (Value in : n.uses()) {
                if (s.contains(in)) {
                    for (Value out : n.outputs()) {
                        if (out.spec().dtype().isFloating()) {
                            s.add(out);
                        }
                    }
                    break;
                }
            }
        }
        return s;
    }
}
