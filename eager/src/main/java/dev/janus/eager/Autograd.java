package dev.janus.eager;

import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.ops.Gradients;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation over the tape of {@link GradNode}s: a topological order from the roots,
 * then each node's rule from {@link Gradients} in reverse. With {@code createGraph} the rules run with
 * gradient recording on, so their results can be differentiated again.
 */
final class Autograd {
    private Autograd() {}

    static void backward(EagerTensor root, Tensor gradient, boolean retainGraph, boolean createGraph) {
        Map<Tensor, Tensor> grads = run(new Tensor[] {root}, new Tensor[] {gradient}, retainGraph, createGraph);
        for (Map.Entry<Tensor, Tensor> e : grads.entrySet()) {
            EagerTensor t = (EagerTensor) e.getKey();
            if (t.isLeaf() && t.requiresGrad()) {
                Tensor g = e.getValue();
                Tensor old = t.grad();
                if (old == null) {
                    // NOTE: a rule may hand the same buffer to several inputs (add) or pass the seed through, so
                    // a leaf gets its own copy: in-place changes to one .grad() (clipping) must not reach another
                    try (var scope = createGraph ? Janus.enableGrad() : Janus.noGrad()) {
                        t.setGrad(createGraph ? g.copy() : g.copy().detach());
                    }
                } else {
                    try (var scope = createGraph ? Janus.enableGrad() : Janus.noGrad()) {
                        t.setGrad(old.add(g));
                    }
                }
            }
        }
    }

    static Tensor[] grad(Tensor[] outputs, Tensor[] gradOutputs, Tensor[] inputs, boolean retainGraph, boolean createGraph) {
        for (Tensor in : inputs) {
            if (!in.requiresGrad()) {
                throw new IllegalArgumentException("grad: an input of shape " + in.shape() + " does not require grad");
            }
        }
        Map<Tensor, Tensor> grads = run(outputs, gradOutputs, retainGraph, createGraph);
        Tensor[] r = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor g = grads.get(inputs[i]);
            r[i] = g == null ? Tensor.zerosLike(inputs[i]) : createGraph ? g : g.detach();
        }
        return r;
    }

    private static Tensor seed(Tensor root, Tensor gradient) {
        if (!root.requiresGrad()) {
            throw new IllegalArgumentException("backward: this tensor " + root.dtype().shortName() + root.shape()
                    + " does not require grad (no input of the computation had requiresGrad(true))");
        }
        if (gradient == null) {
            if (root.numel() != 1) {
                throw new IllegalArgumentException("backward() without a gradient needs a scalar output, got shape "
                        + root.shape() + "; pass backward(gradient) with that shape");
            }
            return Tensor.onesLike(root);
        }
        if (!gradient.shape().equals(root.shape())) {
            throw new IllegalArgumentException("backward: gradient shape " + gradient.shape() + " does not match output shape "
                    + root.shape());
        }
        return gradient.cast(root.dtype());
    }

    /** Gradients of every tensor reached from the roots, keyed by identity. */
    private static Map<Tensor, Tensor> run(Tensor[] roots, Tensor[] seeds, boolean retainGraph, boolean createGraph) {
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        for (int i = 0; i < roots.length; i++) {
            accumulate(grads, roots[i], seed(roots[i], seeds[i]));
        }
        List<EagerTensor> order = topologicalOrder(roots);
        try (var scope = createGraph ? Janus.enableGrad() : Janus.noGrad()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                EagerTensor t = order.get(i);
                Tensor g = grads.get(t);
                GradNode node = t.gradFn;
                if (g == null || node == null) {
                    continue;
                }
                if (node.inputs == null) {
                    throw new IllegalStateException("backward through op '" + node.op.opName() + "' a second time: its "
                            + "saved values were freed; pass retainGraph = true to the first backward call");
                }
                boolean[] needed = new boolean[node.inputs.length];
                for (int k = 0; k < needed.length; k++) {
                    needed[k] = node.inputs[k].requiresGrad();
                }
                Tensor[] inGrads = Gradients.vjp(node.op, node.attrs, node.inputs, t, g, needed);
                for (int k = 0; k < node.inputs.length; k++) {
                    Tensor in = node.inputs[k];
                    if (inGrads[k] != null && in.requiresGrad()) {
                        check(node, k, in, inGrads[k]);
                        accumulate(grads, in, inGrads[k]);
                    }
                }
                if (!retainGraph) {
                    node.inputs = null;
                }
            }
        }
        return grads;
    }

    private static void check(GradNode node, int k, Tensor in, Tensor g) {
        if (!g.shape().equals(in.shape())) {
            throw new IllegalStateException("gradient rule of '" + node.op.opName() + "' gave shape " + g.shape()
                    + " for input " + k + " of shape " + in.shape());
        }
    }

    private static void accumulate(Map<Tensor, Tensor> grads, Tensor t, Tensor g) {
        Tensor cast = g.dtype() == t.dtype() ? g : g.cast(t.dtype());
        grads.merge(t, cast, Tensor::add);
    }

    /** Tensors with a tape record, each after every tensor it was computed from (iterative DFS). */
    private static List<EagerTensor> topologicalOrder(Tensor[] roots) {
        List<EagerTensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object[]> stack = new ArrayDeque<>();
        for (Tensor r : roots) {
            if (visited.add(r)) {
                stack.push(new Object[] {r, 0});
            }
            while (!stack.isEmpty()) {
                Object[] frame = stack.peek();
                EagerTensor t = (EagerTensor) frame[0];
                int next = (Integer) frame[1];
                Tensor[] ins = t.gradFn == null || t.gradFn.inputs == null ? new Tensor[0] : t.gradFn.inputs;
                if (next < ins.length) {
                    frame[1] = next + 1;
                    Tensor in = ins[next];
                    if (in.requiresGrad() && visited.add(in)) {
                        stack.push(new Object[] {in, 0});
                    }
                } else {
                    stack.pop();
                    order.add(t);
                }
            }
        }
        return order;
    }
}
