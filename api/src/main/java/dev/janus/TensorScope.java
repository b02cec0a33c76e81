package dev.janus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Frees the memory of the tensors made inside it when it closes, instead of waiting for the garbage
 * collector: on a GPU that is the difference between a steady footprint and one that grows until a GC. Every
 * tensor created on this thread while the scope is open is closed with it, except the ones it {@link #keep}s
 * (handed to the enclosing scope, if any) and the ones that become long-lived state on their own: module
 * parameters and buffers, optimizer state. Gradients made by a backward inside the scope close with it, so
 * read them (or {@code keep} them) before it ends; the next {@code zeroGrad()} drops them anyway.
 *
 * <pre>{@code
 * for (Batch b : loader) {
 *     try (TensorScope scope = Janus.tensorScope()) {
 *         Tensor loss = F.crossEntropy(model.forward(b.x()), b.y());
 *         opt.zeroGrad(); loss.backward(); opt.step();   // gradients close with the scope
 *         losses.add(scope.keep(loss.detach()));
 *     }
 * }
 * }</pre>
 *
 * Scopes nest, belong to the thread that opened them, and must be closed in reverse order of opening.
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<TensorScope> CURRENT = new ThreadLocal<>();
    /** Scopes open on any thread: while none is, tracking a new tensor costs one volatile read, no thread-local. */
    private static final java.util.concurrent.atomic.AtomicInteger OPEN = new java.util.concurrent.atomic.AtomicInteger();

    private final TensorScope parent;
    private final Thread owner = Thread.currentThread();
    private final Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private TensorScope(TensorScope parent) {
        this.parent = parent;
    }

    /** Opens a scope on this thread (what {@link Janus#tensorScope()} does). */
    static TensorScope open() {
        TensorScope s = new TensorScope(CURRENT.get());
        CURRENT.set(s);
        OPEN.incrementAndGet();
        return s;
    }

    /**
     * Lets {@code t} outlive this scope: it moves to the enclosing scope, or to nobody (the garbage collector,
     * or an explicit {@code close()}) when this is the outermost. Returns {@code t}.
     */
    public <T extends Tensor> T keep(T t) {
        if (owned.remove(t) && parent != null) {
            parent.owned.add(t);
        }
        return t;
    }

    /** Called by engines for every tensor they create. */
    public static void track(Tensor t) {
        if (OPEN.get() == 0) {
            return;
        }
        TensorScope s = CURRENT.get();
        if (s != null) {
            s.owned.add(t);
        }
    }

    /** Called where a tensor becomes long-lived state (a parameter, optimizer state): no scope closes it. */
    public static void escape(Tensor t) {
        if (OPEN.get() == 0) {
            return;
        }
        for (TensorScope s = CURRENT.get(); s != null; s = s.parent) {
            s.owned.remove(t);
        }
    }

    /** Closes every tensor this scope still owns. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a TensorScope must be closed by the thread that opened it (" + owner.getName()
                    + "), not " + Thread.currentThread().getName());
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("TensorScopes must be closed in reverse order of opening: an inner scope "
                    + "opened after this one is still open");
        }
        closed = true;
        CURRENT.set(parent);
        OPEN.decrementAndGet();
        List<Tensor> toClose = new ArrayList<>(owned);
        owned.clear();
        for (Tensor t : toClose) {
            t.close();
        }
    }
}
