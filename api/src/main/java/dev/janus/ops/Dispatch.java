package dev.janus.ops;

import dev.janus.Tensor;
import dev.janus.spi.Engine;

/**
 * Hands a primitive op to the engine of its inputs (the highest-priority one when they differ), or, while a
 * graph capture is recording on this thread, to the recording engine — so that arithmetic on concrete
 * tensors inside a captured function (an optimizer's update of its weights) is recorded rather than run.
 */
public final class Dispatch {
    private static final ThreadLocal<Engine> RECORDING = new ThreadLocal<>();

    private Dispatch() {}

    /** The engine recording on this thread, or null. */
    public static Engine recording() {
        return RECORDING.get();
    }

    /** Makes {@code engine} record every op on this thread until the returned scope closes. */
    public static dev.janus.Janus.Scope record(Engine engine) {
        Engine previous = RECORDING.get();
        RECORDING.set(engine);
        return () -> RECORDING.set(previous);
    }

    /** Runs or records {@code op} on {@code inputs}. */
    public static Tensor apply(Op op, Attrs attrs, Tensor... inputs) {
        Engine recording = RECORDING.get();
        if (recording != null) {
            return recording.apply(op, attrs, inputs);
        }
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
