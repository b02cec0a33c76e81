package dev.janus.data;

import dev.janus.Generator;
import dev.janus.Tensor;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A per-sample tensor transformation, like torchvision's transforms. Random ones ({@link RandomCrop},
 * {@link RandomHorizontalFlip}) draw only from the generator passed to {@link #apply}, never from a field or
 * a global, so a {@link DataLoader} can hand each sample its own generator and augmentation is reproducible
 * whatever thread runs it. Deterministic transforms ignore the generator.
 *
 * <pre>{@code
 * Transform t = new ToTensor().andThen(new RandomCrop(28, 4)).andThen(new Normalize(0.2860, 0.3530));
 * Tensor x = t.apply(image, new Generator(7));
 * }</pre>
 */
@FunctionalInterface
public interface Transform {
    /** Transforms {@code x}, drawing any randomness from {@code g}. */
    Tensor apply(Tensor x, Generator g);

    /** This transform, then {@code next}, both drawing from the same generator in that order. */
    default Transform andThen(Transform next) {
        Objects.requireNonNull(next, "next");
        return (x, g) -> next.apply(apply(x, g), g);
    }

    /** Applies {@code transforms} left to right. */
    static Transform compose(Transform... transforms) {
        Transform t = identity();
        for (Transform next : transforms) {
            t = t.andThen(next);
        }
        return t;
    }

    /** A deterministic transform from a plain function. */
    static Transform of(UnaryOperator<Tensor> f) {
        Objects.requireNonNull(f, "f");
        return (x, g) -> f.apply(x);
    }

    /** Returns its input. */
    static Transform identity() {
        return (x, g) -> x;
    }
}
