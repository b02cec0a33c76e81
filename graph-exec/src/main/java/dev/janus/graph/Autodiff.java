package dev.janus.graph;

import dev.janus.Tensor;
import dev.janus.ops.Gradients;
import dev.janus.ops.Op;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

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
 * or max pooling fail with the rule's message.
 *
 * <p>Control flow ({@link ControlFlowGradients}): a loop with a constant trip count whose condition stays true
 * (a constant, passed through by the body) is unrolled — the forward is re-recorded with the body inline once
 * per iteration — and the unrolled code is differentiated; so is a fused kernel, inline. An IF gets an IF of
 * gradients on the same condition, each branch recomputing its forward branch. A loop with a data-dependent
 * trip count or condition on the gradient's path fails with {@link UnsupportedOperationException} naming its
 * line.
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
        Set<Node> toInline = loopsAndKernelsOnPath(g, loss, wrt);
        GraphBuilder b;
        UnaryOperator<Value> now;
        if (toInline.isEmpty()) {
            b = GraphBuilder.continuing(g);
            now = v -> v;
        } else {
            // NOTE: the forward is re-recorded with those loops unrolled, so they run once, not twice
            b = GraphBuilder.continuing(new Graph(g.inputs(), g.parameters(), g.constants(), List.of(), List.of()));
            Replay forward = new Replay(b, toInline::contains);
            forward.run(g.nodes());
            now = v -> b.lift(forward.get(v), SourceLocation.UNKNOWN);
        }
        List<Value> wrtNow = new ArrayList<>();
        for (Value v : wrt) {
            wrtNow.add(now.apply(v));
        }
        Map<Value, Tensor> grads;
        try (var rec = dev.janus.ops.Dispatch.record(b)) {
            grads = reverse(b, b.recordedNodes(), now.apply(loss), wrtNow);
        }
        List<Tensor> outs = new ArrayList<>();
        for (Value v : wrtNow) {
            Tensor gv = grads.get(v);
            outs.add(gv != null ? gv : Tensor.zerosLike(b.symbolic(v)));
        }
        List<Value> forwardOuts = new ArrayList<>();
        for (Value v : g.outputs()) {
            forwardOuts.add(now.apply(v));
        }
        Graph result = b.buildWith(forwardOuts, outs);
        result.verify();
        return result;
    }

    /**
     * The reverse pass over {@code nodes}, recording into {@code b}: gradients of the scalar {@code loss} for
     * every value that depends on {@code wrt}, keyed by value.
     */
    static Map<Value, Tensor> reverse(GraphBuilder b, List<Node> nodes, Value loss, List<Value> wrt) {
        Map<Value, Tensor> seeds = new IdentityHashMap<>();
        seeds.put(loss, Tensor.onesLike(b.symbolic(loss)));
        return reverse(b, nodes, seeds, wrt);
    }

    /**
     * The reverse pass from several seeds: {@code seeds} maps values to the gradients flowing into them. Returns
     * the gradient of every value that depends on {@code wrt} and receives one (the seeds included).
     */
    static Map<Value, Tensor> reverse(GraphBuilder b, List<Node> nodes, Map<Value, Tensor> seeds,
            Collection<Value> wrt) {
        Set<Value> needed = dependsOn(nodes, wrt);
        Map<Value, Tensor> grads = new IdentityHashMap<>(seeds);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.outputs().stream().noneMatch(v -> grads.containsKey(v) && needed.contains(v))) {
                continue;
            }
            Map<Value, Tensor> inGrads = n.isControl() ? ControlFlowGradients.vjp(b, n, grads, needed)
                    : primitiveVjp(b, n, grads.get(n.output()));
            inGrads.forEach((in, gIn) -> {
                if (needed.contains(in)) {
                    grads.merge(in, gIn.cast(in.spec().dtype()), Tensor::add);
                }
            });
        }
        return grads;
    }

    /** The gradients of a primitive's inputs by the catalogue's VJP rule, recorded at the node's line. */
    private static Map<Value, Tensor> primitiveVjp(GraphBuilder b, Node n, Tensor gOut) {
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
        Map<Value, Tensor> out = new IdentityHashMap<>();
        for (int k = 0; k < ins.length; k++) {
            if (inGrads[k] != null) {
                out.merge(n.inputs().get(k), inGrads[k], Tensor::add);
            }
        }
        return out;
    }

    /** The loops and fused nodes of {@code g} that gradients of {@code loss} with respect to {@code wrt} pass. */
    private static Set<Node> loopsAndKernelsOnPath(Graph g, Value loss, List<Value> wrt) {
        Set<Value> dependent = dependsOn(g.nodes(), wrt);
        Set<Value> feedsLoss = Collections.newSetFromMap(new IdentityHashMap<>());
        feedsLoss.add(loss);
        Set<Node> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = g.nodes().size() - 1; i >= 0; i--) {
            Node n = g.nodes().get(i);
            if (n.outputs().stream().anyMatch(feedsLoss::contains)) {
                feedsLoss.addAll(n.uses());
                if ((n.op() == Op.LOOP || n.op() == Op.FUSED) && n.outputs().stream().anyMatch(dependent::contains)) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** Values that depend on any of {@code wrt} (including them): only these need gradients. */
    private static Set<Value> dependsOn(List<Node> nodes, Collection<Value> wrt) {
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
