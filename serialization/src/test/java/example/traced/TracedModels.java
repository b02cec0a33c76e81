package example.traced;

import dev.janus.Generator;
import dev.janus.Tensor;
import dev.janus.nn.Conv2d;
import dev.janus.nn.F;
import dev.janus.nn.Linear;
import dev.janus.nn.Module;

/**
 * User models for the archive tests, outside Janus's packages so the tracer interprets them as it would a
 * user's code (it executes classes of Janus's own packages).
 */
public final class TracedModels {
    private TracedModels() {}

    /** The seed: a Java loop whose trip count is an argument. */
    public static final class Rnn {
        final Tensor w = Tensor.randn(new Generator(5), 8, 8).mul(0.4);
        final Tensor b = Tensor.randn(new Generator(6), 8, 1);

        public Tensor forward(Tensor h, int steps) {
            for (int t = 0; t < steps; t++) {
                h = w.matmul(h).add(b).tanh();
            }
            return h;
        }
    }

    /** LeNet-5 for 28×28 single-channel images. */
    public static final class LeNet extends Module {
        final Conv2d conv1 = new Conv2d(1, 6, 5).padding(2);
        final Conv2d conv2 = new Conv2d(6, 16, 5);
        final Linear fc1 = new Linear(16 * 5 * 5, 120);
        final Linear fc2 = new Linear(120, 84);
        final Linear fc3 = new Linear(84, 10);

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = pool(conv1.forward(x));
            h = pool(conv2.forward(h));
            h = h.flatten(1, -1);
            return fc3.forward(fc2.forward(fc1.forward(h).relu()).relu());
        }

        private static Tensor pool(Tensor x) {
            return F.maxPool2d(x.relu(), 2);
        }
    }
}
