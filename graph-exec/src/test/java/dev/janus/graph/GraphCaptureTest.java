package dev.janus.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.nn.Linear;
import dev.janus.nn.Module;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class GraphCaptureTest {
    static final class TwoLayer extends Module {
        final Linear fc1 = new Linear(3, 4);
        final Linear fc2 = new Linear(4, 2);

        @Override
        public Tensor forward(Tensor x) {
            return fc2.forward(fc1.forward(x).relu());
        }
    }

    private static TensorSpec f32(long... dims) {
        return new TensorSpec(DType.FLOAT32, Shape.of(dims));
    }

    private static String withoutLocations(String text) {
        return text.replaceAll(" {3}# [^\\n]*", "");
    }

    @Test
    void capture_module_textFormNamesParametersAndOps() {
        Janus.manualSeed(1);
        TwoLayer m = new TwoLayer();
        Graph g = GraphCapture.capture(m, m::forward, f32(5, 3));
        String expected = String.join("\n",
                "graph(%x:f32[5, 3]) -> (%9)",
                "  param %fc1.weight:f32[4, 3]",
                "  param %fc1.bias:f32[4]",
                "  param %fc2.weight:f32[2, 4]",
                "  param %fc2.bias:f32[2]",
                "  %2:f32[5, 4] = matmul(%x, %fc1.weight) {transA=false, transB=true}",
                "  %4:f32[5, 4] = add(%2, %fc1.bias)",
                "  %5:f32[5, 4] = relu(%4)",
                "  %7:f32[5, 2] = matmul(%5, %fc2.weight) {transA=false, transB=true}",
                "  %9:f32[5, 2] = add(%7, %fc2.bias)",
                "  return %9",
                "");
        assertEquals(expected, withoutLocations(g.toString()));
        for (Node n : g.nodes()) {
            assertEquals("GraphCaptureTest.java", n.location().file(), n.toString());
        }
    }

    @Test
    void executor_matchesEagerForward() {
        Janus.manualSeed(2);
        TwoLayer m = new TwoLayer();
        Executor ex = new Executor(GraphCapture.capture(m, m::forward, f32(5, 3)));
        Tensor x = Tensor.randn(new Generator(3), 5, 3);
        assertArrayEquals(m.forward(x).toFloatArray(), ex.run(x)[0].toFloatArray(), 1e-6f);
    }

    @Test
    void executor_readsParametersByReference() {
        Janus.manualSeed(4);
        TwoLayer m = new TwoLayer();
        Executor ex = new Executor(GraphCapture.capture(m, m::forward, f32(2, 3)));
        Tensor x = Tensor.randn(new Generator(5), 2, 3);
        m.fc2.bias.assign(m.fc2.bias.add(10.0));
        assertArrayEquals(m.forward(x).toFloatArray(), ex.run(x)[0].toFloatArray(), 1e-5f);
    }

    @Test
    void capture_composites_recordOnlyPrimitivesAndConstants() {
        Graph g = GraphCapture.capture(in -> in[0].softmax(1).mul(2.0), f32(2, 3));
        assertTrue(g.nodes().stream().anyMatch(n -> n.op() == Op.EXP), g.toString());
        assertTrue(g.constants().size() >= 1, g.toString());
        Tensor x = Tensor.randn(new Generator(6), 2, 3);
        assertArrayEquals(x.softmax(1).mul(2.0).toFloatArray(), new Executor(g).run(x)[0].toFloatArray(), 1e-6f);
    }

    @Test
    void capture_badShapes_failAtRecordingNamingOpAndLine() {
        Tensor w = Tensor.randn(4, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GraphCapture.capture(in -> in[0].add(w), f32(2, 3)));
        assertTrue(e.getMessage().contains("op 'add'") && e.getMessage().contains("GraphCaptureTest.java:"), e.getMessage());
    }

    @Test
    void executor_runtimeFailure_namesNodeAndSourceLine() {
        Graph g = GraphCapture.capture(in -> in[0].gather(0, in[1]), f32(3), new TensorSpec(DType.INT64, Shape.of(2)));
        Executor ex = new Executor(g);
        GraphExecutionException e = assertThrows(GraphExecutionException.class,
                () -> ex.run(Tensor.of(new float[] {1, 2, 3}), Tensor.of(new long[] {0, 7})));
        assertTrue(e.getMessage().contains("gather") && e.getMessage().contains("GraphCaptureTest.java:")
                && e.getMessage().contains("index 7"), e.getMessage());
    }

    @Test
    void executor_wrongInputType_isRejectedNamingTheInput() {
        Executor ex = new Executor(GraphCapture.capture(in -> in[0].relu(), f32(2, 3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ex.run(Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("%x") && e.getMessage().contains("f32[2, 3]"), e.getMessage());
    }

    @Test
    void verify_useBeforeDefinition_isReported() {
        Value x = new Value(0, f32(2), "x");
        Value a = new Value(1, f32(2), null);
        Value b = new Value(2, f32(2), null);
        Node first = new Node(Op.NEG, Attrs.NONE, List.of(a), b, SourceLocation.UNKNOWN);
        Node second = new Node(Op.NEG, Attrs.NONE, List.of(x), a, SourceLocation.UNKNOWN);
        Graph g = new Graph(List.of(x), Map.of(), Map.of(), List.of(first, second), List.of(b));
        IllegalStateException e = assertThrows(IllegalStateException.class, g::verify);
        assertTrue(e.getMessage().contains("before it is defined"), e.getMessage());
    }

    @Test
    void verify_declaredTypeDisagreeingWithRule_isReported() {
        Value x = new Value(0, f32(2, 3), "x");
        Value y = new Value(1, f32(3, 2), null);
        Graph g = new Graph(List.of(x), Map.of(), Map.of(), List.of(new Node(Op.RELU, Attrs.NONE, List.of(x), y,
                SourceLocation.UNKNOWN)), List.of(y));
        IllegalStateException e = assertThrows(IllegalStateException.class, g::verify);
        assertTrue(e.getMessage().contains("declares f32[3, 2]"), e.getMessage());
    }

    @Test
    void executor_eightThreads_matchSingleThreadedResults() throws Exception {
        Janus.manualSeed(7);
        TwoLayer m = new TwoLayer();
        Executor ex = new Executor(GraphCapture.capture(m, m::forward, f32(16, 3)));
        List<Tensor> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            Tensor x = Tensor.randn(new Generator(100 + i), 16, 3);
            inputs.add(x);
            expected.add(ex.run(x)[0].toFloatArray());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int rep = 0; rep < 4; rep++) {
                for (Tensor x : inputs) {
                    results.add(pool.submit(() -> ex.run(x)[0].toFloatArray()));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                assertArrayEquals(expected.get(i % inputs.size()), results.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void toDot_hasANodePerOpAndEdgesFromInputs() {
        Graph g = GraphCapture.capture(in -> in[0].exp().add(in[0]), f32(2));
        String dot = g.toDot();
        assertTrue(dot.startsWith("digraph \"janus\" {") && dot.contains("exp\\nf32[2]") && dot.contains("v0 -> n1"), dot);
    }

    @Test
    void withOverride_setsTheLocationOfRecordedNodes_andRestoresThePreviousOne() {
        SourceLocation outer = new SourceLocation("com.acme.Net", "forward", "Net.java", 42);
        SourceLocation inner = new SourceLocation("com.acme.Block", "forward", "Block.java", 7);
        Graph g = GraphCapture.capture(in -> {
            try (var a = SourceLocation.withOverride(outer)) {
                Tensor h;
                try (var b = SourceLocation.withOverride(inner)) {
                    h = in[0].exp();
                }
                return h.neg();
            }
        }, f32(3));
        assertEquals(inner, g.nodes().get(0).location());
        assertEquals(outer, g.nodes().get(1).location());
        assertTrue(SourceLocation.ofCaller().className().endsWith("GraphCaptureTest"), "no override once both closed");
    }
}
