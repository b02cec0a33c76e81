package dev.janus.data;

import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Batches of a dataset, one epoch per {@link #iterator()}, like {@code torch.utils.data.DataLoader}.
 *
 * <pre>{@code
 * try (DataLoader<Example, Example> loader = DataLoader.ofExamples(train)
 *         .batchSize(64).shuffle(true).seed(42).numWorkers(4).build()) {
 *     for (int epoch = 0; epoch < 10; epoch++) {
 *         for (Example batch : loader) { ... batch.input() is [64, 1, 28, 28] ... }
 *     }
 * }
 * }</pre>
 *
 * <p>The batches are a pure function of the seed and the epoch number: the sampler runs on the consuming
 * thread, and sample {@code k} of epoch {@code e} is fetched with {@code dataset.get(index,
 * sampleGenerator(seed, e, k))}. With {@code numWorkers > 0}, daemon threads named
 * {@code janus-loader-<id>-worker-<n>} prepare up to {@code numWorkers * prefetchFactor} batches ahead, and
 * the consumer takes them in order, so the result does not depend on {@code numWorkers} or on scheduling.
 * With {@code numWorkers == 0} every batch is loaded on the thread that calls {@code next()}.
 *
 * <p>A failure while loading reaches the consumer as a {@link DataLoaderException} naming the sample index,
 * and ends the epoch (its workers stop). {@link #close()} stops the workers of every epoch still open,
 * including iterators abandoned part-way; without it, an abandoned iterator's (idle, daemon) workers stop
 * when the garbage collector reclaims the iterator.
 *
 * @param <T> the sample type
 * @param <B> the batch type the collate function makes
 */
public final class DataLoader<T, B> implements Iterable<B>, AutoCloseable {
    private static final AtomicInteger LOADER_IDS = new AtomicInteger();

    private final Dataset<T> dataset;
    private final IterableDataset<T> stream;
    private final BatchSampler batches;
    private final Function<List<T>, B> collate;
    private final int batchSize;
    private final boolean dropLast;
    private final int numWorkers;
    private final int prefetchFactor;
    private final long seed;
    private final String threadNamePrefix = "janus-loader-" + LOADER_IDS.getAndIncrement() + "-";
    private final AtomicLong epochs = new AtomicLong();
    /** Epochs not yet finished; weak, so that an abandoned iterator can be collected (and its workers stopped). */
    private final Set<LoaderEpoch<B>> open = Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));
    private volatile boolean closed;

    private DataLoader(Builder<T, B> b, long seed) {
        this.dataset = b.dataset;
        this.stream = b.stream;
        this.collate = b.collate;
        this.batchSize = b.batchSize;
        this.dropLast = b.dropLast;
        this.numWorkers = b.numWorkers;
        this.prefetchFactor = b.prefetchFactor;
        this.seed = seed;
        this.batches = dataset == null ? null : new BatchSampler(sampler(b, seed), batchSize, dropLast);
    }

    private static Sampler sampler(Builder<?, ?> b, long seed) {
        if (b.sampler != null) {
            return b.sampler;
        }
        return b.shuffle ? new RandomSampler(b.dataset.size(), new Generator(seed)) : new SequentialSampler(b.dataset.size());
    }

    /** A builder for batches of {@code dataset} made by {@code collate}. */
    public static <T, B> Builder<T, B> builder(Dataset<T> dataset, Function<List<T>, B> collate) {
        return new Builder<>(dataset, null, collate);
    }

    /** A builder for batches of a stream-style dataset; shuffling and samplers do not apply. */
    public static <T, B> Builder<T, B> builder(IterableDataset<T> dataset, Function<List<T>, B> collate) {
        return new Builder<>(null, dataset, collate);
    }

    /** Batches of examples: inputs and targets stacked separately ({@link Collate#examples}). */
    public static Builder<Example, Example> ofExamples(Dataset<Example> dataset) {
        return builder(dataset, Collate::examples);
    }

    /** Batches of tensors stacked along a new first dimension ({@link Collate#tensors}). */
    public static Builder<Tensor, Tensor> ofTensors(Dataset<Tensor> dataset) {
        return builder(dataset, Collate::tensors);
    }

    /** Batches of rows (e.g. of a {@link TensorDataset}) stacked position by position ({@link Collate#rows}). */
    public static Builder<List<Tensor>, List<Tensor>> ofRows(Dataset<List<Tensor>> dataset) {
        return builder(dataset, Collate::rows);
    }

    /**
     * The generator a loader with {@code seed} hands to the {@code position}-th sample of {@code epoch}
     * (counting from 0 across the epoch's batches). Each argument goes through a SplitMix64 step, so nearby
     * seeds, epochs and positions give unrelated streams.
     */
    public static Generator sampleGenerator(long seed, long epoch, long position) {
        long h = new Generator(seed).nextLong();
        h = new Generator(h ^ epoch).nextLong();
        h = new Generator(h ^ position).nextLong();
        return new Generator(h);
    }

    /** The number of batches per epoch; unknown (an exception) for an {@link IterableDataset}. */
    public int size() {
        if (batches == null) {
            throw new UnsupportedOperationException("a DataLoader over an IterableDataset has no known size");
        }
        return batches.size();
    }

    /** The seed that fixes shuffling and per-sample generators (drawn from the default generator if not set). */
    public long seed() {
        return seed;
    }

    /** The number of epochs started so far, i.e. the epoch number the next {@link #iterator()} gets. */
    public long epochsStarted() {
        return epochs.get();
    }

    /** Worker threads of this loader have names starting with this. */
    public String threadNamePrefix() {
        return threadNamePrefix;
    }

    /** Starts the next epoch; with workers, they begin loading at once. */
    @Override
    public Iterator<B> iterator() {
        if (closed) {
            throw new IllegalStateException("this DataLoader is closed");
        }
        LoaderEpoch<B> e = new LoaderEpoch<>(pool(), numWorkers * prefetchFactor, open::remove);
        open.add(e);
        if (closed) {
            e.close();
            throw new IllegalStateException("this DataLoader is closed");
        }
        Iterator<Supplier<B>> jobs;
        // NOTE: numbering the epoch and drawing its order together keeps epoch k paired with the sampler's
        // k-th order even when iterators are started from several threads.
        synchronized (epochs) {
            jobs = jobs(epochs.getAndIncrement(), e::isStopped);
        }
        e.start(jobs);
        return e;
    }

    /** Stops the workers of every open epoch and waits for them to exit; later {@link #iterator()} calls fail. */
    @Override
    public void close() {
        closed = true;
        for (LoaderEpoch<B> e : List.copyOf(open)) {
            e.close();
        }
    }

    private ExecutorService pool() {
        if (numWorkers == 0) {
            return null;
        }
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, threadNamePrefix + "worker-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
        return Executors.newFixedThreadPool(numWorkers, factory);
    }

    private Iterator<Supplier<B>> jobs(long epoch, BooleanSupplier stopped) {
        return dataset != null ? indexJobs(epoch, stopped) : streamJobs();
    }

    /** One job per batch of indices; the indices are drawn here, on the consuming thread. */
    private Iterator<Supplier<B>> indexJobs(long epoch, BooleanSupplier stopped) {
        Iterator<int[]> it = batches.iterator();
        return new Iterator<>() {
            private long position;
            private int batch;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Supplier<B> next() {
                int[] indices = it.next();
                long first = position;
                int b = batch++;
                position += indices.length;
                return () -> loadBatch(epoch, b, indices, first, stopped);
            }
        };
    }

    private B loadBatch(long epoch, int batch, int[] indices, long firstPosition, BooleanSupplier stopped) {
        List<T> samples = new ArrayList<>(indices.length);
        for (int k = 0; k < indices.length; k++) {
            if (stopped.getAsBoolean()) {
                throw new DataLoaderException("the epoch was stopped before batch " + batch + " was loaded", -1, null);
            }
            int index = indices[k];
            try {
                samples.add(dataset.get(index, sampleGenerator(seed, epoch, firstPosition + k)));
            } catch (RuntimeException e) {
                throw new DataLoaderException("failed to load sample index " + index + " (batch " + batch + " of epoch "
                        + epoch + "): " + e, index, e);
            }
        }
        return collate(samples, "batch " + batch + " of epoch " + epoch + " (sample indices " + describe(indices) + ")");
    }

    private B collate(List<T> samples, String what) {
        try {
            return collate.apply(samples);
        } catch (RuntimeException e) {
            throw new DataLoaderException("failed to collate " + what + ": " + e, -1, e);
        }
    }

    private static String describe(int[] indices) {
        return indices.length <= 8 ? Arrays.toString(indices)
                : Arrays.toString(Arrays.copyOf(indices, 8)).replace("]", ", ... " + (indices.length - 8) + " more]");
    }

    /**
     * Reads the stream here, on the consuming thread; the workers only collate. A read failure becomes the
     * job of the batch it happened in, so it surfaces in order, after the batches before it.
     */
    private Iterator<Supplier<B>> streamJobs() {
        Iterator<T> items = stream.iterator();
        return new Iterator<>() {
            private long read;
            private int batch;
            private Supplier<B> pending;
            private boolean done;

            private Supplier<B> readBatch() {
                List<T> chunk = new ArrayList<>(batchSize);
                int b = batch++;
                try {
                    while (chunk.size() < batchSize && items.hasNext()) {
                        chunk.add(items.next());
                        read++;
                    }
                } catch (RuntimeException e) {
                    done = true;
                    DataLoaderException failure = new DataLoaderException("failed to read item " + read
                            + " of the iterable dataset (batch " + b + "): " + e, -1, e);
                    return () -> {
                        throw failure;
                    };
                }
                if (chunk.isEmpty() || dropLast && chunk.size() < batchSize) {
                    done = true;
                    return null;
                }
                return () -> collate(chunk, "batch " + b + " of the iterable dataset");
            }

            @Override
            public boolean hasNext() {
                if (pending == null && !done) {
                    pending = readBatch();
                }
                return pending != null;
            }

            @Override
            public Supplier<B> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the epoch has no more batches");
                }
                Supplier<B> job = pending;
                pending = null;
                return job;
            }
        };
    }

    /**
     * Options of a {@link DataLoader}; the defaults follow PyTorch (batch size 1, no shuffling, no workers,
     * prefetch factor 2, keep the last partial batch).
     */
    public static final class Builder<T, B> {
        private final Dataset<T> dataset;
        private final IterableDataset<T> stream;
        private final Function<List<T>, B> collate;
        private int batchSize = 1;
        private boolean shuffle;
        private Long seed;
        private Sampler sampler;
        private int numWorkers;
        private int prefetchFactor = 2;
        private boolean dropLast;

        private Builder(Dataset<T> dataset, IterableDataset<T> stream, Function<List<T>, B> collate) {
            this.dataset = dataset;
            this.stream = stream;
            this.collate = collate;
        }

        public Builder<T, B> batchSize(int batchSize) {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** A new random order each epoch (a {@link RandomSampler} seeded with {@link #seed}). */
        public Builder<T, B> shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Fixes shuffling and the per-sample generators; without it, one is drawn from {@link Janus#defaultGenerator()}. */
        public Builder<T, B> seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Visits indices in {@code sampler}'s order instead; excludes {@link #shuffle}. */
        public Builder<T, B> sampler(Sampler sampler) {
            this.sampler = sampler;
            return this;
        }

        /** Worker threads preparing batches ahead; 0 (the default) loads on the consuming thread. */
        public Builder<T, B> numWorkers(int numWorkers) {
            if (numWorkers < 0) {
                throw new IllegalArgumentException("numWorkers must be non-negative, got " + numWorkers);
            }
            this.numWorkers = numWorkers;
            return this;
        }

        /** Batches prepared ahead per worker (the queue holds {@code numWorkers * prefetchFactor}). */
        public Builder<T, B> prefetchFactor(int prefetchFactor) {
            if (prefetchFactor <= 0) {
                throw new IllegalArgumentException("prefetchFactor must be positive, got " + prefetchFactor);
            }
            this.prefetchFactor = prefetchFactor;
            return this;
        }

        /** Drops the last batch of an epoch when it is smaller than the batch size. */
        public Builder<T, B> dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        public DataLoader<T, B> build() {
            if (sampler != null && shuffle) {
                throw new IllegalStateException("DataLoader: shuffle and sampler are mutually exclusive; a custom "
                        + "sampler decides the order");
            }
            if (stream != null && (sampler != null || shuffle)) {
                throw new IllegalStateException("DataLoader: an IterableDataset yields its own order; shuffle and "
                        + "sampler do not apply");
            }
            return new DataLoader<>(this, seed != null ? seed : Janus.defaultGenerator().nextLong());
        }
    }
}
