package dev.janus.examples;

import dev.janus.Generator;
import dev.janus.Tensor;
import java.io.PrintStream;

/**
 * The quickstart: fit a two-layer network to a noisy sine with eager autograd and plain SGD, printing the
 * loss as it falls. Everything here is ordinary Java — set a breakpoint anywhere and inspect any tensor.
 */
public final class Quickstart {
    private Quickstart() {}

    /** Trains for {@code steps} steps and returns the final mean squared error. */
    public static double run(int steps, PrintStream out) {
        Generator g = new Generator(42);
        Tensor x = Tensor.linspace(-3, 3, 256).reshape(256, 1);
        Tensor y = x.sin().add(Tensor.randn(g, 256, 1).mul(0.05));
        out.println("Janus quickstart: fitting y = sin(x) + noise with a 1-32-1 tanh network (eager autograd, SGD)");

        Tensor w1 = Tensor.randn(g, 1, 32).mul(1.0).requiresGrad(true);
        Tensor b1 = Tensor.zeros(32).requiresGrad(true);
        Tensor w2 = Tensor.randn(g, 32, 1).mul(1 / Math.sqrt(32)).requiresGrad(true);
        Tensor b2 = Tensor.zeros(1).requiresGrad(true);
        Tensor[] params = {w1, b1, w2, b2};
        double lr = 0.02;
        double loss = Double.NaN;
        for (int step = 0; step <= steps; step++) {
            Tensor pred = x.matmul(w1).add(b1).tanh().matmul(w2).add(b2);
            Tensor mse = pred.sub(y).pow(2).mean();
            loss = mse.item();
            if (step % (steps / 10) == 0) {
                out.printf("step %4d  loss %.5f%n", step, loss);
            }
            if (step == steps) {
                break;
            }
            for (Tensor p : params) {
                p.zeroGrad();
            }
            mse.backward();
            for (Tensor p : params) {
                p.assign(p.detach().sub(p.grad().mul(lr)));
            }
        }
        out.printf("final loss %.5f (noise floor 0.0025)%n", loss);
        return loss;
    }
}
