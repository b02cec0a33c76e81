package dev.janus.data;

import dev.janus.Generator;
import dev.janus.Tensor;

/**
 * A random {@code height x width} window of a {@code [..., H, W]} tensor, after zero-padding both spatial
 * sides by {@code padding}, like torchvision's {@code RandomCrop(size, padding)}. The offsets are drawn from
 * the generator passed to {@link #apply} (top first, then left).
 *
 * <pre>{@code
 * Tensor crop = new RandomCrop(28, 4).apply(image, g);   // [1, 28, 28] from a padded [1, 36, 36]
 * }</pre>
 */
public record RandomCrop(int height, int width, int padding) implements Transform {
    public RandomCrop {
        if (height <= 0 || width <= 0 || padding < 0) {
            throw new IllegalArgumentException("RandomCrop needs a positive size and a non-negative padding, got "
                    + height + "x" + width + " with padding " + padding);
        }
    }

    /** A square crop. */
    public RandomCrop(int size, int padding) {
        this(size, size, padding);
    }

    @Override
    public Tensor apply(Tensor x, Generator g) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException("RandomCrop expects [..., H, W], got shape " + x.shape());
        }
        Tensor p = padding == 0 ? x : x.pad(padding, padding, padding, padding);
        long h = p.dim(-2);
        long w = p.dim(-1);
        if (h < height || w < width) {
            throw new IllegalArgumentException("RandomCrop " + height + "x" + width + " is larger than the padded input "
                    + h + "x" + w + " (shape " + x.shape() + ", padding " + padding + ")");
        }
        long top = g.nextLong(0, h - height + 1);
        long left = g.nextLong(0, w - width + 1);
        return p.narrow(-2, top, height).narrow(-1, left, width);
    }
}
