package dev.janus.ops;

import dev.janus.Tensor;
import dev.janus.spi.Engine;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands a primitive op to the engine of its inputs (the highest-priority one when they differ), or, while a
 * graph capture is recording on this thread, to the recording engine — so that arithmetic on concrete
 * tensors inside a captured function (an optimizer's update of its weights) is recorded rather than run.
 */
public final class Dispatch {
    private static final ThreadLocal<Engine> RECORDING = new ThreadLocal<>();
    private static final ThreadLocal<Observer> OBSERVER = new ThreadLocal<>();
    /** Observers installed on any thread: while there are none, an op pays one volatile read for them. */
    private static final AtomicInteger OBSERVING = new AtomicInteger();

    /**
     * Sees each op an engine runs on the thread it was installed on (ops being recorded into a graph are not
     * run, and not seen): for debugging tools, such as the tracer's comparison of a graph with the eager code.
     */
    @FunctionalInterface
    public interface Observer {
        /** {@code op} ran on {@code inputs} and gave {@code output}; ops the observer itself runs are not seen. */
        void applied(Op op, Attrs attrs, Tensor[] inputs, Tensor output);
    }

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

    /**
     * Shows {@code observer} every op run on this thread until the returned scope closes (then the previous
     * observer, if any, is back). Off by default; while no thread observes, it costs nothing measurable.
     *
     * <pre>{@code
     * List<Op> ops = new ArrayList<>();
     * try (var seen = Dispatch.observe((op, attrs, in, out) -> ops.add(op))) {
     *     model.forward(x);
     * }
     * }</pre>
     */
    public static dev.janus.Janus.Scope observe(Observer observer) {
        Observer previous = OBSERVER.get();
        OBSERVER.set(observer);
        OBSERVING.incrementAndGet();
        return () -> {
            OBSERVER.set(previous);
            OBSERVING.decrementAndGet();
        };
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
        Tensor out = e.apply(op, attrs, inputs);
        if (OBSERVING.get() != 0) {
            notifyObserver(op, attrs, inputs, out);
        }
        return out;
    }

    private static void notifyObserver(Op op, Attrs attrs, Tensor[] inputs, Tensor out) {
        Observer o = OBSERVER.get();
        if (o == null) {
            return;
        }
        OBSERVER.set(null); // ops the observer runs itself are not shown to it
        try {
            o.applied(op, attrs, inputs, out);
        } finally {
            OBSERVER.set(o);
        }
    }
}
