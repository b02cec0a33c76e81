package dev.janus.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Splits index ranges across the cores, but only above a work threshold: a tiny op stays on the calling
 * thread, because handing it to a pool costs more than the op itself.
 *
 * <pre>{@code Parallel.range(n, 1, (from, to) -> { for (int i = from; i < to; i++) out[i] = a[i] + b[i]; });}</pre>
 */
public final class Parallel {
    /** Below this many units of work (elements times cost) the range runs on the caller. */
    public static final long SERIAL_THRESHOLD = 1L << 15;

    private static final int THREADS = Math.max(1, Integer.getInteger("janus.threads",
            Runtime.getRuntime().availableProcessors()));
    private static final ForkJoinPool POOL = THREADS == 1 ? null : new ForkJoinPool(THREADS);

    /** A body run over the half-open index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private Parallel() {}

    /** The number of worker threads kernels may use. */
    public static int threads() {
        return THREADS;
    }

    /**
     * Runs {@code body} over {@code [0, n)}, split into at most {@link #threads()} chunks when
     * {@code n * costPerItem} exceeds {@link #SERIAL_THRESHOLD}.
     */
    public static void range(int n, long costPerItem, RangeBody body) {
        if (n <= 0) {
            return;
        }
        long work = (long) n * Math.max(1, costPerItem);
        if (POOL == null || work < SERIAL_THRESHOLD || n == 1 || ForkJoinTask.getPool() == POOL) {
            body.run(0, n);
            return;
        }
        int chunks = (int) Math.min(n, Math.min(THREADS * 4L, work / (SERIAL_THRESHOLD / 2) + 1));
        POOL.invoke(new Chunk(body, 0, n, (n + chunks - 1) / chunks));
    }

    private static final class Chunk extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient RangeBody body;
        private final int from;
        private final int to;
        private final int grain;

        Chunk(RangeBody body, int from, int to, int grain) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                body.run(from, to);
                return;
            }
            int mid = from + (to - from) / 2;
            invokeAll(new Chunk(body, from, mid, grain), new Chunk(body, mid, to, grain));
        }
    }
}
