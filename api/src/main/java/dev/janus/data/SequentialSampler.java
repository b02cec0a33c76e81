package dev.janus.data;

import java.util.PrimitiveIterator;
import java.util.stream.IntStream;

/**
 * Indices {@code 0, 1, ..., n-1} in order, every epoch.
 *
 * <pre>{@code
 * new SequentialSampler(3)   // 0, 1, 2
 * }</pre>
 */
public final class SequentialSampler implements Sampler {
    private final int n;

    public SequentialSampler(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("SequentialSampler: size must be non-negative, got " + n);
        }
        this.n = n;
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public PrimitiveIterator.OfInt iterator() {
        return IntStream.range(0, n).iterator();
    }
}
