package dev.janus.trace;

import dev.janus.graph.SourceLocation;
import java.util.Optional;

/**
 * What {@link TracedFunction#verifyAgainstEager} found: whether the traced graph computes what the eager
 * method computes and, if not, the first graph node whose value differs from the eager op at the same source
 * line. Its text form is meant to be printed.
 *
 * <pre>{@code
 * VerifyReport r = traced.verifyAgainstEager(x);
 * if (!r.agrees()) System.out.println(r);   // names the node, its line, both values
 * }</pre>
 *
 * @param function        the traced method's display name
 * @param firstDivergence the first node (in the order the graph ran them) whose value differs, if any
 * @param outputsAgree    whether the graph's results equal the eager method's
 * @param compared        how many node runs were compared with an eager op
 * @param nodeRuns        how many primitive node runs the graph made
 */
public record VerifyReport(String function, Optional<Divergence> firstDivergence, boolean outputsAgree, int compared,
        int nodeRuns) {

    /**
     * A node whose value differs from the eager value recorded at the same position.
     *
     * @param node       the node's text form ({@code %7:f32[2, 3] = mul(%5, %6)   # Net.java:18})
     * @param location   where it was recorded
     * @param run        which run of a node with this line, op and dtype it was (1 = first; more in loops)
     * @param graphValue the graph's value: dtype, shape and first elements
     * @param eagerValue the eager value, the same way
     * @param maxAbsDiff the largest elementwise difference (infinite when the shapes differ)
     */
    public record Divergence(String node, SourceLocation location, int run, String graphValue, String eagerValue,
            double maxAbsDiff) {}

    /** True when no compared node and no output differs. */
    public boolean agrees() {
        return firstDivergence.isEmpty() && outputsAgree;
    }

    @Override
    public String toString() {
        String coverage = compared + " of " + nodeRuns + " node runs compared with the eager op at the same line";
        if (agrees()) {
            return "verifyAgainstEager " + function + ": the graph agrees with the eager code (" + coverage + ")";
        }
        if (firstDivergence.isEmpty()) {
            return "verifyAgainstEager " + function + ": the results differ, but no node compared with an eager op does ("
                    + coverage + "); the difference comes from a node no eager op matched (see explain())";
        }
        Divergence d = firstDivergence.get();
        return "verifyAgainstEager " + function + ": the graph first differs from the eager code at " + d.location()
                + (d.run() > 1 ? " (run " + d.run() + " of that line)" : "") + "\n"
                + "  node:  " + d.node().lines().findFirst().orElse("") + "\n"
                + "  graph: " + d.graphValue() + "\n"
                + "  eager: " + d.eagerValue() + "\n"
                + "  max |graph - eager| = " + d.maxAbsDiff() + "\n"
                + "  (" + coverage + "; results " + (outputsAgree ? "agree" : "differ") + ")\n"
                + "  if the trace baked in a value that has changed since (a field of the model), trace again";
    }
}
