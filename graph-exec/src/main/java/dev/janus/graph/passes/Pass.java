package dev.janus.graph.passes;

import dev.janus.graph.Graph;

/**
 * One graph-to-graph optimization: a pure function that never changes its input graph (graphs are immutable)
 * and returns an equivalent one, or the same graph when it has nothing to do. Passes keep node source
 * locations, the graph's inputs and the order of its outputs; {@link PassManager} runs a list of them and
 * verifies the graph after each.
 *
 * <pre>{@code
 * Graph smaller = new EliminateDeadCode().apply(graph);
 * }</pre>
 */
public interface Pass {
    /**
     * The name {@code janus.dumpAfter} and {@link PassManager#dumpAfter} use: the class's simple name, so a
     * pass written as a lambda should be a named class instead (or override this).
     */
    default String name() {
        return getClass().getSimpleName();
    }

    /** The rewritten graph; {@code graph} itself is left unchanged. */
    Graph apply(Graph graph);

    /**
     * True when {@link PassManager} should also run this pass on the branches and bodies of {@code if} and
     * {@code loop} nodes (a loop body is where a recurrent model spends its time). A pass that says so must be
     * correct on a graph whose nodes read values it does not define (the subgraph's captured values).
     */
    default boolean appliesInsideSubgraphs() {
        return false;
    }
}
