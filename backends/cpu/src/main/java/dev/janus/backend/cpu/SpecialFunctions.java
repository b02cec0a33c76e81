package dev.janus.backend.cpu;

/** Math the JDK lacks. */
final class SpecialFunctions {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private SpecialFunctions() {}

    /**
     * The error function to about 1e-14: a Taylor series below 2.5 and a continued fraction for erfc above,
     * accurate enough that float64 finite differences of it agree with its analytic derivative.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a < 2.5) {
            double term = a;
            double sum = a;
            double x2 = a * a;
            for (int n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
                term *= -x2 / n;
                sum += term / (2 * n + 1);
            }
            return Math.copySign(TWO_OVER_SQRT_PI * sum, x);
        }
        return Math.copySign(1 - erfcLarge(a), x);
    }

    /** erfc(a) for a ≥ 2.5 by Lentz's continued fraction. */
    private static double erfcLarge(double a) {
        if (a > 27) {
            return 0;
        }
        // erfc(a) = exp(-a²)/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + 2/(a + ...)))))
        double tiny = 1e-300;
        double f = a;
        double c = a;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double an = n * 0.5;
            d = a + an * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = a + an / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-a * a) / (Math.sqrt(Math.PI) * f);
    }

    /** A faster erf for float32 results (relative error below 1e-7): series near 0, erfc fit elsewhere. */
    static double erfFloat(double x) {
        double a = Math.abs(x);
        if (a < 0.5) {
            double x2 = a * a;
            double s = a * (1 + x2 * (-1.0 / 3 + x2 * (1.0 / 10 + x2 * (-1.0 / 42 + x2 * (1.0 / 216 + x2 * (-1.0 / 1320))))));
            return Math.copySign(TWO_OVER_SQRT_PI * s, x);
        }
        double t = 1 / (1 + 0.5 * a);
        double erfc = t * Math.exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
                + t * 0.17087277)))))))));
        return Math.copySign(1 - erfc, x);
    }

    /**
     * tanh through one {@link Math#exp} (a JIT intrinsic) instead of {@link Math#tanh} (a slower library call,
     * the main cost of an RNN step): an odd series near 0, where {@code 1 - 2/(e^2|x| + 1)} would cancel, and
     * ±1 beyond |x| = 20. Relative error below 1e-14.
     */
    static double tanh(double x) {
        double a = Math.abs(x);
        if (a < 0.0625) {
            double x2 = x * x;
            return x * (1 + x2 * (-1.0 / 3 + x2 * (2.0 / 15 + x2 * (-17.0 / 315 + x2 * (62.0 / 2835)))));
        }
        if (a > 20) {
            return Math.copySign(1.0, x);
        }
        return Math.copySign(1 - 2 / (Math.exp(2 * a) + 1), x);
    }

    /** Logistic sigmoid without overflow for large |x|. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }
}
