package dev.janus.data;

/**
 * A stream-style dataset, like {@code torch.utils.data.IterableDataset}: samples come in the order its
 * iterator yields them, and each {@link #iterator()} call starts a new pass. Use it for data that cannot be
 * addressed by index (a file read front to back, a generator). A {@link DataLoader} reads it on the
 * consuming thread and lets its workers collate; samplers and shuffling do not apply.
 *
 * <pre>{@code
 * IterableDataset<Tensor> counting = () -> IntStream.range(0, 10).mapToObj(i -> Tensor.scalar(i, DType.INT64)).iterator();
 * }</pre>
 *
 * @param <T> the sample type
 */
@FunctionalInterface
public interface IterableDataset<T> extends Iterable<T> {}
