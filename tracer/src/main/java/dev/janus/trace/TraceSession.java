package dev.janus.trace;

import dev.janus.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
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
    /**
     * One enclosing data-dependent region: the creation number at which it began, and for a loop body the
     * lists it appends to ({@link ScannedLists}), else null.
     */
    private record Region(long start, ScannedLists.Collector scan) {}

    /** The enclosing data-dependent regions, innermost last. */
    private final Deque<Region> regions = new ArrayDeque<>();
    /** Lists filled by data-dependent loops: their contents as stacked pieces ({@link ScannedLists}), by identity. */
    private final Map<Object, List<Tensor>> scannedLists = new IdentityHashMap<>();
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
        return n != null && (regions.isEmpty() || n >= regions.peekLast().start());
    }

    /** True when {@code o} was created in the region around the innermost one, before the innermost began. */
    boolean createdJustOutsideCurrentRegion(Object o) {
        Long n = created.get(o);
        if (n == null || regions.isEmpty()) {
            return false;
        }
        Iterator<Region> it = regions.descendingIterator();
        long innerStart = it.next().start();
        long outerStart = it.hasNext() ? it.next().start() : 0;
        return n >= outerStart && n < innerStart;
    }

    /** The collector of the innermost region when that is a loop body, else null. */
    ScannedLists.Collector scanCollector() {
        return regions.isEmpty() ? null : regions.peekLast().scan();
    }

    /** The stacked pieces of a list filled by a data-dependent loop, or null for any other object. */
    List<Tensor> scannedList(Object list) {
        return scannedLists.get(list);
    }

    void setScannedList(Object list, List<Tensor> pieces) {
        scannedLists.put(list, pieces);
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
        return !regions.isEmpty();
    }

    /** Enters a data-dependent branch, or a loop body when {@code scan} (the body's list appends) is not null. */
    void enterSymbolicRegion(ScannedLists.Collector scan) {
        regions.addLast(new Region(createdCount, scan));
    }

    void exitSymbolicRegion() {
        regions.removeLast();
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
