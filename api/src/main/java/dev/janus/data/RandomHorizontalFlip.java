package dev.janus.data;

import dev.janus.Generator;
import dev.janus.Tensor;

/**
 * Mirrors the last (width) dimension with probability {@code p}, drawn from the generator passed to
 * {@link #apply}, like torchvision's {@code RandomHorizontalFlip}.
 *
 * <pre>{@code
 * Tensor maybeFlipped = new RandomHorizontalFlip(0.5).apply(image, g);
 * }</pre>
 */
public record RandomHorizontalFlip(double p) implements Transform {
    public RandomHorizontalFlip {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("RandomHorizontalFlip: p must be in [0, 1], got " + p);
        }
    }

    @Override
    public Tensor apply(Tensor x, Generator g) {
        if (x.rank() < 1) {
            throw new IllegalArgumentException("RandomHorizontalFlip expects [..., W], got a scalar");
        }
        return g.nextDouble() < p ? x.flip(x.rank() - 1) : x;
    }
}
