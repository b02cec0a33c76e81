package dev.janus.backend.cpu;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Splits index ranges across the cores, but only above a work threshold: a tiny op stays on the calling
 * thread, because handing it to other threads costs more than the op itself.
 *
 * <p>NOTE: the calling thread works through the chunks itself and helper threads join when they wake up.
 * Waking an idle core can take 50–600 µs on a virtual machine; a caller that blocked until the helpers
 * started would pay that on every kernel, while here a late helper only means the caller did more chunks.
 *
 * <pre>{@code Parallel.range(n, 1, (from, to) -> { for (int i = from; i < to; i++) out[i] = a[i] + b[i]; });}</pre>
 */
public final class Parallel {
    /** Below this many units of work (elements times cost) the range runs on the caller. */
    public static final long SERIAL_THRESHOLD = 1L << 15;

    private static final int THREADS = Math.max(1, Integer.getInteger("janus.threads",
            Runtime.getRuntime().availableProcessors()));
    private static final ExecutorService HELPERS = THREADS == 1 ? null : helperPool(THREADS - 1);

    /** A body run over the half-open index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private Parallel() {}

    private static ExecutorService helperPool(int n) {
        AtomicInteger id = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "janus-cpu-" + id.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** The number of threads kernels may use (the caller included). */
    public static int threads() {
        return THREADS;
    }

    /**
     * Runs {@code body} over {@code [0, n)}, split into chunks shared by the caller and up to
     * {@link #threads()} - 1 helpers when {@code n * costPerItem} exceeds {@link #SERIAL_THRESHOLD}.
     */
    public static void range(int n, long costPerItem, RangeBody body) {
        if (n <= 0) {
            return;
        }
        long work = (long) n * Math.max(1, costPerItem);
        if (HELPERS == null || work < SERIAL_THRESHOLD || n == 1) {
            body.run(0, n);
            return;
        }
        int chunks = (int) Math.min(n, Math.min(THREADS * 4L, work / (SERIAL_THRESHOLD / 2) + 1));
        new Job(body, n, chunks).run();
    }

    /** One parallel range: chunks are claimed from a counter by whoever is free. */
    private static final class Job implements Runnable {
        private final RangeBody body;
        private final int n;
        private final int chunks;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(RangeBody body, int n, int chunks) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
        }

        @Override
        public void run() {
            for (int i = 0; i < Math.min(THREADS - 1, chunks - 1); i++) {
                HELPERS.execute(this::work);
            }
            work();
            while (finished.get() < chunks) {
                Thread.onSpinWait(); // only chunks a helper already started remain: a short wait
            }
            Throwable t = failure.get();
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
        }

        private void work() {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                try {
                    if (failure.get() == null) {
                        long from = (long) n * c / chunks;
                        long to = (long) n * (c + 1) / chunks;
                        body.run((int) from, (int) to);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    finished.incrementAndGet();
                }
            }
        }
    }
}
