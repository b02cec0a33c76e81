package dev.janus.data;

import dev.janus.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A view of another dataset restricted to some of its indices, like {@code torch.utils.data.Subset}.
 * {@link #randomSplit} cuts a dataset into disjoint random parts (e.g. train/validation).
 *
 * <pre>{@code
 * List<Subset<Example>> parts = Subset.randomSplit(train, new int[] {50_000, 10_000}, new Generator(42));
 * }</pre>
 *
 * @param <T> the sample type
 */
public final class Subset<T> implements Dataset<T> {
    private final Dataset<T> dataset;
    private final int[] indices;

    public Subset(Dataset<T> dataset, int[] indices) {
        for (int i : indices) {
            Dataset.checkIndex(i, dataset.size());
        }
        this.dataset = dataset;
        this.indices = indices.clone();
    }

    /**
     * Splits {@code dataset} into parts of the given lengths (which must add up to its size), each a random
     * selection drawn with {@code g}; the same generator state gives the same split.
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths, Generator g) {
        long total = Arrays.stream(lengths).asLongStream().sum();
        if (total != dataset.size() || Arrays.stream(lengths).anyMatch(n -> n < 0)) {
            throw new IllegalArgumentException("randomSplit: lengths " + Arrays.toString(lengths)
                    + " must be non-negative and add up to the dataset size " + dataset.size());
        }
        int[] perm = RandomSampler.permutation(dataset.size(), g);
        List<Subset<T>> parts = new ArrayList<>(lengths.length);
        int from = 0;
        for (int n : lengths) {
            parts.add(new Subset<>(dataset, Arrays.copyOfRange(perm, from, from + n)));
            from += n;
        }
        return parts;
    }

    /** The underlying dataset's indices this subset holds, in order. */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public T get(int index) {
        Dataset.checkIndex(index, indices.length);
        return dataset.get(indices[index]);
    }

    @Override
    public T get(int index, Generator g) {
        Dataset.checkIndex(index, indices.length);
        return dataset.get(indices[index], g);
    }
}
