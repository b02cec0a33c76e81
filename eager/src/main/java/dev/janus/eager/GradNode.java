package dev.janus.eager;

import dev.janus.Tensor;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;

/** One recorded op on the autograd tape: enough to run its gradient rule later. */
final class GradNode {
    final Op op;
    final Attrs attrs;
    /** The op's inputs; cleared after a backward pass unless the graph is retained. */
    Tensor[] inputs;

    GradNode(Op op, Attrs attrs, Tensor[] inputs) {
        this.op = op;
        this.attrs = attrs;
        this.inputs = inputs;
    }
}
