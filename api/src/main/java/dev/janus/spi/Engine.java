package dev.janus.spi;

import dev.janus.Tensor;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;

/**
 * What runs a primitive op on tensors of one kind: the eager engine executes it now, the graph engine
 * records a node. When tensors of several engines meet in one op, the engine with the highest
 * {@link #priority()} takes the op (a symbolic tensor outranks an eager one, so eager weights become graph
 * parameters).
 */
public interface Engine {
    /** Higher wins when tensors of different engines meet. Eager is 0. */
    int priority();

    /** Runs or records {@code op}; inputs have already passed no checks — the engine runs the shape rules. */
    Tensor apply(Op op, Attrs attrs, Tensor... inputs);

    /**
     * Called when a concrete tensor is assigned a value computed by this engine ({@code weight.assign(x)}
     * with a symbolic {@code x}): a recording engine records the write, to be carried out when its graph runs.
     */
    default void recordAssign(Tensor target, Tensor value) {
        throw new UnsupportedOperationException("this engine cannot record an assignment into " + target.shape());
    }
}
