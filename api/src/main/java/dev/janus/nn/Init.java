package dev.janus.nn;

import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;

/**
 * Weight initializers, in place, with PyTorch's formulas (fan-in/fan-out of a weight [out, in, k...] is
 * {@code in·k...} / {@code out·k...}). Each has an overload taking an explicit {@link Generator}; the others
 * use the default generator ({@link Janus#manualSeed}).
 */
public final class Init {
    private Init() {}

    /** Fan-in of a weight tensor: dimension 1 times the receptive field. */
    public static long fanIn(Tensor w) {
        return w.rank() < 2 ? w.numel() : w.dim(1) * receptive(w);
    }

    /** Fan-out of a weight tensor: dimension 0 times the receptive field. */
    public static long fanOut(Tensor w) {
        return w.rank() < 2 ? w.numel() : w.dim(0) * receptive(w);
    }

    private static long receptive(Tensor w) {
        long r = 1;
        for (int i = 2; i < w.rank(); i++) {
            r *= w.dim(i);
        }
        return r;
    }

    /** Fills with U(low, high). */
    public static Tensor uniform(Tensor t, double low, double high, Generator g) {
        return t.assign(Tensor.rand(g, t.shape().dims()).mul(high - low).add(low));
    }

    public static Tensor uniform(Tensor t, double low, double high) {
        return uniform(t, low, high, Janus.defaultGenerator());
    }

    /** Fills with N(mean, std²). */
    public static Tensor normal(Tensor t, double mean, double std, Generator g) {
        return t.assign(Tensor.randn(g, t.shape().dims()).mul(std).add(mean));
    }

    public static Tensor normal(Tensor t, double mean, double std) {
        return normal(t, mean, std, Janus.defaultGenerator());
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    public static Tensor constant(Tensor t, double value) {
        return t.assign(Tensor.full(value, t.dtype(), t.shape().dims()));
    }

    /** The gain of a nonlinearity ("linear", "relu", "tanh", "sigmoid", "leaky_relu" with slope a). */
    public static double gain(String nonlinearity, double a) {
        return switch (nonlinearity) {
            case "linear", "sigmoid", "conv" -> 1.0;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> Math.sqrt(2.0 / (1 + a * a));
            default -> throw new IllegalArgumentException("unknown nonlinearity '" + nonlinearity + "'");
        };
    }

    /** Kaiming (He) uniform: bound = gain·√(3 / fanIn). */
    public static Tensor kaimingUniform(Tensor t, double a, String nonlinearity, Generator g) {
        double bound = gain(nonlinearity, a) * Math.sqrt(3.0 / fanIn(t));
        return uniform(t, -bound, bound, g);
    }

    public static Tensor kaimingUniform(Tensor t, double a, String nonlinearity) {
        return kaimingUniform(t, a, nonlinearity, Janus.defaultGenerator());
    }

    /** Kaiming (He) normal: std = gain / √fanIn. */
    public static Tensor kaimingNormal(Tensor t, double a, String nonlinearity, Generator g) {
        return normal(t, 0, gain(nonlinearity, a) / Math.sqrt(fanIn(t)), g);
    }

    public static Tensor kaimingNormal(Tensor t, double a, String nonlinearity) {
        return kaimingNormal(t, a, nonlinearity, Janus.defaultGenerator());
    }

    /** Xavier (Glorot) uniform: bound = gain·√(6 / (fanIn + fanOut)). */
    public static Tensor xavierUniform(Tensor t, double gain, Generator g) {
        double bound = gain * Math.sqrt(6.0 / (fanIn(t) + fanOut(t)));
        return uniform(t, -bound, bound, g);
    }

    public static Tensor xavierUniform(Tensor t, double gain) {
        return xavierUniform(t, gain, Janus.defaultGenerator());
    }

    /** Xavier (Glorot) normal: std = gain·√(2 / (fanIn + fanOut)). */
    public static Tensor xavierNormal(Tensor t, double gain, Generator g) {
        return normal(t, 0, gain * Math.sqrt(2.0 / (fanIn(t) + fanOut(t))), g);
    }

    public static Tensor xavierNormal(Tensor t, double gain) {
        return xavierNormal(t, gain, Janus.defaultGenerator());
    }

    /**
     * PyTorch's default for Linear and Conv layers: weight kaiming-uniform with a = √5 (so bound = 1/√fanIn)
     * and bias U(-1/√fanIn, 1/√fanIn).
     */
    public static void pytorchDefault(Tensor weight, Tensor bias) {
        kaimingUniform(weight, Math.sqrt(5), "leaky_relu");
        if (bias != null) {
            double bound = 1 / Math.sqrt(fanIn(weight));
            uniform(bias, -bound, bound);
        }
    }
}
