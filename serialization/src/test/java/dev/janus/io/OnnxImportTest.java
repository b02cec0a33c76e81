package dev.janus.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.graph.CompiledGraph;
import dev.janus.graph.ControlFlow;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import dev.janus.graph.GraphFunction;
import dev.janus.graph.InputSpec;
import dev.janus.graph.Value;
import dev.janus.io.onnx.OnnxProto;
import dev.janus.io.onnx.OnnxProto.AttributeProto;
import dev.janus.io.onnx.OnnxProto.Dim;
import dev.janus.io.onnx.OnnxProto.GraphProto;
import dev.janus.io.onnx.OnnxProto.ModelProto;
import dev.janus.io.onnx.OnnxProto.NodeProto;
import dev.janus.io.onnx.OnnxProto.OperatorSetId;
import dev.janus.io.onnx.OnnxProto.TypeProto;
import dev.janus.io.onnx.OnnxProto.ValueInfoProto;
import dev.janus.io.onnx.OnnxProtoWriter;
import dev.janus.nn.Conv2d;
import dev.janus.nn.Flatten;
import dev.janus.nn.Linear;
import dev.janus.nn.MaxPool2d;
import dev.janus.nn.ReLU;
import dev.janus.nn.Sequential;
import dev.janus.ops.Op;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exported Janus graphs read back with Onnx.importModel compute what the originals compute. */
class OnnxImportTest {
    private static void assertSameResults(Graph original, Graph imported, Tensor... inputs) {
        Tensor[] expected = new CompiledGraph(original).run(inputs);
        Tensor[] actual = new CompiledGraph(imported).run(inputs);
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            OnnxRuntimeHarness.assertClose(expected[i], actual[i], "output " + i);
        }
    }

    @Test
    void roundTrip_lenetWithDynamicBatch_keepsParametersAndDynamicDim(@TempDir Path dir) throws Exception {
        Janus.manualSeed(3);
        Sequential lenet = new Sequential(new Conv2d(1, 6, 5).padding(2), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(400, 84), new ReLU(),
                new Linear(84, 10));
        Graph g = GraphCapture.capture(lenet, lenet::forward, InputSpec.of(DType.FLOAT32, 2, 1, 28, 28).dynamic(0));
        Path file = dir.resolve("lenet.onnx");
        Onnx.export(GraphFunction.of(g, "lenet"), file);
        Graph back = Onnx.importModel(file);
        Value x = back.inputs().get(0);
        assertEquals("x", x.name());
        assertTrue(x.isDynamic(0) && !x.isDynamic(1), x.typeString());
        assertEquals(lenet.namedParameters().keySet(),
                new java.util.TreeSet<>(back.parameters().keySet().stream().map(Value::name).toList()).stream()
                        .filter(lenet.namedParameters()::containsKey).collect(java.util.stream.Collectors.toSet()));
        assertSameResults(g, back, Tensor.randn(new Generator(1), 2, 1, 28, 28));
        assertSameResults(g, back, Tensor.randn(new Generator(2), 5, 1, 28, 28));
    }

    @Test
    void roundTrip_seedLoopAndIf_keepControlFlow() throws Exception {
        Generator gen = new Generator(5);
        Tensor w = Tensor.randn(gen, 4, 4).mul(0.5);
        Graph g = GraphCapture.captureAll(Map.of(w, "W"), in -> {
            Tensor h = ControlFlow.forLoop(in[1], List.of(in[0]), (i, c) -> List.of(w.matmul(c.get(0)).tanh())).get(0);
            return ControlFlow.ifThenElse(h.sum().gt(0.0), () -> List.of(h.exp()), () -> List.of(h.neg()));
        }, InputSpec.of(DType.FLOAT32, 4, 1).named("h"), InputSpec.of(DType.INT64).named("steps"));
        Graph back = Onnx.importModel(Onnx.toBytes(GraphFunction.of(g, "seed")), "seed.onnx");
        assertTrue(back.nodes().stream().anyMatch(n -> n.op() == Op.LOOP), back::toString);
        assertTrue(back.nodes().stream().anyMatch(n -> n.op() == Op.IF), back::toString);
        for (long t : new long[] {0, 2, 7}) {
            assertSameResults(g, back, Tensor.randn(new Generator(t), 4, 1), Tensor.scalar(t, DType.INT64));
        }
    }

    @Test
    void roundTrip_everyExportedPrimitive_computesTheSame() throws Exception {
        for (OnnxExportOpsTest.Row row : OnnxExportOpsTest.rows().toList()) {
            dev.janus.ops.TensorSpec[] specs = new dev.janus.ops.TensorSpec[row.inputs().length];
            for (int i = 0; i < specs.length; i++) {
                specs[i] = new dev.janus.ops.TensorSpec(row.inputs()[i].dtype(), row.inputs()[i].shape());
            }
            Graph g = GraphCapture.capture(in -> dev.janus.ops.Dispatch.apply(row.op(), row.attrs(), in), specs);
            Graph back = Onnx.importModel(Onnx.toBytes(GraphFunction.of(g, row.name())), row.name());
            Tensor[] expected = new CompiledGraph(g).run(row.inputs());
            Tensor[] actual = new CompiledGraph(back).run(row.inputs());
            OnnxRuntimeHarness.assertClose(expected[0], actual[0], row.name());
        }
    }

    private static ValueInfoProto info(String name, int type, long... dims) {
        List<Dim> ds = java.util.Arrays.stream(dims).mapToObj(d -> d < 0 ? Dim.named("N") : Dim.of(d)).toList();
        return new ValueInfoProto(name, TypeProto.tensor(type, ds));
    }

    private static byte[] model(List<NodeProto> nodes, List<ValueInfoProto> inputs, List<ValueInfoProto> outputs) {
        GraphProto g = new GraphProto("g", nodes, List.of(), inputs, outputs, List.of());
        return OnnxProtoWriter.toBytes(new ModelProto(8, List.of(new OperatorSetId("", 17)), "test", "", g, Map.of()));
    }

    private static NodeProto node(String op, List<String> in, List<String> out, AttributeProto... attrs) {
        return new NodeProto("", op, "", in, out, List.of(attrs));
    }

    @Test
    void gemmSoftmaxFlatten_composites_matchHandComputation() throws Exception {
        byte[] bytes = model(List.of(
                node("Flatten", List.of("x"), List.of("f"), AttributeProto.ofInt("axis", 1)),
                node("Gemm", List.of("f", "w", "b"), List.of("y"), AttributeProto.ofInt("transB", 1),
                        AttributeProto.ofFloat("alpha", 2f)),
                node("Softmax", List.of("y"), List.of("p"), AttributeProto.ofInt("axis", -1))),
                List.of(info("x", OnnxProto.FLOAT, -1, 2, 2), info("w", OnnxProto.FLOAT, 3, 4), info("b", OnnxProto.FLOAT, 3)),
                List.of(info("p", OnnxProto.FLOAT)));
        Graph g = Onnx.importModel(bytes, "gemm.onnx");
        assertTrue(g.inputs().get(0).isDynamic(0));
        Tensor x = Tensor.randn(new Generator(1), 5, 2, 2);
        Tensor w = Tensor.randn(new Generator(2), 3, 4);
        Tensor b = Tensor.randn(new Generator(3), 3);
        Tensor expected = x.reshape(5, 4).matmul(w.transpose(0, 1)).mul(2.0).add(b).softmax(-1);
        OnnxRuntimeHarness.assertClose(expected, new CompiledGraph(g).run(x, w, b)[0], "softmax(gemm)");
    }

    @Test
    void unsupportedOp_namesTheOnnxOp() {
        byte[] bytes = model(List.of(node("NonZero", List.of("x"), List.of("y"))), List.of(info("x", OnnxProto.FLOAT, 3)),
                List.of(info("y", OnnxProto.INT64)));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Onnx.importModel(bytes, "nz.onnx"));
        assertTrue(e.getMessage().contains("'NonZero'"), e.getMessage());
    }

    @Test
    void undefinedInput_isAFormatErrorNamingTheNode() {
        byte[] bytes = model(List.of(node("Relu", List.of("nope"), List.of("y"))), List.of(info("x", OnnxProto.FLOAT, 3)),
                List.of(info("y", OnnxProto.FLOAT)));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Onnx.importModel(bytes, "bad.onnx"));
        assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("Relu"), e.getMessage());
    }

    @Test
    void fixedInputs_becomeConstants() throws Exception {
        byte[] bytes = model(List.of(node("Reshape", List.of("x", "shape"), List.of("y"))),
                List.of(info("x", OnnxProto.FLOAT, 2, 3), info("shape", OnnxProto.INT64, 2)), List.of(info("y", OnnxProto.FLOAT)));
        assertThrows(UnsupportedOperationException.class, () -> Onnx.importModel(bytes, "r.onnx"));
        Graph g = Onnx.importModel(bytes, "r.onnx", Map.of("shape", Tensor.of(new long[] {3, -1})));
        assertEquals(1, g.inputs().size());
        assertEquals(dev.janus.Shape.of(3, 2), new CompiledGraph(g).run(Tensor.zeros(2, 3))[0].shape());
    }

    @Test
    void importedNodes_carryTheOnnxNodeAsLocation() throws Exception {
        byte[] bytes = model(List.of(node("Relu", List.of("x"), List.of("a")), node("Exp", List.of("a"), List.of("y"))),
                List.of(info("x", OnnxProto.FLOAT, 3)), List.of(info("y", OnnxProto.FLOAT)));
        Graph g = Onnx.importModel(bytes, "two.onnx");
        assertEquals("two.onnx:2", g.nodes().get(1).location().toString());
    }

    @Test
    void importModel_fromFileThatIsNotOnnx_failsWithFormatError(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("junk.onnx");
        Files.writeString(f, "this is not a protobuf message at all");
        assertThrows(ModelFormatException.class, () -> Onnx.importModel(f));
    }
}
