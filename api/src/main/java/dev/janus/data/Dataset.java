package dev.janus.data;

import dev.janus.Generator;

/**
 * A map-style dataset: {@code size()} samples addressed by index, like {@code torch.utils.data.Dataset}.
 * Implementations must allow concurrent {@code get} calls, because a {@link DataLoader} with workers fetches
 * samples from several threads.
 *
 * <pre>{@code
 * Dataset<Example> train = MnistDataset.load(dir, MnistDataset.Split.TRAIN, new ToTensor());
 * Example first = train.get(0);
 * }</pre>
 *
 * @param <T> the sample type
 */
public interface Dataset<T> {
    /** The number of samples. */
    int size();

    /** Sample {@code index}, in {@code [0, size())}. */
    T get(int index);

    /**
     * Sample {@code index}, drawing any random augmentation from {@code g}. A {@link DataLoader} calls this
     * with a generator derived from (seed, epoch, position), so augmentation is reproducible and does not
     * depend on which worker thread runs it. The default ignores {@code g}.
     */
    default T get(int index, Generator g) {
        return get(index);
    }

    /** Throws {@link IndexOutOfBoundsException} naming the dataset size unless {@code 0 <= index < size}. */
    static void checkIndex(int index, int size) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("sample index " + index + " is out of range for a dataset of "
                    + size + " samples");
        }
    }
}
