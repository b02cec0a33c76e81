package dev.janus.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;

/**
 * Groups another sampler's indices into batches of {@code batchSize}, like
 * {@code torch.utils.data.BatchSampler}; the last batch is smaller unless {@code dropLast}.
 *
 * <pre>{@code
 * new BatchSampler(new SequentialSampler(5), 2, false)   // [0, 1], [2, 3], [4]
 * }</pre>
 */
public final class BatchSampler implements Iterable<int[]> {
    private final Sampler sampler;
    private final int batchSize;
    private final boolean dropLast;

    public BatchSampler(Sampler sampler, int batchSize, boolean dropLast) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.sampler = sampler;
        this.batchSize = batchSize;
        this.dropLast = dropLast;
    }

    /** The number of batches in one epoch. */
    public int size() {
        int n = sampler.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    public int batchSize() {
        return batchSize;
    }

    /** One epoch of batches; starts one epoch of the underlying sampler. */
    @Override
    public Iterator<int[]> iterator() {
        PrimitiveIterator.OfInt indices = sampler.iterator();
        return new Iterator<>() {
            private int[] next = advance();

            private int[] advance() {
                int[] batch = new int[batchSize];
                int k = 0;
                while (k < batchSize && indices.hasNext()) {
                    batch[k++] = indices.nextInt();
                }
                return k == 0 || k < batchSize && dropLast ? null : Arrays.copyOf(batch, k);
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public int[] next() {
                if (next == null) {
                    throw new NoSuchElementException("the epoch has no more batches");
                }
                int[] b = next;
                next = advance();
                return b;
            }
        };
    }
}
