package dev.janus;

import java.util.function.Function;

/**
 * Checks a function's analytic gradients against float64 central finite differences. The output is
 * reduced to a scalar with a random weighting, so every output element counts; each input is checked
 * element by element when small and along random directions when large.
 *
 * <pre>{@code
 * GradCheck.check(in -> in[0].tanh().matmul(in[1]), x, w);   // x, w: float64 tensors
 * }</pre>
 */
public final class GradCheck {
    /** Step of the central differences (float64). */
    public static final double EPS = 1e-6;
    public static final double ATOL = 1e-5;
    public static final double RTOL = 1e-4;
    private static final int ELEMENTWISE_LIMIT = 64;
    private static final int DIRECTIONS = 6;

    private GradCheck() {}

    /**
     * Throws {@link AssertionError} naming the input, the element or direction, and both values when an
     * analytic gradient disagrees with the numerical one. Inputs must be float64; they are not modified.
     */
    public static void check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs) {
            if (t.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("gradcheck needs float64 inputs, got " + t.dtype().shortName() + t.shape());
            }
        }
        Generator g = new Generator(1234);
        Tensor probe = f.apply(detached(inputs, false));
        Tensor weight = Tensor.randn(g, DType.FLOAT64, probe.shape().dims());
        Function<Tensor[], Tensor> scalar = in -> f.apply(in).cast(DType.FLOAT64).mul(weight).sum();

        Tensor[] leaves = detached(inputs, true);
        Tensor[] analytic = Janus.grad(scalar.apply(leaves), leaves, false);
        for (int i = 0; i < inputs.length; i++) {
            double[] x = inputs[i].toDoubleArray();
            double[] grad = analytic[i].toDoubleArray();
            if (x.length <= ELEMENTWISE_LIMIT) {
                for (int e = 0; e < x.length; e++) {
                    double[] dir = new double[x.length];
                    dir[e] = 1;
                    compare(scalar, inputs, i, dir, grad, "element " + e);
                }
            } else {
                for (int d = 0; d < DIRECTIONS; d++) {
                    double[] dir = new double[x.length];
                    for (int e = 0; e < dir.length; e++) {
                        dir[e] = g.nextGaussian();
                    }
                    compare(scalar, inputs, i, dir, grad, "random direction " + d);
                }
            }
        }
    }

    private static void compare(Function<Tensor[], Tensor> scalar, Tensor[] inputs, int i, double[] dir, double[] grad,
            String where) {
        double numeric;
        try (var ng = Janus.noGrad()) {
            double plus = scalar.apply(shifted(inputs, i, dir, EPS)).item();
            double minus = scalar.apply(shifted(inputs, i, dir, -EPS)).item();
            numeric = (plus - minus) / (2 * EPS);
        }
        double analytic = 0;
        for (int e = 0; e < dir.length; e++) {
            analytic += grad[e] * dir[e];
        }
        if (!(Math.abs(analytic - numeric) <= ATOL + RTOL * Math.abs(numeric))) {
            throw new AssertionError("gradient mismatch for input " + i + " " + inputs[i].shape() + " at " + where
                    + ": analytic " + analytic + ", numerical " + numeric);
        }
    }

    private static Tensor[] detached(Tensor[] inputs, boolean requiresGrad) {
        Tensor[] r = new Tensor[inputs.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Tensor.of(inputs[i].toDoubleArray(), inputs[i].shape()).requiresGrad(requiresGrad);
        }
        return r;
    }

    private static Tensor[] shifted(Tensor[] inputs, int which, double[] dir, double eps) {
        Tensor[] r = detached(inputs, false);
        double[] x = inputs[which].toDoubleArray();
        for (int e = 0; e < x.length; e++) {
            x[e] += eps * dir[e];
        }
        r[which] = Tensor.of(x, inputs[which].shape());
        return r;
    }
}
