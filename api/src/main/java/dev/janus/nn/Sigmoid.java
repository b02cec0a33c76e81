package dev.janus.nn;

import dev.janus.Tensor;

/** {@code 1 / (1 + e^-x)} elementwise. <pre>{@code Tensor p = new Sigmoid().forward(logits);}</pre> */
public class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.sigmoid();
    }
}
