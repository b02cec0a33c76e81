package dev.janus.graph.passes;

import static dev.janus.graph.passes.PassTesting.assertSameResults;
import static dev.janus.graph.passes.PassTesting.f32;
import static dev.janus.graph.passes.PassTesting.lines;
import static dev.janus.graph.passes.PassTesting.ops;
import static dev.janus.graph.passes.PassTesting.withoutLocations;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.graph.Executor;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import dev.janus.graph.Node;
import dev.janus.nn.Linear;
import dev.janus.nn.Module;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PassManagerTest {
    /** A small MLP with the redundancies that composing layers leaves: a scale by 1, a repeated relu, a copy. */
    static final class Mlp extends Module {
        final Linear fc1 = new Linear(6, 8);
        final Linear fc2 = new Linear(8, 8);
        final Linear fc3 = new Linear(8, 3);

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = fc1.forward(x.mul(1.0)).relu();
            Tensor r = fc2.forward(h).relu().add(fc2.forward(h).relu());
            return fc3.forward(r.copy().add(h)).softmax(1);
        }
    }

    /** Reverses the nodes, so uses come before definitions: what a buggy pass might do. */
    static final class ReverseNodes implements Pass {
        @Override
        public Graph apply(Graph g) {
            List<Node> nodes = new ArrayList<>(g.nodes());
            Collections.reverse(nodes);
            return new Graph(g.inputs(), g.parameters(), g.constants(), nodes, g.outputs());
        }
    }

    private static Graph scaledExp() {
        return GraphCapture.capture(in -> in[0].mul(1.0).exp().add(in[0].mul(1.0).exp()), f32(2, 3));
    }

    private static String dumped(Function<PrintStream, PassManager> make, Graph g) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        make.apply(out).apply(g);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void defaultPipeline_runsTheFourPassesInOrder() {
        assertEquals(List.of("SimplifyAlgebra", "FoldConstants", "EliminateCommonSubexpressions", "EliminateDeadCode"),
                PassManager.defaultPipeline().passes().stream().map(Pass::name).toList());
    }

    @Test
    void dumpAfter_namedPass_printsItsIrOnce() {
        String out = dumped(s -> PassManager.defaultPipeline().dumpAfter("EliminateCommonSubexpressions", s), scaledExp());
        assertEquals(lines(
                "// IR after EliminateCommonSubexpressions (pass 3 of 4): 3 → 2 nodes",
                "graph(%x:f32[2, 3]) -> (%7)",
                "  const %1:f32[] = 1.0",
                "  const %4:f32[] = 1.0",
                "  %3:f32[2, 3] = exp(%x)",
                "  %7:f32[2, 3] = add(%3, %3)",
                "  return %7"), out.replaceAll(" {3}# [^\\n]*", ""));
    }

    @Test
    void dumpAfter_dashedLowerCaseName_matches() {
        String out = dumped(s -> PassManager.defaultPipeline().dumpAfter("fold-constants", s), scaledExp());
        assertTrue(out.startsWith("// IR after FoldConstants (pass 2 of 4): 3 → 3 nodes\n"), out);
    }

    @Test
    void dumpAfterAll_printsAfterEveryPass() {
        String out = dumped(s -> PassManager.defaultPipeline().dumpAfterAll(s), scaledExp());
        assertEquals(4, out.split("// IR after ", -1).length - 1, out);
        assertTrue(out.contains("SimplifyAlgebra (pass 1 of 4): 5 → 3 nodes") && out.contains("EliminateDeadCode (pass 4 of 4)"),
                out);
    }

    @Test
    void dumpAfter_unknownPass_failsNamingThePipeline() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PassManager.defaultPipeline().dumpAfter("FoldConstant"));
        assertTrue(e.getMessage().contains("no pass named 'FoldConstant'") && e.getMessage().contains("FoldConstants"),
                e.getMessage());
    }

    @Test
    void dumpProperty_all_printsToStandardError() {
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setProperty(PassManager.DUMP_PROPERTY, "all");
        try {
            System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            PassManager.of(new SimplifyAlgebra(), new EliminateDeadCode()).apply(scaledExp());
        } finally {
            System.setErr(saved);
            System.clearProperty(PassManager.DUMP_PROPERTY);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("// IR after SimplifyAlgebra (pass 1 of 2)") && out.contains("// IR after EliminateDeadCode"),
                out);
    }

    @Test
    void dumpProperty_namedPass_printsOnlyThatOne() {
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setProperty(PassManager.DUMP_PROPERTY, "eliminate-dead-code,NoSuchPass");
        try {
            System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            PassManager.defaultPipeline().apply(scaledExp());
        } finally {
            System.setErr(saved);
            System.clearProperty(PassManager.DUMP_PROPERTY);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, out.split("// IR after ", -1).length - 1, out);
        assertTrue(out.contains("// IR after EliminateDeadCode (pass 4 of 4): 2 → 2 nodes")
                && out.contains("no pass named [NoSuchPass]"), out);
    }

    @Test
    void apply_passLeavingAnInvalidGraph_failsNamingThePassAndNode() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PassManager.of(new SimplifyAlgebra(), new ReverseNodes()).apply(scaledExp()));
        assertTrue(e.getMessage().startsWith("pass ReverseNodes is invalid: graph verification: node '")
                && e.getMessage().contains("before it is defined"), e.getMessage());
    }

    /** Drops the graph's last output: what a pass must never do. */
    static final class DropOutput implements Pass {
        @Override
        public Graph apply(Graph g) {
            return new Graph(g.inputs(), g.parameters(), g.constants(), g.nodes(), g.outputs().subList(0, 1));
        }
    }

    @Test
    void apply_passChangingTheOutputs_failsNamingThePass() {
        Graph g = GraphCapture.captureAll(Map.of(), in -> List.of(in[0].exp(), in[0].sin()), f32(2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PassManager.of(new DropOutput()).apply(g));
        assertTrue(e.getMessage().startsWith("pass DropOutput changed the graph's signature"), e.getMessage());
    }

    /** Programs of x[4, 3] and a constant c[4, 3], so that every pass has work to do. */
    static Stream<Arguments> programs() {
        return Stream.of(
                Arguments.of("constant chain", (BinaryOperator<Tensor>) (x, c) -> x.add(c.exp().mul(2.0).sum(0))),
                Arguments.of("layer norm", (BinaryOperator<Tensor>) (x, c) -> x.sub(x.mean(1, true))
                        .div(x.var(new int[] {1}, true, 0).add(1e-5).sqrt()).mul(c.abs().add(1.0)).add(c.mul(0.5))),
                Arguments.of("transposed constant", (BinaryOperator<Tensor>) (x, c) -> x.matmul(c.t()).gelu()),
                Arguments.of("repeated work", (BinaryOperator<Tensor>) (x, c) -> x.mul(c).add(x.mul(c)).logSoftmax(1)
                        .add(c.neg().neg().mul(1.0))),
                Arguments.of("where and movement", (BinaryOperator<Tensor>) (x, c) -> Tensor.where(c.gt(0.0),
                        x.t().t(), x.reshape(2, 6).reshape(4, 3).sub(0.0)).add(c.reshape(12).reshape(4, 3))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void defaultPipeline_programWithConstant_keepsResultsAndShrinks(String name, BinaryOperator<Tensor> program) {
        Tensor c = Tensor.randn(new Generator(41), 4, 3);
        Graph before = GraphCapture.capture(in -> program.apply(in[0], c), f32(4, 3));
        Graph after = PassManager.defaultPipeline().apply(before);
        assertTrue(after.nodes().size() < before.nodes().size(), name + " did not shrink:\n" + after);
        assertSameResults(before, after, 1e-6);
    }

    @Test
    void defaultPipeline_mlp_keepsResultsAndShrinks() {
        Janus.manualSeed(31);
        Mlp m = new Mlp();
        Graph before = GraphCapture.capture(m, m::forward, f32(5, 6));
        Graph after = PassManager.defaultPipeline().apply(before);
        // mul by 1, the second fc2 (matmul, add) and relu, and the copy (a cast to f32) are gone.
        assertEquals(21, before.nodes().size());
        assertEquals(before.nodes().size() - 5, after.nodes().size(), after.toString());
        assertEquals(List.of("matmul", "add", "relu", "matmul", "add", "relu", "add", "add", "matmul", "add",
                "max", "stop_gradient", "sub", "exp", "sum", "div"), ops(after));
        assertEquals(before.parameters(), after.parameters());
        assertSameResults(before, after, 0);
        Tensor x = Tensor.randn(new Generator(33), 5, 6);
        try (var g = Janus.noGrad()) {
            assertArrayEquals(m.forward(x).toFloatArray(), new Executor(after).run(x)[0].toFloatArray());
        }
    }

    @Test
    void defaultPipeline_mlp_irIsGolden() {
        Janus.manualSeed(32);
        Mlp m = new Mlp();
        Graph after = PassManager.defaultPipeline().apply(GraphCapture.capture(m, m::forward, f32(5, 6)));
        assertEquals(lines(
                "graph(%x:f32[5, 6]) -> (%28)",
                "  param %fc1.weight:f32[8, 6]",
                "  param %fc1.bias:f32[8]",
                "  param %fc2.weight:f32[8, 8]",
                "  param %fc2.bias:f32[8]",
                "  param %fc3.weight:f32[3, 8]",
                "  param %fc3.bias:f32[3]",
                "  %4:f32[5, 8] = matmul(%x, %fc1.weight) {transA=false, transB=true}",
                "  %6:f32[5, 8] = add(%4, %fc1.bias)",
                "  %7:f32[5, 8] = relu(%6)",
                "  %9:f32[5, 8] = matmul(%7, %fc2.weight) {transA=false, transB=true}",
                "  %11:f32[5, 8] = add(%9, %fc2.bias)",
                "  %12:f32[5, 8] = relu(%11)",
                "  %16:f32[5, 8] = add(%12, %12)",
                "  %18:f32[5, 8] = add(%16, %7)",
                "  %20:f32[5, 3] = matmul(%18, %fc3.weight) {transA=false, transB=true}",
                "  %22:f32[5, 3] = add(%20, %fc3.bias)",
                "  %23:f32[5, 1] = max(%22) {axes=[1], keepDim=true}",
                "  %24:f32[5, 1] = stop_gradient(%23)",   // softmax's detached max: kept for graph autodiff
                "  %25:f32[5, 3] = sub(%22, %24)",
                "  %26:f32[5, 3] = exp(%25)",
                "  %27:f32[5, 1] = sum(%26) {axes=[1], keepDim=true}",
                "  %28:f32[5, 3] = div(%26, %27)",
                "  return %28"), withoutLocations(after));
    }
}
