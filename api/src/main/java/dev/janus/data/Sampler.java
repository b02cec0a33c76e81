package dev.janus.data;

import java.util.PrimitiveIterator;

/**
 * The order in which a {@link DataLoader} visits dataset indices, like {@code torch.utils.data.Sampler}. Each
 * {@link #iterator()} call is one epoch; random samplers draw a fresh order per call from their
 * {@link dev.janus.Generator}, so the sequence of epochs is fixed by its seed.
 *
 * <pre>{@code
 * for (int i : new SequentialSampler(3)) { ... }   // 0, 1, 2
 * }</pre>
 */
public interface Sampler extends Iterable<Integer> {
    /** The number of indices one epoch yields. */
    int size();

    /** One epoch of indices. */
    @Override
    PrimitiveIterator.OfInt iterator();
}
