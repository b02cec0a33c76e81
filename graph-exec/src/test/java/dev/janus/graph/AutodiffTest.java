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
import dev.janus.nn.Conv2d;
import dev.janus.nn.F;
import dev.janus.nn.Linear;
import dev.janus.nn.Module;
import dev.janus.ops.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Graph gradients must equal the eager tape's, since both run the same VJP rules. */
class AutodiffTest {
    static final class SmallCnn extends Module {
        final Conv2d conv = new Conv2d(1, 3, 3).padding(1);
        final Linear fc = new Linear(3 * 4 * 4, 5);

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = F.maxPool2d(conv.forward(x).relu(), 2);
            return fc.forward(h.flatten(1, -1)).tanh();
        }
    }

    @Test
    void gradients_ofCnnLoss_matchEagerBackward() {
        Janus.manualSeed(11);
        SmallCnn m = new SmallCnn();
        Tensor x = Tensor.randn(new Generator(1), 4, 1, 8, 8);
        Tensor y = Tensor.of(new long[] {0, 3, 1, 4});
        Graph g = GraphCapture.capture(m, in -> F.crossEntropy(m.forward(in), y),
                new TensorSpec(DType.FLOAT32, Shape.of(4, 1, 8, 8)));
        List<Value> params = new ArrayList<>(g.parameters().keySet());
        Graph withGrads = Autodiff.gradients(g, 0, params);
        Tensor[] out = new Executor(withGrads).run(x);

        m.zeroGrad();
        Tensor loss = F.crossEntropy(m.forward(x), y);
        loss.backward();
        assertEquals(loss.item(), out[0].item(), 1e-6);
        Map<Value, Tensor> live = g.parameters();
        for (int i = 0; i < params.size(); i++) {
            Tensor eagerGrad = live.get(params.get(i)).grad();
            assertArrayEquals(eagerGrad.toFloatArray(), out[1 + i].toFloatArray(), 1e-5f, params.get(i).ref());
        }
    }

    @Test
    void gradients_withRespectToInput_matchFiniteDifferencesViaEager() {
        Graph g = GraphCapture.capture(in -> in[0].mul(in[0]).sin().sum(), new TensorSpec(DType.FLOAT64, Shape.of(3)));
        Graph withGrads = Autodiff.gradients(g, 0, List.of(g.inputs().get(0)));
        double[] x = {0.3, -1.1, 2.0};
        double[] grad = new Executor(withGrads).run(Tensor.of(x))[1].toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(2 * x[i] * Math.cos(x[i] * x[i]), grad[i], 1e-12);
        }
    }

    @Test
    void gradients_throughDetach_treatDetachedValueAsConstant() {
        Graph g = GraphCapture.capture(in -> in[0].mul(in[0].detach()).sum(), new TensorSpec(DType.FLOAT64, Shape.of(2)));
        Graph withGrads = Autodiff.gradients(g, 0, List.of(g.inputs().get(0)));
        // d/dx sum(x · stop(x)) = stop(x) = x, not 2x
        assertArrayEquals(new double[] {1.5, -3}, new Executor(withGrads).run(Tensor.of(new double[] {1.5, -3}))[1]
                .toDoubleArray(), 1e-15);
    }

    @Test
    void gradients_nodesCarryForwardSourceLines() {
        Graph g = GraphCapture.capture(in -> in[0].exp().sum(), new TensorSpec(DType.FLOAT32, Shape.of(2)));
        Graph withGrads = Autodiff.gradients(g, 0, List.of(g.inputs().get(0)));
        assertTrue(withGrads.nodes().size() > g.nodes().size());
        for (Node n : withGrads.nodes()) {
            assertEquals("AutodiffTest.java", n.location().file(), n.toString());
        }
    }

    @Test
    void gradients_unusedValue_getsZeros() {
        Graph g = GraphCapture.captureAll(Map.of(), in -> List.of(in[0].sum()),
                new TensorSpec(DType.FLOAT32, Shape.of(2)), new TensorSpec(DType.FLOAT32, Shape.of(3)));
        Graph withGrads = Autodiff.gradients(g, 0, List.of(g.inputs().get(1)));
        Tensor[] out = new Executor(withGrads).run(Tensor.ones(2), Tensor.ones(3));
        assertArrayEquals(new float[3], out[1].toFloatArray());
    }

    @Test
    void gradients_nonScalarOutput_isRejected() {
        Graph g = GraphCapture.capture(in -> in[0].exp(), new TensorSpec(DType.FLOAT32, Shape.of(2)));
        assertThrows(IllegalArgumentException.class, () -> Autodiff.gradients(g, 0, List.of(g.inputs().get(0))));
    }
}
