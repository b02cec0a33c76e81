package dev.janus.serving;

import java.time.Duration;

/**
 * Dynamic batching settings: concurrent requests to one model are merged along dim 0 until the batch holds
 * {@code maxBatchSize} rows, or {@code maxWait} has passed since its first request, or no other request for the
 * model is on its way; then the batch runs as one call. Models whose inputs and outputs do not all have a
 * dynamic dim 0 are never batched.
 *
 * <pre>{@code
 * Batching.of(64, Duration.ofMillis(2));   // up to 64 rows, wait at most 2 ms
 * Batching.off();                          // every request runs alone, on its own thread
 * }</pre>
 *
 * @param enabled      false: every request runs by itself
 * @param maxBatchSize most rows in one run (a single larger request still runs, alone)
 * @param maxWait      longest time the first request of a batch waits for others
 * @param threads      threads that form and run batches for one model version
 */
public record Batching(boolean enabled, int maxBatchSize, Duration maxWait, int threads) {
    /** Up to 64 rows, 2 ms, one batch thread per two cores. */
    public static final Batching DEFAULT = new Batching(true, 64, Duration.ofMillis(2),
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2));

    public Batching {
        if (maxBatchSize < 1 || threads < 1 || maxWait.isNegative()) {
            throw new IllegalArgumentException("batching needs maxBatchSize >= 1, threads >= 1 and maxWait >= 0, got "
                    + maxBatchSize + ", " + threads + ", " + maxWait);
        }
    }

    /** Batching on, with the default thread count. */
    public static Batching of(int maxBatchSize, Duration maxWait) {
        return new Batching(true, maxBatchSize, maxWait, DEFAULT.threads);
    }

    /** Batching off. */
    public static Batching off() {
        return new Batching(false, 1, Duration.ZERO, 1);
    }

    /** The same settings with {@code n} batch threads. */
    public Batching withThreads(int n) {
        return new Batching(enabled, maxBatchSize, maxWait, n);
    }
}
