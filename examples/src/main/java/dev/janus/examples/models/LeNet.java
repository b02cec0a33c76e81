package dev.janus.examples.models;

import dev.janus.Tensor;
import dev.janus.nn.Conv2d;
import dev.janus.nn.F;
import dev.janus.nn.Linear;
import dev.janus.nn.Module;

/**
 * LeNet-5 style CNN for 28×28 single-channel images: two 5×5 convolutions with ReLU and 2×2 max pooling,
 * then three fully connected layers (400 → 120 → 84 → 10). PyTorch's default initialization.
 */
public final class LeNet extends Module {
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
