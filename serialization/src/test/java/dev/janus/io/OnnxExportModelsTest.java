package dev.janus.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.graph.ControlFlow;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import dev.janus.graph.InputSpec;
import dev.janus.graph.Node;
import dev.janus.graph.passes.PassManager;
import dev.janus.io.onnx.OnnxProto.ModelProto;
import dev.janus.io.onnx.OnnxProto.NodeProto;
import dev.janus.io.onnx.OnnxProtoReader;
import dev.janus.nn.Conv2d;
import dev.janus.nn.Flatten;
import dev.janus.nn.LSTM;
import dev.janus.nn.Linear;
import dev.janus.nn.MaxPool2d;
import dev.janus.nn.ReLU;
import dev.janus.nn.Sequential;
import dev.janus.ops.Op;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whole models exported to ONNX and run in ONNX Runtime give what Janus's CompiledGraph gives. */
class OnnxExportModelsTest {
    private static Sequential mlp() {
        Janus.manualSeed(7);
        return new Sequential(new Linear(784, 512), new ReLU(), new Linear(512, 256), new ReLU(), new Linear(256, 10));
    }

    @Test
    void mlp_dynamicBatch_matchesOnnxRuntime() throws Exception {
        Sequential mlp = mlp();
        Graph g = GraphCapture.capture(mlp, mlp::forward, InputSpec.of(DType.FLOAT32, 4, 784).dynamic(0));
        byte[] model = OnnxRuntimeHarness.assertSameAsJanus(g, Tensor.randn(new Generator(1), 4, 784));
        OnnxRuntimeHarness.assertSameAsJanus(model, g, Tensor.randn(new Generator(2), 9, 784));
        ModelProto m = OnnxProtoReader.read(model);
        assertEquals(17, m.defaultOpset());
        assertEquals(8, m.irVersion());
        assertEquals("batch", m.graph().inputs().get(0).type().dims().get(0).param());
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"),
                m.graph().initializers().stream().map(t -> t.name()).filter(n -> !n.startsWith("k")).toList());
    }

    @Test
    void mlp_afterFusionPasses_inlinesFusedKernels() throws Exception {
        Sequential mlp = mlp();
        Graph g = PassManager.forExecution().apply(
                GraphCapture.capture(mlp, mlp::forward, InputSpec.of(DType.FLOAT32, 4, 784).dynamic(0)));
        assertTrue(g.nodes().stream().anyMatch(n -> n.op() == Op.FUSED), g::toString);
        byte[] model = OnnxRuntimeHarness.assertSameAsJanus(g, Tensor.randn(new Generator(3), 5, 784));
        for (NodeProto n : OnnxProtoReader.read(model).graph().nodes()) {
            assertTrue(!n.opType().equals("fused"), "no Janus op names in the ONNX graph");
        }
    }

    @Test
    void lenet_convPoolLinear_matchesOnnxRuntime() {
        Janus.manualSeed(11);
        Sequential lenet = new Sequential(new Conv2d(1, 6, 5).padding(2), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(400, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10));
        Graph g = GraphCapture.capture(lenet, lenet::forward, InputSpec.of(DType.FLOAT32, 2, 1, 28, 28).dynamic(0));
        byte[] model = OnnxRuntimeHarness.assertSameAsJanus(g, Tensor.randn(new Generator(4), 2, 1, 28, 28));
        OnnxRuntimeHarness.assertSameAsJanus(model, g, Tensor.randn(new Generator(5), 3, 1, 28, 28));
    }

    @Test
    void lstm_unrolledSequence_matchesOnnxRuntime() {
        Janus.manualSeed(13);
        LSTM lstm = new LSTM(8, 16);
        Graph g = GraphCapture.capture(lstm, lstm::forward, InputSpec.of(DType.FLOAT32, 6, 3, 8));
        OnnxRuntimeHarness.assertSameAsJanus(g, Tensor.randn(new Generator(6), 6, 3, 8));
    }

    @Test
    void seedRnnLoop_tripCountInput_matchesOnnxRuntimeForSeveralT() throws Exception {
        Generator gen = new Generator(17);
        Tensor w = Tensor.randn(gen, 5, 5).mul(0.5);
        Tensor b = Tensor.randn(gen, 5, 1).mul(0.1);
        Graph g = GraphCapture.captureAll(Map.of(w, "W", b, "b"), in -> ControlFlow.forLoop(in[1], List.of(in[0]),
                (i, c) -> List.of(w.matmul(c.get(0)).add(b).tanh())),
                InputSpec.of(DType.FLOAT32, 5, 1).named("h"), InputSpec.of(DType.INT64).named("steps"));
        assertTrue(g.nodes().stream().anyMatch(n -> n.op() == Op.LOOP));
        byte[] model = Onnx.toBytes(dev.janus.graph.GraphFunction.of(g, "seed"));
        Tensor h0 = Tensor.randn(new Generator(8), 5, 1);
        for (long t : new long[] {0, 1, 3, 10}) {
            OnnxRuntimeHarness.assertSameAsJanus(model, g, h0, Tensor.scalar(t, DType.INT64));
        }
        NodeProto loop = OnnxProtoReader.read(model).graph().nodes().stream().filter(n -> n.opType().equals("Loop"))
                .findFirst().orElseThrow();
        assertEquals("steps", loop.inputs().get(0));
    }

    @Test
    void ifGraph_bothBranches_matchOnnxRuntime() {
        Graph g = GraphCapture.captureAll(Map.of(), in -> ControlFlow.ifThenElse(in[0].sum().gt(0.0),
                () -> List.of(in[0].exp().mul(2.0), in[0]),
                () -> List.of(in[0].neg().sub(1.0), in[0].mul(in[0]))), InputSpec.of(DType.FLOAT32, 2, 3));
        byte[] model = Onnx.toBytes(dev.janus.graph.GraphFunction.of(g, "gate"));
        OnnxRuntimeHarness.assertSameAsJanus(model, g, Tensor.ones(2, 3));
        OnnxRuntimeHarness.assertSameAsJanus(model, g, Tensor.full(-0.5, 2, 3));
    }

    @Test
    void whileLoop_withScannedOutputs_matchesOnnxRuntime() {
        Graph g = GraphCapture.captureAll(Map.of(), in -> ControlFlow.loop(null, in[0].sum().gt(1.0), List.of(in[0]),
                (i, c) -> {
                    Tensor next = c.get(0).mul(0.5);
                    return new ControlFlow.LoopStep(next.sum().gt(1.0), List.of(next), List.of(next.sum()));
                }), InputSpec.of(DType.FLOAT64, 3));
        OnnxRuntimeHarness.assertSameAsJanus(g, Tensor.of(new double[] {4, 2, 1}));
    }

    @Test
    void gradientKernel_notExportable_namesNodeAndLine() {
        Graph g = GraphCapture.capture(in -> dev.janus.ops.Dispatch.apply(Op.MAX_POOL2D_GRAD,
                dev.janus.ops.Attrs.of("kernel", new int[] {2, 2}, "stride", new int[] {2, 2}, "padding", new int[] {0, 0},
                        "dilation", new int[] {1, 1}), in[0], in[1]),
                new dev.janus.ops.TensorSpec(DType.FLOAT32, Shape.of(1, 1, 2, 2)),
                new dev.janus.ops.TensorSpec(DType.FLOAT32, Shape.of(1, 1, 4, 4)));
        Node n = g.nodes().get(0);
        UnsupportedOperationException e = org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                () -> Onnx.toBytes(dev.janus.graph.GraphFunction.of(g, "grad")));
        assertTrue(e.getMessage().contains("max_pool2d_grad") && e.getMessage().contains(n.location().toString()),
                e.getMessage());
    }
}
