package dev.janus.graph.passes;

import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphRewriter;
import dev.janus.graph.Node;
import dev.janus.ops.Dispatch;
import dev.janus.ops.Op;

/**
 * Evaluates, once, every node whose inputs are all constants, and makes its output a constant. The value
 * keeps its id, so its users are unchanged:
 *
 * <pre>
 * before:
 *   const %1:f32[3]
 *   const %3:f32[] = 2.0
 *   %2:f32[3] = exp(%1)   # Net.java:12
 *   %4:f32[3] = mul(%2, %3)   # Net.java:12
 *   %5:f32[2, 3] = add(%x, %4)   # Net.java:12
 * after:
 *   const %1:f32[3]
 *   const %3:f32[] = 2.0
 *   const %2:f32[3]
 *   const %4:f32[3]
 *   %5:f32[2, 3] = add(%x, %4)   # Net.java:12
 * </pre>
 *
 * <p>Folding runs the op eagerly ({@link Dispatch#apply} under {@link Janus#noGrad()}) with the same kernels
 * the executor would use, so results are unchanged bit for bit. Constants left without users stay in the
 * graph; {@link EliminateDeadCode} removes them.
 *
 * <p>Soundness limits: parameters are never folded, nor is anything computed from one, because they are live
 * (the graph reads the model's current weights at each run). A node whose output would have more than
 * {@code maxElements} elements is kept, so an {@code expand} of a scalar cannot blow a constant up into a huge
 * tensor that the graph then holds for ever. A node whose eager evaluation fails (an out-of-range gather index,
 * say) is kept unfolded, so the failure surfaces when the graph runs, naming the node's source line. An output
 * that folds is returned by the executor as this one constant tensor on every run (it does not copy), so a
 * caller must not assign into it. Folding assumes every op is pure and deterministic, which holds for all
 * current primitives (none is random). {@link Op#CUSTOM} nodes are never folded (their kernels are user code).
 */
public final class FoldConstants implements Pass {
    /** The default largest result, in elements, that is folded: 2^20. */
    public static final long DEFAULT_MAX_ELEMENTS = 1L << 20;

    private final long maxElements;

    /** Folds results of up to {@link #DEFAULT_MAX_ELEMENTS} elements. */
    public FoldConstants() {
        this(DEFAULT_MAX_ELEMENTS);
    }

    /** Folds results of up to {@code maxElements} elements. */
    public FoldConstants(long maxElements) {
        if (maxElements < 0) {
            throw new IllegalArgumentException("maxElements must be ≥ 0, got " + maxElements);
        }
        this.maxElements = maxElements;
    }

    @Override
    public Graph apply(Graph graph) {
        GraphRewriter r = new GraphRewriter(graph);
        for (Node n : graph.nodes()) {
            if (n.isControl()) {
                r.emit(n); // control nodes are kept whole; their subgraphs are optimized on their own
                continue;
            }
            Tensor folded = fold(r, n);
            if (folded != null) {
                r.addConstant(n.output(), folded);
            } else {
                r.emit(n);
            }
        }
        return r.build();
    }

    /** The value of {@code n} when all its inputs are constants and the result is small enough, else null. */
    private Tensor fold(GraphRewriter r, Node n) {
        // NOTE: custom ops are never folded: their kernels are user code (maybe costly, maybe impure), and a
        // folded node would vanish from archives and from the graph the user inspects
        if (n.op() == Op.CUSTOM || n.output().spec().shape().numel() > maxElements) {
            return null;
        }
        Tensor[] args = new Tensor[n.inputs().size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = r.constant(r.resolve(n.inputs().get(i)));
            if (args[i] == null) {
                return null;
            }
        }
        // NOTE: record(null) runs the op even when a graph capture is recording on this thread.
        try (var noGrad = Janus.noGrad(); var eager = Dispatch.record(null)) {
            return Dispatch.apply(n.op(), n.attrs(), args).detach();
        } catch (RuntimeException e) {
            // left for the executor, which reports the failure with the node and its source line
            return null;
        }
    }
}
