package dev.janus.trace;

import dev.janus.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The state of one trace: what was created inside it, which inputs it read dims of, how deep it is. */
final class TraceSession {
    /** More nested user calls than this is taken for runaway recursion. */
    static final int MAX_CALL_DEPTH = 200;

    /** Objects and arrays created by the traced code: the only Java objects it may write to. */
    private final Set<Object> created = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The graph inputs, by tensor identity: argument index and name. */
    private final Map<Tensor, Integer> inputArgs = new IdentityHashMap<>();
    private final List<String> argNames;
    /** Guards the traced code added by reading sizes of dynamic dims. */
    private final Set<Guard> readGuards = new LinkedHashSet<>();
    private int symbolicDepth;
    private int callDepth;

    TraceSession(List<String> argNames) {
        this.argNames = argNames;
    }

    void created(Object o) {
        created.add(o);
    }

    boolean wasCreated(Object o) {
        return created.contains(o);
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
        return symbolicDepth > 0;
    }

    void enterSymbolicRegion() {
        symbolicDepth++;
    }

    void exitSymbolicRegion() {
        symbolicDepth--;
    }

    void enterCall(Activation a) {
        if (++callDepth > MAX_CALL_DEPTH) {
            callDepth--;
            throw a.error("call nesting deeper than " + MAX_CALL_DEPTH, "recursion that does not end on concrete "
                    + "values cannot be unrolled; bound it by a concrete value or move it out of the traced method");
        }
    }

    void exitCall() {
        callDepth--;
    }
}
