/**
 * Loading data for training, after {@code torch.utils.data}: datasets ({@link dev.janus.data.Dataset},
 * {@link dev.janus.data.IterableDataset}, {@link dev.janus.data.TensorDataset}), samplers, the
 * {@link dev.janus.data.DataLoader} with worker threads, readers for IDX (MNIST) and CSV files, and
 * reproducible per-sample transforms.
 *
 * <pre>{@code
 * Transform augment = new ToTensor().andThen(new RandomCrop(28, 2)).andThen(new RandomHorizontalFlip(0.5))
 *         .andThen(new Normalize(0.2860, 0.3530));
 * MnistDataset train = MnistDataset.load(dir, MnistDataset.Split.TRAIN, augment);
 * try (DataLoader<Example, Example> loader = DataLoader.ofExamples(train)
 *         .batchSize(64).shuffle(true).seed(42).numWorkers(2).build()) {
 *     for (Example batch : loader) {
 *         // batch.input(): f32[64, 1, 28, 28], batch.target(): i64[64]
 *     }
 * }
 * }</pre>
 *
 * <p>Reproducibility: everything random takes a {@link dev.janus.Generator}. A loader's batches depend only
 * on its seed and the epoch number, never on {@code numWorkers} or thread scheduling.
 */
package dev.janus.data;
