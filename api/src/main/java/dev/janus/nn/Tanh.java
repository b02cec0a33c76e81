package dev.janus.nn;

import dev.janus.Tensor;

/** Hyperbolic tangent elementwise. <pre>{@code Tensor y = new Tanh().forward(x);}</pre> */
public class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.tanh();
    }
}
