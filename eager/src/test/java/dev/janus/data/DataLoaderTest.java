package dev.janus.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Shape;
import dev.janus.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The loader: batching, pinned order across worker counts, failures, shutdown and prefetch bounds. */
class DataLoaderTest {
    /**
     * Sample {@code i} is {@code [i, noise]} where the noise comes from the loader's generator; fetching
     * sleeps a pseudo-random time so that workers finish out of order.
     */
    private static final class NoisyDataset implements Dataset<Tensor> {
        private final int n;
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final AtomicInteger fetched = new AtomicInteger();

        NoisyDataset(int n) {
            this.n = n;
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public Tensor get(int index) {
            return get(index, new Generator(index));
        }

        @Override
        public Tensor get(int index, Generator g) {
            threads.add(Thread.currentThread().getName());
            fetched.incrementAndGet();
            sleepMillis((index * 7919) % 3);
            return Tensor.of(new float[] {index, (float) g.nextDouble()});
        }
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<float[]> epochs(int numWorkers, int epochs) {
        try (DataLoader<Tensor, Tensor> loader = DataLoader.ofTensors(new NoisyDataset(37)).batchSize(5)
                .shuffle(true).seed(1234).numWorkers(numWorkers).build()) {
            List<float[]> out = new ArrayList<>();
            for (int e = 0; e < epochs; e++) {
                for (Tensor batch : loader) {
                    out.add(batch.toFloatArray());
                }
            }
            return out;
        }
    }

    /** Fails unless every thread named with {@code prefix} exits within a short grace period. */
    static void assertNoThreadsNamed(String prefix) throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                t.join(2000);
                assertFalse(t.isAlive(), "thread " + t.getName() + " is still alive");
            }
        }
    }

    @Test
    void batches_haveStackedShapesAndCount() {
        Dataset<Example> ds = TensorDataset.examples(Tensor.zeros(10, 3), Tensor.zeros(DType.INT64, 10));
        DataLoader<Example, Example> loader = DataLoader.ofExamples(ds).batchSize(4).seed(0).build();
        List<Example> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertEquals(3, loader.size());
        assertEquals(3, batches.size());
        assertEquals(Shape.of(4, 3), batches.get(0).input().shape());
        assertEquals(Shape.of(2), batches.get(2).target().shape());
        DataLoader<Example, Example> dropping = DataLoader.ofExamples(ds).batchSize(4).dropLast(true).seed(0).build();
        assertEquals(2, dropping.size());
        assertEquals(2, count(dropping));
    }

    private static int count(Iterable<?> it) {
        int n = 0;
        for (Object ignored : it) {
            n++;
        }
        return n;
    }

    @Test
    void noShuffle_visitsIndicesInOrder() {
        DataLoader<Tensor, Tensor> loader = DataLoader.ofTensors(new NoisyDataset(7)).batchSize(3).seed(0).build();
        List<Float> firsts = new ArrayList<>();
        for (Tensor b : loader) {
            float[] v = b.toFloatArray();
            for (int i = 0; i < v.length; i += 2) {
                firsts.add(v[i]);
            }
        }
        assertEquals(List.of(0f, 1f, 2f, 3f, 4f, 5f, 6f), firsts);
    }

    @Test
    void pinnedOrder_sameBatchesForAnyNumWorkers() {
        List<float[]> inline = epochs(0, 3);
        assertEquals(24, inline.size());
        for (int workers : new int[] {1, 4}) {
            List<float[]> threaded = epochs(workers, 3);
            assertEquals(inline.size(), threaded.size());
            for (int b = 0; b < inline.size(); b++) {
                assertArrayEquals(inline.get(b), threaded.get(b), "batch " + b + " with " + workers + " workers");
            }
        }
    }

    @Test
    void pinnedOrder_reshufflesEachEpochDeterministically() {
        List<float[]> run = epochs(2, 2);
        float[] epoch0First = run.get(0);
        float[] epoch1First = run.get(8);
        assertFalse(Arrays.equals(epoch0First, epoch1First), "epoch 1 has a new order and new noise");
        List<float[]> again = epochs(2, 2);
        assertArrayEquals(epoch1First, again.get(8), "the same seed gives the same second epoch");
    }

    @Test
    void sampleGenerator_dependsOnEveryArgument() {
        long a = DataLoader.sampleGenerator(1, 2, 3).nextLong();
        assertEquals(a, DataLoader.sampleGenerator(1, 2, 3).nextLong());
        assertTrue(a != DataLoader.sampleGenerator(2, 2, 3).nextLong());
        assertTrue(a != DataLoader.sampleGenerator(1, 3, 3).nextLong());
        assertTrue(a != DataLoader.sampleGenerator(1, 2, 4).nextLong());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void workerException_reachesConsumerNamingSampleIndex(int numWorkers) throws InterruptedException {
        IllegalStateException boom = new IllegalStateException("corrupt record");
        Dataset<Tensor> ds = new Dataset<>() {
            @Override
            public int size() {
                return 40;
            }

            @Override
            public Tensor get(int index) {
                if (index == 13) {
                    throw boom;
                }
                return Tensor.of(new float[] {index});
            }
        };
        DataLoader<Tensor, Tensor> loader = DataLoader.ofTensors(ds).batchSize(4).numWorkers(numWorkers).seed(0).build();
        Iterator<Tensor> it = loader.iterator();
        DataLoaderException e = assertThrows(DataLoaderException.class, () -> {
            while (it.hasNext()) {
                it.next();
            }
        });
        assertTrue(e.getMessage().contains("sample index 13"), e.getMessage());
        assertEquals(13, e.sampleIndex());
        assertSame(boom, e.getCause());
        assertFalse(it.hasNext(), "the failed epoch is over");
        assertNoThreadsNamed(loader.threadNamePrefix());
        loader.close();
    }

    @Test
    void collateFailure_namesTheBatch() {
        DataLoader<Tensor, Integer> loader = DataLoader.<Tensor, Integer>builder(new NoisyDataset(6), b -> {
            throw new IllegalArgumentException("bad batch");
        }).batchSize(3).numWorkers(2).seed(0).build();
        DataLoaderException e = assertThrows(DataLoaderException.class, () -> loader.iterator().next());
        assertTrue(e.getMessage().contains("collate batch 0") && e.getMessage().contains("[0, 1, 2]"), e.getMessage());
        loader.close();
    }

    @Test
    void close_tryWithResources_stopsWorkers() throws InterruptedException {
        String prefix;
        try (DataLoader<Tensor, Tensor> loader = DataLoader.ofTensors(new NoisyDataset(500)).batchSize(2)
                .numWorkers(4).seed(0).build()) {
            prefix = loader.threadNamePrefix();
            for (Tensor ignored : loader) {
                break;
            }
            assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith(prefix)));
        }
        assertNoThreadsNamed(prefix);
    }

    @Test
    void close_afterAbandonedIterators_stopsAllWorkers() throws InterruptedException {
        DataLoader<Tensor, Tensor> loader = DataLoader.ofTensors(new NoisyDataset(500)).batchSize(2).numWorkers(3).seed(0).build();
        Iterator<Tensor> first = loader.iterator();
        first.next();
        Iterator<Tensor> second = loader.iterator();
        second.next();
        loader.close();
        assertNoThreadsNamed(loader.threadNamePrefix());
        assertThrows(IllegalStateException.class, first::hasNext);
        assertThrows(IllegalStateException.class, loader::iterator);
    }

    @Test
    void close_fromAnotherThread_wakesABlockedConsumer() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        Dataset<Tensor> stuck = new Dataset<>() {
            @Override
            public int size() {
                return 10;
            }

            @Override
            public Tensor get(int index) {
                entered.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("interrupted while loading");
            }
        };
        DataLoader<Tensor, Tensor> loader = DataLoader.ofTensors(stuck).numWorkers(2).seed(0).build();
        Iterator<Tensor> it = loader.iterator();
        Thread closer = new Thread(() -> {
            try {
                entered.await();
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            loader.close();
        });
        closer.start();
        IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        closer.join();
        assertNoThreadsNamed(loader.threadNamePrefix());
    }

    private static void startAndAbandon(DataLoader<Tensor, Tensor> loader) {
        Iterator<Tensor> it = loader.iterator();
        it.next();
    }

    @Test
    void abandonedIterator_workersStopOnceCollected() throws InterruptedException {
        DataLoader<Tensor, Tensor> loader = DataLoader.ofTensors(new NoisyDataset(200)).batchSize(2).numWorkers(2).seed(0).build();
        startAndAbandon(loader);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (workerCount(loader.threadNamePrefix()) > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertEquals(0, workerCount(loader.threadNamePrefix()), "an unreachable epoch's workers stop without close()");
        loader.close();
    }

    private static long workerCount(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }

    @Test
    void exhaustedEpoch_leavesNoWorkers() throws InterruptedException {
        DataLoader<Tensor, Tensor> loader = DataLoader.ofTensors(new NoisyDataset(9)).batchSize(2).numWorkers(2).seed(0).build();
        assertEquals(5, count(loader));
        assertNoThreadsNamed(loader.threadNamePrefix());
    }

    @Test
    void numWorkersZero_loadsOnCallingThread() {
        NoisyDataset ds = new NoisyDataset(10);
        DataLoader<Tensor, Tensor> loader = DataLoader.ofTensors(ds).batchSize(3).seed(0).build();
        assertEquals(4, count(loader));
        assertEquals(Set.of(Thread.currentThread().getName()), ds.threads);
    }

    @Test
    void numWorkers_loadOnNamedDaemonThreads() {
        NoisyDataset ds = new NoisyDataset(40);
        Set<Boolean> daemon = ConcurrentHashMap.newKeySet();
        Dataset<Tensor> probe = new Dataset<>() {
            @Override
            public int size() {
                return ds.size();
            }

            @Override
            public Tensor get(int index) {
                daemon.add(Thread.currentThread().isDaemon());
                return ds.get(index);
            }
        };
        try (DataLoader<Tensor, Tensor> loader = DataLoader.ofTensors(probe).batchSize(2).numWorkers(2).seed(0).build()) {
            assertEquals(20, count(loader));
            assertTrue(ds.threads.stream().allMatch(n -> n.startsWith(loader.threadNamePrefix())), ds.threads.toString());
            assertEquals(Set.of(true), daemon);
        }
    }

    @Test
    void prefetch_isBoundedByWorkersTimesFactor() throws InterruptedException {
        AtomicInteger started = new AtomicInteger();
        Dataset<Tensor> ds = new Dataset<>() {
            @Override
            public int size() {
                return 100;
            }

            @Override
            public Tensor get(int index) {
                started.incrementAndGet();
                return Tensor.of(new float[] {index});
            }
        };
        try (DataLoader<Tensor, Tensor> loader = DataLoader.ofTensors(ds).batchSize(1).numWorkers(2).prefetchFactor(3)
                .seed(0).build()) {
            Iterator<Tensor> it = loader.iterator();
            assertEquals(0f, it.next().item(), 0f);
            Thread.sleep(300);
            // NOTE: after one batch is taken, at most 2 * 3 more are in flight or done.
            assertTrue(started.get() <= 1 + 6, "started " + started.get());
            assertTrue(started.get() >= 2, "workers load ahead, started " + started.get());
        }
    }

    @Test
    void iterableDataset_batchesInStreamOrder() {
        IterableDataset<Tensor> stream = () -> IntStream.range(0, 11).mapToObj(i -> Tensor.scalar(i, DType.INT64)).iterator();
        for (int workers : new int[] {0, 2}) {
            try (DataLoader<Tensor, Tensor> loader = DataLoader.builder(stream, Collate::tensors).batchSize(4)
                    .dropLast(true).numWorkers(workers).build()) {
                List<long[]> batches = new ArrayList<>();
                loader.forEach(b -> batches.add(b.toLongArray()));
                assertEquals(2, batches.size());
                assertArrayEquals(new long[] {4, 5, 6, 7}, batches.get(1));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void iterableDataset_readFailure_surfacesAfterEarlierBatches(int numWorkers) {
        IllegalStateException diskError = new IllegalStateException("disk error");
        IterableDataset<Tensor> stream = () -> IntStream.range(0, 10).mapToObj(i -> {
            if (i == 6) {
                throw diskError;
            }
            return Tensor.scalar(i, DType.INT64);
        }).iterator();
        try (DataLoader<Tensor, Tensor> loader = DataLoader.builder(stream, Collate::tensors).batchSize(4)
                .numWorkers(numWorkers).build()) {
            Iterator<Tensor> it = loader.iterator();
            assertArrayEquals(new long[] {0, 1, 2, 3}, it.next().toLongArray());
            DataLoaderException e = assertThrows(DataLoaderException.class, it::next);
            assertTrue(e.getMessage().contains("item 6") && e.getMessage().contains("batch 1"), e.getMessage());
            assertSame(diskError, e.getCause());
            assertFalse(it.hasNext());
        }
    }

    @Test
    void build_conflictingOptions_throw() {
        NoisyDataset ds = new NoisyDataset(4);
        assertThrows(IllegalStateException.class,
                () -> DataLoader.ofTensors(ds).shuffle(true).sampler(new SequentialSampler(4)).build());
        IterableDataset<Tensor> stream = List.<Tensor>of()::iterator;
        assertThrows(IllegalStateException.class, () -> DataLoader.builder(stream, Collate::tensors).shuffle(true).build());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.ofTensors(ds).batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.ofTensors(ds).numWorkers(-1));
    }

    @Test
    void customSampler_decidesTheOrder() {
        DataLoader<Tensor, Tensor> loader = DataLoader.ofTensors(new NoisyDataset(10)).batchSize(2)
                .sampler(new SubsetRandomSampler(new int[] {8, 2}, new Generator(1))).seed(0).build();
        List<Float> seen = new ArrayList<>();
        for (Tensor b : loader) {
            seen.add(b.toFloatArray()[0]);
            seen.add(b.toFloatArray()[2]);
        }
        assertEquals(Set.of(8f, 2f), Set.copyOf(seen));
    }
}
