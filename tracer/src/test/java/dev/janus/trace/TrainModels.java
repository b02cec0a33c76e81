package dev.janus.trace;

import dev.janus.Tensor;
import dev.janus.nn.F;
import dev.janus.nn.Linear;
import dev.janus.nn.Module;
import dev.janus.optim.Optimizer;

/** Training steps the tracer tests trace: a user module and a user class that holds it with its optimizer. */
final class TrainModels {
    private TrainModels() {}

    /** A two-layer perceptron. */
    static final class Mlp extends Module {
        final Linear fc1;
        final Linear fc2;

        Mlp(int in, int hidden, int out) {
            fc1 = new Linear(in, hidden);
            fc2 = new Linear(hidden, out);
        }

        @Override
        public Tensor forward(Tensor x) {
            return fc2.forward(fc1.forward(x).relu());
        }
    }

    /** One training step, written as it is written eagerly. */
    static final class Trainer {
        final Mlp model;
        final Optimizer opt;

        Trainer(Mlp model, Optimizer opt) {
            this.model = model;
            this.opt = opt;
        }

        /** Returns the loss as a number. */
        double step(Tensor x, Tensor y) {
            opt.zeroGrad();
            Tensor loss = F.crossEntropy(model.forward(x), y);
            loss.backward();
            opt.step(); // @train-step
            return loss.item();
        }

        /** Returns the loss tensor. */
        Tensor stepTensor(Tensor x, Tensor y) {
            opt.zeroGrad();
            Tensor loss = F.crossEntropy(model.forward(x), y);
            loss.backward();
            opt.step();
            return loss;
        }
    }
}
