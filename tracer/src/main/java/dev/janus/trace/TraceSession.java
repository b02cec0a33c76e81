package dev.janus.trace;

import dev.janus.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The state of one trace: what was created inside it, which inputs it read dims of, how deep it is. */
final class TraceSession {
    /** More nested user calls than this is taken for runaway recursion. */
    static final int MAX_CALL_DEPTH = 200;
    /** More interpreted instructions than this is taken for a loop that does not end. */
    static final long MAX_INSTRUCTIONS = 50_000_000L;

    /**
     * Objects and arrays created by the traced code, the only Java objects it may write to, each with a
     * creation number: inside a data-dependent branch or loop body only those created there may be written.
     */
    private final Map<Object, Long> created = new IdentityHashMap<>();
    private long createdCount;
    /** The creation number at which each enclosing data-dependent region began, innermost last. */
    private final Deque<Long> regionStarts = new ArrayDeque<>();
    /** The graph inputs, by tensor identity: argument index and name. */
    private final Map<Tensor, Integer> inputArgs = new IdentityHashMap<>();
    private final List<String> argNames;
    /** Guards the traced code added by reading sizes of dynamic dims. */
    private final Set<Guard> readGuards = new LinkedHashSet<>();
    private int callDepth;
    private long instructions;

    TraceSession(List<String> argNames) {
        this.argNames = argNames;
    }

    void created(Object o) {
        created.putIfAbsent(o, createdCount++);
    }

    boolean wasCreated(Object o) {
        return created.containsKey(o);
    }

    /** True when {@code o} was created inside the innermost data-dependent region (or anywhere, outside one). */
    boolean createdInCurrentRegion(Object o) {
        Long n = created.get(o);
        return n != null && (regionStarts.isEmpty() || n >= regionStarts.peekLast());
    }

    void input(Tensor symbolic, int argIndex) {
        inputArgs.put(symbolic, argIndex);
    }

    /** The argument index of a graph input tensor, or -1 for any other tensor. */
    int argOf(Tensor t) {
        Integer i = inputArgs.get(t);
        return i == null ? -1 : i;
    }

    String argName(int arg) {
        return arg >= 0 && arg < argNames.size() ? argNames.get(arg) : null;
    }

    void addGuard(Guard g) {
        readGuards.add(g);
    }

    List<Guard> readGuards() {
        return new ArrayList<>(readGuards);
    }

    /** True while recording a data-dependent branch or loop body, where Java side effects would run once. */
    boolean inSymbolicRegion() {
        return !regionStarts.isEmpty();
    }

    void enterSymbolicRegion() {
        regionStarts.addLast(createdCount);
    }

    void exitSymbolicRegion() {
        regionStarts.removeLast();
    }

    void enterCall(Activation a) {
        if (++callDepth > MAX_CALL_DEPTH) {
            callDepth--;
            throw a.error("call nesting deeper than " + MAX_CALL_DEPTH, "recursion that does not end on concrete "
                    + "values cannot be unrolled; bound it by a concrete value or move it out of the traced method");
        }
    }

    /** Counts one interpreted instruction. */
    void step(Activation a) {
        if (++instructions > MAX_INSTRUCTIONS) {
            throw a.error("more than " + MAX_INSTRUCTIONS + " interpreted instructions", "a loop whose condition is "
                    + "known while tracing unrolls completely; one that never ends on concrete values never finishes "
                    + "tracing: make its condition data-dependent or bound it");
        }
    }

    void exitCall() {
        callDepth--;
    }
}
