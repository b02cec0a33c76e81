package dev.janus.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The exp-based tanh against the JDK's, across the series/exp boundary, the tails and special values. */
class TanhTest {
    @Test
    void tanh_matchesMathTanh_toNearlyDoublePrecision() {
        Random rnd = new Random(3);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            double x = switch (i % 4) {
                case 0 -> rnd.nextGaussian() * 0.05;      // series branch and its boundary
                case 1 -> (rnd.nextDouble() - 0.5) * 0.2; // around |x| = 0.0625
                case 2 -> rnd.nextGaussian() * 4;
                default -> (rnd.nextDouble() - 0.5) * 50; // tails past 20
            };
            double expected = Math.tanh(x);
            double rel = expected == 0 ? Math.abs(SpecialFunctions.tanh(x)) : Math.abs(SpecialFunctions.tanh(x) - expected) / Math.abs(expected);
            worst = Math.max(worst, rel);
        }
        assertTrue(worst < 1e-14, "worst relative error " + worst);
    }

    @Test
    void tanh_specialValues() {
        assertEquals(0.0, SpecialFunctions.tanh(0.0));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(SpecialFunctions.tanh(-0.0)));
        assertEquals(1.0, SpecialFunctions.tanh(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, SpecialFunctions.tanh(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(SpecialFunctions.tanh(Double.NaN)));
        assertEquals(1e-300, SpecialFunctions.tanh(1e-300));
        // float32 results round exactly as the JDK's tanh rounds, for every float in a dense sweep
        for (float f = -9f; f < 9f; f += 0.000731f) {
            assertEquals((float) Math.tanh(f), (float) SpecialFunctions.tanh(f), Math.ulp((float) Math.tanh(f)), "x = " + f);
        }
    }
}
