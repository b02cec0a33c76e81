package dev.janus.examples.models;

import dev.janus.Tensor;
import dev.janus.nn.Linear;
import dev.janus.nn.Module;

/** A multilayer perceptron 784 → 512 → 256 → 10 with ReLU, for flattened 28×28 images. */
public final class Mlp extends Module {
    final Linear fc1 = new Linear(784, 512);
    final Linear fc2 = new Linear(512, 256);
    final Linear fc3 = new Linear(256, 10);

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x.reshape(x.dim(0), -1);
        h = fc1.forward(h).relu();
        h = fc2.forward(h).relu();
        return fc3.forward(h);
    }
}
