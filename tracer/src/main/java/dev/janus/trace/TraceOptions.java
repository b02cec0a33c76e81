package dev.janus.trace;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How to trace: which tensor dims and which scalar arguments may change between calls without a retrace,
 * and what to do when a call needs one. Immutable; each method returns a changed copy. Argument indices
 * count the traced method's parameters (the receiver is not one).
 *
 * <pre>{@code
 * TraceOptions o = TraceOptions.defaults().dynamicDims(0, 0).dynamicScalars(1);   // any batch size, any T
 * }</pre>
 */
public final class TraceOptions {
    private static final TraceOptions DEFAULTS = new TraceOptions(Map.of(), Set.of(), RetracePolicy.WARN, 8);

    private final Map<Integer, Long> dynamicDims;
    private final Set<Integer> dynamicScalars;
    private final RetracePolicy policy;
    private final int maxGraphs;

    private TraceOptions(Map<Integer, Long> dynamicDims, Set<Integer> dynamicScalars, RetracePolicy policy,
            int maxGraphs) {
        this.dynamicDims = Map.copyOf(dynamicDims);
        this.dynamicScalars = Set.copyOf(dynamicScalars);
        this.policy = policy;
        this.maxGraphs = maxGraphs;
    }

    /** No dynamic dims or scalars, policy WARN, at most 8 cached graphs. */
    public static TraceOptions defaults() {
        return DEFAULTS;
    }

    /** Dims {@code dims} of tensor argument {@code arg} may take any size (negative dims count from the end). */
    public TraceOptions dynamicDims(int arg, int... dims) {
        Map<Integer, Long> m = new HashMap<>(dynamicDims);
        m.put(arg, m.getOrDefault(arg, 0L) | encode(dims));
        return new TraceOptions(m, dynamicScalars, policy, maxGraphs);
    }

    /** Bit d for dim d >= 0; bit 32 + k for dim -(k+1), resolved once the tensor's rank is known. */
    private static long encode(int[] dims) {
        long mask = 0;
        for (int d : dims) {
            if (d < -32 || d >= 32) {
                throw new IllegalArgumentException("dynamic dims must be in [-32, 32), got " + d);
            }
            mask |= d >= 0 ? 1L << d : 1L << (32 + (-d - 1));
        }
        return mask;
    }

    /**
     * The numeric arguments {@code args} ({@code int}, {@code long}, {@code float}, {@code double}) become graph
     * inputs: one graph serves every value (a loop bound, a scale), instead of one graph per value.
     */
    public TraceOptions dynamicScalars(int... args) {
        Set<Integer> s = new HashSet<>(dynamicScalars);
        Arrays.stream(args).forEach(s::add);
        return new TraceOptions(dynamicDims, s, policy, maxGraphs);
    }

    public TraceOptions policy(RetracePolicy p) {
        return new TraceOptions(dynamicDims, dynamicScalars, p, maxGraphs);
    }

    /** At most {@code n} graphs are kept per traced function; the least recently used goes first. */
    public TraceOptions maxGraphs(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxGraphs must be at least 1, got " + n);
        }
        return new TraceOptions(dynamicDims, dynamicScalars, policy, n);
    }

    /** The dynamic dims of tensor argument {@code arg} for a tensor of rank {@code rank}, as a bit mask. */
    long dynamicMask(int arg, int rank) {
        long encoded = dynamicDims.getOrDefault(arg, 0L);
        long mask = encoded & 0xFFFF_FFFFL;
        for (int k = 0; k < 32; k++) {
            if ((encoded & (1L << (32 + k))) != 0 && rank - 1 - k >= 0) {
                mask |= 1L << (rank - 1 - k);
            }
        }
        return mask & (rank >= 64 ? -1L : (1L << rank) - 1);
    }

    boolean isDynamicScalar(int arg) {
        return dynamicScalars.contains(arg);
    }

    RetracePolicy policy() {
        return policy;
    }

    int maxGraphs() {
        return maxGraphs;
    }

    @Override
    public String toString() {
        return "TraceOptions{dynamicDims=" + dynamicDims + ", dynamicScalars=" + dynamicScalars + ", policy=" + policy
                + ", maxGraphs=" + maxGraphs + "}";
    }
}
