package dev.janus.graph.differential;

import static dev.janus.DType.FLOAT32;
import static dev.janus.DType.FLOAT64;
import static dev.janus.graph.differential.OpRow.Dist.ANY;
import static dev.janus.graph.differential.OpRow.Dist.SMALL_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Tensor;
import dev.janus.graph.CompiledGraph;
import dev.janus.graph.Executor;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import dev.janus.graph.Node;
import dev.janus.graph.differential.OpRow.Arg;
import dev.janus.graph.passes.PassManager;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test of graph capture and execution: every primitive of {@link Op} (and a few composites) is
 * written once with the public tensor API, run eagerly, captured with {@link GraphCapture} and run with
 * {@link Executor} on the same seeded inputs, and optimized ({@link PassManager#forExecution()}: folding,
 * simplification, fusion) and run by {@link CompiledGraph}; the results must agree (dtype, shape and values,
 * within {@link DiffTolerances}, which is exact). Each row runs on float32 and, where the op allows, float64, the
 * integer dtypes and bool, and on scalar {@code ()} and zero-size shapes where the op allows them.
 */
class EagerVsGraphTest {

    static Stream<Arguments> cases() {
        return OpTable.table().stream().flatMap(r -> r.dtypes().stream().map(t -> Arguments.of(r, t)));
    }

    // ------------------------------------------------------------------ tests

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void executorRun_matchesEagerForward(OpRow row, DType dtype) {
        Tensor[] inputs = row.inputs(dtype);
        Tensor[] pristine = row.inputs(dtype);
        Tensor eager = row.fn().apply(inputs);

        TensorSpec[] specs = row.specs(dtype);
        Graph g = GraphCapture.capture(row.fn(), specs);
        Set<Op> recorded = opsOf(g);
        assertTrue(recorded.containsAll(row.ops()), () -> "captured graph lacks " + missing(row.ops(), recorded) + ":\n" + g);
        assertEquals(new TensorSpec(eager.dtype(), eager.shape()), g.outputs().get(0).spec(),
                () -> "the graph's output type differs from eager's:\n" + g);

        Executor ex = new Executor(g);
        Tensor[] out = ex.run(inputs);
        assertEquals(1, out.length);
        DiffTolerances.assertMatches(row + " " + dtype + "\n" + g, eager, out[0]);
        DiffTolerances.assertMatches(row + " " + dtype + ", second run\n" + g, eager, ex.run(inputs)[0]);
        // optimized, fused and run with a memory plan (twice: the second run reuses the workspace)
        Graph optimized = PassManager.forExecution().apply(g);
        CompiledGraph compiled = new CompiledGraph(optimized);
        DiffTolerances.assertMatches(row + " " + dtype + ", optimized and compiled\n" + optimized, eager, compiled.run(inputs)[0]);
        DiffTolerances.assertMatches(row + " " + dtype + ", compiled, second run\n" + optimized, eager, compiled.run(inputs)[0]);
        for (int i = 0; i < inputs.length; i++) {
            DiffTolerances.assertMatches(row + " " + dtype + ": input " + i + " after the runs", pristine[i], inputs[i]);
        }
    }

    @Test
    void captureAll_severalOutputs_matchEagerOneForOne() {
        Function<Tensor[], List<Tensor>> fn = in -> {
            List<Tensor> outs = new ArrayList<>(in[0].chunk(3, 1));
            outs.add(in[0].max(1, false));
            outs.add(in[0].argmax(1, false));
            outs.add(in[0]);
            outs.add(outs.get(0));
            outs.add(in[1].mul(in[0].sum(1, true)));
            return outs;
        };
        Arg x = new Arg(new long[] {4, 7}, SMALL_INT, FLOAT32);
        Arg y = new Arg(new long[] {4, 1}, ANY, FLOAT64);
        Tensor[] inputs = {x.tensor(new Generator(3), FLOAT32), y.tensor(new Generator(4), FLOAT32)};
        List<Tensor> eager = fn.apply(inputs);
        Graph g = GraphCapture.captureAll(Map.of(), fn, x.spec(FLOAT32), y.spec(FLOAT32));
        Tensor[] out = new Executor(g).run(inputs);
        assertEquals(eager.size(), out.length, g.toString());
        for (int i = 0; i < out.length; i++) {
            DiffTolerances.assertMatches("output " + i + "\n" + g, eager.get(i), out[i]);
        }
    }

    @Test
    void table_coversEveryPrimitiveOp() {
        Set<Op> covered = EnumSet.noneOf(Op.class);
        for (OpRow row : OpTable.table()) {
            covered.addAll(opsOf(GraphCapture.capture(row.fn(), row.specs(row.primaryType()))));
        }
        Set<Op> uncovered = primitives();
        uncovered.removeAll(covered);
        assertTrue(uncovered.isEmpty(), "no row's captured graph contains " + uncovered);
    }

    @Test
    void table_namesEveryPrimitiveOpInARowOfItsOwn() {
        TreeMap<Op, Long> rowsPerOp = OpTable.primitiveRows().stream()
                .collect(Collectors.groupingBy(r -> r.ops().iterator().next(), TreeMap::new, Collectors.counting()));
        List<Op> missing = new ArrayList<>(primitives());
        missing.removeAll(rowsPerOp.keySet());
        assertTrue(missing.isEmpty(), "ops without a row of their own: " + missing);
    }

    /**
     * Every op but the control ops (if, loop, fused), which have subgraphs and tests of their own, and
     * {@code custom}, whose kernels are user code (CustomOpGraphTest).
     */
    private static Set<Op> primitives() {
        Set<Op> ops = EnumSet.allOf(Op.class);
        ops.removeIf(op -> op.kind() == Op.Kind.CONTROL || op.kind() == Op.Kind.CUSTOM);
        return ops;
    }

    private static Set<Op> opsOf(Graph g) {
        Set<Op> ops = EnumSet.noneOf(Op.class);
        for (Node n : g.nodes()) {
            ops.add(n.op());
        }
        return ops;
    }

    private static Set<Op> missing(Set<Op> wanted, Set<Op> have) {
        Set<Op> m = EnumSet.noneOf(Op.class);
        m.addAll(wanted);
        m.removeAll(have);
        return m;
    }
}
