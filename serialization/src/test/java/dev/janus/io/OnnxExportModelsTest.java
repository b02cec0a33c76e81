package dev.janus.io;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import dev.janus.graph.InputSpec;
import dev.janus.nn.Linear;
import dev.janus.nn.ReLU;
import dev.janus.nn.Sequential;
import org.junit.jupiter.api.Test;

/** Whole models exported to ONNX and run in ONNX Runtime give what Janus's CompiledGraph gives. */
class OnnxExportModelsTest {
    @Test
    void mlp_dynamicBatch_matchesOnnxRuntime() {
        Janus.manualSeed(7);
        Sequential mlp = new Sequential(new Linear(784, 512), new ReLU(), new Linear(512, 256), new ReLU(),
                new Linear(256, 10));
        Graph g = GraphCapture.capture(mlp, mlp::forward, InputSpec.of(DType.FLOAT32, 4, 784).dynamic(0));
        byte[] model = OnnxRuntimeHarness.assertSameAsJanus(g, Tensor.randn(new Generator(1), 4, 784));
        OnnxRuntimeHarness.assertSameAsJanus(model, g, Tensor.randn(new Generator(2), 9, 784));
    }
}
