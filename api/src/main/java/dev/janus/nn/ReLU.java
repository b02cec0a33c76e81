package dev.janus.nn;

import dev.janus.Tensor;

/** {@code max(x, 0)} elementwise. <pre>{@code new Sequential(new Linear(4, 8), new ReLU())}</pre> */
public class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
