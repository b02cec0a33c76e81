package dev.janus.trace;

import dev.janus.Generator;
import dev.janus.Tensor;
import dev.janus.nn.Conv2d;
import dev.janus.nn.F;
import dev.janus.nn.Linear;
import dev.janus.nn.Module;

/**
 * Small models the tracer tests trace. Lines that tests check carry a marker comment ({@code // @name}), found
 * by {@link SourceLines}.
 */
final class TraceModels {
    private TraceModels() {}

    /** The seed: a recurrence run T times, T a dynamic argument. */
    static final class Rnn extends Module {
        final Tensor w;
        final Tensor b;

        Rnn(int n, long seed) {
            Generator g = new Generator(seed);
            w = registerParameter("W", Tensor.randn(g, n, n).mul(0.5));
            b = registerParameter("b", Tensor.randn(g, n, 1).mul(0.1));
        }

        @Override
        public Tensor forward(Tensor h) {
            return forward(h, 1);
        }

        public Tensor forward(Tensor h, int steps) {
            for (int t = 0; t < steps; t++) {
                h = w.matmul(h).add(b).tanh(); // @seed-body
            }
            return h;
        }
    }

    /** A data-dependent branch on the sign of a sum. */
    static final class Gate extends Module {
        @Override
        public Tensor forward(Tensor x) {
            Tensor y;
            if (x.sum().item() > 0) { // @gate-if
                y = x.exp().mul(2.0);
            } else {
                y = x.neg().sub(1.0);
            }
            return y.relu().add(1.0);
        }

        /** Both sides return; the merge is the method's end. */
        public Tensor early(Tensor x) {
            if (x.max().item() > 1.0) {
                return x.div(x.max());
            }
            return x.mul(3.0);
        }

        /** Two data-dependent tests joined by {@code &&}: an if nested in the first if's then side. */
        public Tensor both(Tensor x, Tensor y) {
            if (x.sum().item() > 0 && y.sum().item() > 0) {
                return x.add(y);
            }
            return x.sub(y);
        }

        /** A boolean variable from a data-dependent comparison, tested later. */
        public Tensor flag(Tensor x) {
            boolean positive = x.sum().item() > 0;
            Tensor y = x.mul(3.0);
            return positive ? y : y.neg();
        }

        /** A condition on a size, known while tracing: followed, not recorded. */
        public Tensor bySize(Tensor x) {
            if (x.dim(0) > 2) {
                return x.relu();
            }
            return x.neg();
        }

        /** A conditional expression choosing a number: the number becomes a graph value. */
        public Tensor ternary(Tensor x) {
            double scale = x.mean().item() >= 0 ? 2.0 : -0.5;
            return x.mul(scale);
        }
    }

    /** Loops whose conditions depend on tensor data or on a dynamic scalar. */
    static final class Loops extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return halve(x);
        }

        /** A while loop on tensor data: the condition is re-evaluated in the graph. */
        public Tensor halve(Tensor x) {
            while (x.abs().sum().item() > 1.0) { // @halve-while
                x = x.mul(0.5);
            }
            return x;
        }

        /** A do-while loop: the body runs once before the first test. */
        public Tensor doubleUntil(Tensor x) {
            do {
                x = x.mul(2.0);
            } while (x.abs().max().item() < 10.0);
            return x;
        }

        /** {@code while (true)} with a data-dependent {@code break} at the end of the body: a do-while loop. */
        public Tensor halveUntilSmall(Tensor x) {
            while (true) {
                x = x.mul(0.5);
                if (x.abs().sum().item() < 1) {
                    break;
                }
            }
            return x;
        }

        /** A counted loop carrying a tensor and a number, with a data-dependent if in its body. */
        public Tensor accumulate(Tensor x, int n) {
            Tensor acc = x.mul(0.0);
            double weight = 1.0;
            for (int i = 0; i < n; i++) {
                if (acc.sum().item() > 2.0) {
                    acc = acc.sub(x);
                } else {
                    acc = acc.add(x.mul(weight));
                }
                weight = weight * 0.5;
            }
            return acc.add(weight);
        }

        /** Varargs arrays and a list created inside data-dependent code may be filled there. */
        public Tensor freshObjects(Tensor x, int n) {
            Tensor h = x.reshape(2, -1);
            for (int i = 0; i < n; i++) {
                java.util.List<Tensor> parts = new java.util.ArrayList<>();
                parts.add(h.permute(1, 0).permute(1, 0));
                parts.add(h.mul(0.5));
                h = Tensor.cat(1, parts.get(0), parts.get(1)).narrow(1, 0, 2).tanh();
            }
            return h.reshape(-1);
        }

        /** A data-dependent {@code continue} in a counted loop: an if whose sides meet at the increment. */
        public Tensor skipLarge(Tensor x, int n) {
            for (int i = 0; i < n; i++) {
                if (x.sum().item() > 5) {
                    continue;
                }
                x = x.add(1.0);
            }
            return x;
        }

        /** The start value and every iteration's value, as a list (a scanned output of the loop). */
        public java.util.List<Tensor> trajectory(Tensor x, int n) {
            java.util.List<Tensor> xs = new java.util.ArrayList<>();
            xs.add(x);
            for (int i = 0; i < n; i++) {
                x = x.mul(0.5).add(1.0);
                xs.add(x);
            }
            return xs;
        }

        /** A data-dependent while loop collecting its values, stacked along axis 1 with the start value first. */
        public Tensor halvings(Tensor x) {
            java.util.List<Tensor> xs = new java.util.ArrayList<>();
            xs.add(x);
            while (x.abs().sum().item() > 1.0) {
                x = x.mul(0.5);
                xs.add(x);
            }
            return Tensor.stack(1, xs);
        }

        /** A loop over a concrete count: unrolled. */
        public Tensor unrolled(Tensor x) {
            for (int i = 0; i < 3; i++) {
                x = x.mul(2.0).relu();
            }
            return x;
        }
    }

    /** A user subclass of a library layer whose override calls the library's method with super. */
    static final class ScaledLinear extends Linear {
        ScaledLinear() {
            super(3, 2);
        }

        @Override
        public Tensor forward(Tensor x) {
            return super.forward(x).mul(2.0); // @super
        }
    }

    /** A user module with two layers, a private helper and a static helper. */
    static final class Block extends Module {
        final Linear fc1 = new Linear(8, 16);
        final Linear fc2 = new Linear(16, 8);
        private final double gain = 1.5;

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = squash(fc1.forward(x)); // @block-fc1
            return fc2.forward(h).add(x); // @block-residual
        }

        private Tensor squash(Tensor t) {
            return t.tanh().mul(gain); // @squash
        }
    }

    /** Composes user modules and a static helper. */
    static final class Net extends Module {
        final Block first = new Block();
        final Block second = new Block();
        final Linear head = new Linear(8, 3);

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = second.forward(first.forward(x));
            return head.forward(center(h)); // @net-head
        }

        static Tensor center(Tensor t) {
            return t.sub(t.mean(1, true)); // @center
        }
    }

    /** A model whose forward reads a mutable Java field: a trace bakes its value in. */
    static final class Drifting extends Module {
        final Linear fc = new Linear(4, 3);
        double scale = 2.0;

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = fc.forward(x).relu();
            Tensor scaled = h.mul(scale); // @drift-scale
            return scaled.add(h).sum(1);
        }
    }

    /** LeNet-style CNN for 28x28 images. */
    static final class LeNet extends Module {
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
}
