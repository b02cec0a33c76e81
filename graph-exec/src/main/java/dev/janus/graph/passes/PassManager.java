package dev.janus.graph.passes;

import dev.janus.graph.Graph;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs passes in order, verifying the graph before the first and after each ({@link Graph#verify()}), and
 * prints the IR after the passes asked for. Immutable: the {@code dumpAfter} methods return a new manager.
 *
 * <pre>{@code
 * Graph optimized = PassManager.defaultPipeline().apply(graph);
 * Graph traced = PassManager.defaultPipeline().dumpAfter("FoldConstants", System.out).apply(graph);
 * }</pre>
 *
 * <p>Without code changes, {@code -Djanus.dumpAfter=FoldConstants,EliminateDeadCode} (or {@code =all})
 * prints to standard error after those passes; names match case-insensitively, with or without dashes
 * ({@code fold-constants}). Each dump is a header line, {@code // IR after FoldConstants (pass 2 of 4): 14 → 11
 * nodes}, then the graph's text form.
 *
 * <p>A pass that leaves an invalid graph fails here with {@link IllegalStateException} naming the pass,
 * the verifier's message (which names the node) and the graph it produced; so does one that changes the
 * graph's inputs or its number of outputs.
 */
public final class PassManager implements Pass {
    /** The system property naming the passes to dump after, comma-separated, or {@code all}. */
    public static final String DUMP_PROPERTY = "janus.dumpAfter";

    private final List<Pass> passes;
    private final Set<String> dumpAfter;
    private final boolean dumpAll;
    private final PrintStream out;

    private PassManager(List<Pass> passes, Set<String> dumpAfter, boolean dumpAll, PrintStream out) {
        this.passes = List.copyOf(passes);
        this.dumpAfter = Set.copyOf(dumpAfter);
        this.dumpAll = dumpAll;
        this.out = out;
    }

    /** A manager running {@code passes} in order. */
    public static PassManager of(Pass... passes) {
        return of(List.of(passes));
    }

    /** A manager running {@code passes} in order. */
    public static PassManager of(List<Pass> passes) {
        return new PassManager(passes, Set.of(), false, System.err);
    }

    /**
     * SimplifyAlgebra, FoldConstants, EliminateCommonSubexpressions, EliminateDeadCode: simplifying first exposes
     * merges and folds, and dead-code elimination last removes what the others left unused.
     */
    public static PassManager defaultPipeline() {
        return of(new SimplifyAlgebra(), new FoldConstants(), new EliminateCommonSubexpressions(), new EliminateDeadCode());
    }

    /**
     * The default pipeline, then {@link FuseMatmulEpilogue} and {@link FuseElementwise}: for graphs about to
     * run (fused nodes are opaque to autodiff and to the other passes, so fusion comes last).
     */
    public static PassManager forExecution() {
        List<Pass> all = new ArrayList<>(defaultPipeline().passes());
        all.add(new FuseMatmulEpilogue());
        all.add(new FuseElementwise());
        return of(all);
    }

    /** The passes, in the order they run. */
    public List<Pass> passes() {
        return passes;
    }

    /** Also prints the IR to {@code out} after the pass named {@code passName} (later dumps go to {@code out} too). */
    public PassManager dumpAfter(String passName, PrintStream out) {
        if (passes.stream().noneMatch(p -> key(p.name()).equals(key(passName)))) {
            throw new IllegalArgumentException("no pass named '" + passName + "' in this pipeline; its passes are "
                    + passes.stream().map(Pass::name).toList());
        }
        Set<String> names = new HashSet<>(dumpAfter);
        names.add(key(passName));
        return new PassManager(passes, names, dumpAll, out);
    }

    /** Also prints the IR to standard error after the pass named {@code passName}. */
    public PassManager dumpAfter(String passName) {
        return dumpAfter(passName, out);
    }

    /** Prints the IR to {@code out} after every pass. */
    public PassManager dumpAfterAll(PrintStream out) {
        return new PassManager(passes, dumpAfter, true, out);
    }

    @Override
    public Graph apply(Graph graph) {
        check(graph, "the input graph");
        Set<String> fromProperty = fromProperty();
        boolean allFromProperty = fromProperty.contains("all");
        for (int i = 0; i < passes.size(); i++) {
            Pass pass = passes.get(i);
            Graph next = pass.appliesInsideSubgraphs() ? InsideSubgraphs.apply(pass, graph) : pass.apply(graph);
            check(next, "pass " + pass.name());
            keepsSignature(graph, next, pass);
            String k = key(pass.name());
            if (dumpAll || dumpAfter.contains(k)) {
                dump(out, pass, i, graph, next);
            }
            if (allFromProperty || fromProperty.contains(k)) {
                dump(System.err, pass, i, graph, next);
            }
            graph = next;
        }
        return graph;
    }

    private static void check(Graph g, String producedBy) {
        try {
            g.verify();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(producedBy + " is invalid: " + e.getMessage() + "\n" + g, e);
        }
    }

    private static void keepsSignature(Graph before, Graph after, Pass pass) {
        if (!after.inputs().equals(before.inputs()) || after.outputs().size() != before.outputs().size()) {
            throw new IllegalStateException("pass " + pass.name() + " changed the graph's signature from "
                    + before.inputs() + " -> " + before.outputs().size() + " outputs to " + after.inputs() + " -> "
                    + after.outputs().size() + " outputs; passes must keep the inputs and the outputs' order");
        }
    }

    private void dump(PrintStream to, Pass pass, int index, Graph before, Graph after) {
        to.println("// IR after " + pass.name() + " (pass " + (index + 1) + " of " + passes.size() + "): "
                + before.nodes().size() + " → " + after.nodes().size() + " nodes");
        to.print(after);
        to.flush();
    }

    /** The pass names in {@value #DUMP_PROPERTY}; names matching no pass are reported once on standard error. */
    private Set<String> fromProperty() {
        String value = System.getProperty(DUMP_PROPERTY);
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String name : value.split(",")) {
            String k = key(name);
            names.add(k);
            if (!k.equals("all") && passes.stream().noneMatch(p -> key(p.name()).equals(k))) {
                unknown.add(name.strip());
            }
        }
        if (!unknown.isEmpty()) {
            System.err.println("// " + DUMP_PROPERTY + ": no pass named " + unknown + " in this pipeline; its passes are "
                    + passes.stream().map(Pass::name).toList());
        }
        return names;
    }

    private static String key(String passName) {
        return passName.strip().replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "PassManager" + passes.stream().map(Pass::name).toList();
    }
}
