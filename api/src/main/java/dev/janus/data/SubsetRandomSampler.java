package dev.janus.data;

import dev.janus.Generator;
import java.util.Arrays;
import java.util.PrimitiveIterator;

/**
 * The given indices in a new random order each epoch, like {@code torch.utils.data.SubsetRandomSampler}:
 * e.g. a validation split that shares a dataset with training.
 *
 * <pre>{@code
 * Sampler valid = new SubsetRandomSampler(new int[] {0, 5, 9}, new Generator(1));
 * }</pre>
 */
public final class SubsetRandomSampler implements Sampler {
    private final int[] indices;
    private final Generator generator;

    /** Draws orders from {@code generator}, which this sampler then owns (it advances it). */
    public SubsetRandomSampler(int[] indices, Generator generator) {
        for (int i : indices) {
            if (i < 0) {
                throw new IllegalArgumentException("SubsetRandomSampler: negative index " + i);
            }
        }
        this.indices = indices.clone();
        this.generator = generator;
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public PrimitiveIterator.OfInt iterator() {
        int[] order = indices.clone();
        synchronized (generator) {
            RandomSampler.shuffle(order, generator);
        }
        return Arrays.stream(order).iterator();
    }
}
