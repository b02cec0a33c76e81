package dev.janus.io;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.graph.ControlFlow;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import dev.janus.graph.InputSpec;
import dev.janus.nn.Conv2d;
import dev.janus.nn.F;
import dev.janus.nn.Linear;
import dev.janus.nn.Module;
import dev.janus.ops.TensorSpec;
import java.util.List;
import java.util.Map;

/** Small models captured as graphs, with example inputs: what the archive tests save and load. */
final class ArchiveModels {
    private ArchiveModels() {}

    /** A captured graph, an example input for it and the name it is saved under. */
    record Example(String name, Graph graph, Tensor[] inputs) {}

    /** 6 → 8 → 3 with ReLU. */
    static final class Mlp extends Module {
        final Linear fc1 = new Linear(6, 8);
        final Linear fc2 = new Linear(8, 3);

        @Override
        public Tensor forward(Tensor x) {
            return fc2.forward(fc1.forward(x).relu());
        }
    }

    /** conv 3×3 (1 → 2 channels), ReLU, 2×2 max pool, flatten, linear 18 → 3, on 1×8×8 images. */
    static final class SmallCnn extends Module {
        final Conv2d conv = new Conv2d(1, 2, 3);
        final Linear fc = new Linear(2 * 3 * 3, 3);

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = F.maxPool2d(conv.forward(x).relu(), 2);
            return fc.forward(h.flatten(1, -1));
        }
    }

    /** LeNet-5 style CNN for 28×28 single-channel images, as in the examples (which tests may not use). */
    static final class LeNetLike extends Module {
        final Conv2d conv1 = new Conv2d(1, 6, 5).padding(2);
        final Conv2d conv2 = new Conv2d(6, 16, 5);
        final Linear fc1 = new Linear(16 * 5 * 5, 120);
        final Linear fc2 = new Linear(120, 84);
        final Linear fc3 = new Linear(84, 10);

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = F.maxPool2d(conv1.forward(x).relu(), 2);
            h = F.maxPool2d(conv2.forward(h).relu(), 2);
            h = h.flatten(1, -1);
            h = fc1.forward(h).relu();
            h = fc2.forward(h).relu();
            return fc3.forward(h);
        }
    }

    static Example mlp(long seed) {
        Janus.manualSeed(seed);
        Mlp m = new Mlp();
        Graph g = GraphCapture.capture(m, m::forward, InputSpec.of(DType.FLOAT32, 4, 6).dynamic(0));
        return new Example("mlp", g, new Tensor[] {Tensor.randn(new Generator(seed + 1), 4, 6)});
    }

    static Example smallCnn(long seed) {
        Janus.manualSeed(seed);
        SmallCnn m = new SmallCnn();
        Graph g = GraphCapture.capture(m, m::forward, InputSpec.of(DType.FLOAT32, 2, 1, 8, 8).dynamic(0));
        return new Example("cnn", g, new Tensor[] {Tensor.randn(new Generator(seed + 1), 2, 1, 8, 8)});
    }

    static Example lenet(long seed) {
        Janus.manualSeed(seed);
        LeNetLike m = new LeNetLike();
        Graph g = GraphCapture.capture(m, m::forward, InputSpec.of(DType.FLOAT32, 4, 1, 28, 28).dynamic(0));
        return new Example("lenet", g, new Tensor[] {Tensor.randn(new Generator(seed + 1), 3, 1, 28, 28)});
    }

    /** The seed RNN: h = tanh(W h + b) for t &lt; T, with T (an i64 scalar) a graph input; a LOOP node. */
    static Example seedRnn(long seed, long steps) {
        Generator g = new Generator(seed);
        Tensor w = Tensor.randn(g, 4, 4).mul(0.5);
        Tensor b = Tensor.randn(g, 4, 1);
        Graph graph = GraphCapture.captureAll(Map.of(w, "W", b, "b"), in -> ControlFlow.forLoop(in[1], List.of(in[0]),
                (t, carried) -> List.of(w.matmul(carried.get(0)).add(b).tanh())),
                InputSpec.of(DType.FLOAT32, 4, 2).named("h0"), InputSpec.of(new TensorSpec(DType.INT64, Shape.scalar()))
                        .named("T"));
        return new Example("rnn", graph, new Tensor[] {Tensor.randn(g, 4, 2), Tensor.scalar(steps, DType.INT64)});
    }

    /** The seed RNN unrolled eagerly, the reference for the loop's results. */
    static Tensor eagerRnn(Graph rnn, Tensor h, long steps) {
        Tensor w = null;
        Tensor b = null;
        for (Map.Entry<dev.janus.graph.Value, Tensor> p : rnn.parameters().entrySet()) {
            if ("W".equals(p.getKey().name())) {
                w = p.getValue();
            } else if ("b".equals(p.getKey().name())) {
                b = p.getValue();
            }
        }
        for (int t = 0; t < steps; t++) {
            h = w.matmul(h).add(b).tanh();
        }
        return h;
    }
}
