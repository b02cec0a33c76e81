package dev.janus;

import dev.janus.spi.Engines;

/**
 * Global switches: the default random generator, gradient recording and anomaly detection. The switches are
 * per thread, so a server thread running inference without gradients does not affect a training thread.
 *
 * <pre>{@code
 * Janus.manualSeed(42);
 * try (var g = Janus.noGrad()) { y = model.forward(x); }
 * }</pre>
 */
public final class Janus {
    private static volatile Generator defaultGenerator = new Generator(0x5EEDL);
    private static final ThreadLocal<boolean[]> GRAD = ThreadLocal.withInitial(() -> new boolean[] {true});
    private static final ThreadLocal<boolean[]> ANOMALY = ThreadLocal.withInitial(() -> new boolean[] {false});

    private Janus() {}

    /** A scope that restores the previous setting of a thread-local switch when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Resets the default generator, so that {@code Tensor.randn(3)} repeats across runs. */
    public static void manualSeed(long seed) {
        defaultGenerator = new Generator(seed);
    }

    /** The generator used when none is passed. */
    public static Generator defaultGenerator() {
        return defaultGenerator;
    }

    /**
     * Opens a {@link TensorScope} on this thread: the tensors made until it closes are closed with it (their
     * device memory given back at once) unless kept.
     */
    public static TensorScope tensorScope() {
        return TensorScope.open();
    }

    /** Turns gradient recording off on this thread until the scope closes. */
    public static Scope noGrad() {
        return set(GRAD, false);
    }

    /** Turns gradient recording on (for example inside a {@link #noGrad()} scope). */
    public static Scope enableGrad() {
        return set(GRAD, true);
    }

    public static boolean isGradEnabled() {
        return GRAD.get()[0];
    }

    /**
     * Anomaly mode: the first op that produces NaN or Inf throws, naming the op and its input shapes.
     * Costs a scan of every output, so it is for debugging.
     */
    public static Scope detectAnomaly() {
        return set(ANOMALY, true);
    }

    public static boolean isAnomalyEnabled() {
        return ANOMALY.get()[0];
    }

    private static Scope set(ThreadLocal<boolean[]> flag, boolean value) {
        boolean[] cell = flag.get();
        boolean old = cell[0];
        cell[0] = value;
        return () -> cell[0] = old;
    }

    /**
     * Gradients of {@code output} with respect to {@code inputs}, returned rather than accumulated; with
     * {@code createGraph} they are differentiable again (for second-order gradients).
     */
    public static Tensor[] grad(Tensor output, Tensor[] inputs, boolean createGraph) {
        return Engines.factory().grad(new Tensor[] {output}, new Tensor[] {null}, inputs, createGraph, createGraph);
    }

    /** As {@link #grad(Tensor, Tensor[], boolean)} for a non-scalar output weighted by {@code gradOutput}. */
    public static Tensor[] grad(Tensor output, Tensor gradOutput, Tensor[] inputs, boolean createGraph) {
        return Engines.factory().grad(new Tensor[] {output}, new Tensor[] {gradOutput}, inputs, createGraph, createGraph);
    }
}
