package dev.janus.ops;

import dev.janus.Tensor;
import dev.janus.spi.Engine;

/** Hands a primitive op to the engine of its inputs (the highest-priority one when they differ). */
public final class Dispatch {
    private Dispatch() {}

    /** Runs or records {@code op} on {@code inputs}. */
    public static Tensor apply(Op op, Attrs attrs, Tensor... inputs) {
        Engine e = inputs[0].engine();
        for (int i = 1; i < inputs.length; i++) {
            Engine other = inputs[i].engine();
            if (other != e && other.priority() > e.priority()) {
                e = other;
            }
        }
        return e.apply(op, attrs, inputs);
    }
}
