package dev.janus.data;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One pass of a {@link DataLoader}: runs batch jobs either on the calling thread or on a worker pool that
 * works at most {@code window} batches ahead. Batches come back in job order whatever the scheduling,
 * because the consumer waits on the futures in the order it submitted them.
 */
final class LoaderEpoch<B> implements Iterator<B> {
    /** How long closing waits for workers to finish the batch they are in. */
    private static final long CLOSE_WAIT_SECONDS = 10;

    /** Stops the workers of epochs that were abandoned and garbage-collected without being closed. */
    private static final Cleaner CLEANER = Cleaner.create();

    private final ExecutorService pool;
    private final Cleaner.Cleanable cleanable;
    private final int window;
    private final Consumer<LoaderEpoch<B>> onShutdown;
    private final Object lock = new Object();
    private final ArrayDeque<Future<B>> ahead = new ArrayDeque<>();
    private Iterator<Supplier<B>> jobs = Collections.emptyIterator();
    private Future<B> current;
    private volatile boolean finished;
    private volatile boolean closed;

    /**
     * An epoch that runs its jobs on {@code pool}, at most {@code window} ahead; {@code pool} null means every
     * batch is loaded on the thread that calls {@link #next()}. {@code onShutdown} runs once the epoch ends.
     */
    LoaderEpoch(ExecutorService pool, int window, Consumer<LoaderEpoch<B>> onShutdown) {
        this.pool = pool;
        this.window = window;
        this.onShutdown = onShutdown;
        // NOTE: the action captures only the pool; idle workers do not reach this epoch, so an abandoned
        // iterator becomes unreachable once its queued batches are done, and its workers are then stopped.
        this.cleanable = pool == null ? null : CLEANER.register(this, pool::shutdownNow);
    }

    /** Starts the epoch: with a pool, the first {@code window} jobs are submitted at once. */
    void start(Iterator<Supplier<B>> batchJobs) {
        synchronized (lock) {
            this.jobs = batchJobs;
            fill();
            if (ahead.isEmpty() && !hasMoreJobs()) {
                shutdown();
            }
        }
    }

    /** True once the epoch ended (finished, failed or closed); running jobs check it to stop early. */
    boolean isStopped() {
        return finished;
    }

    @Override
    public boolean hasNext() {
        checkOpen();
        synchronized (lock) {
            boolean more = !finished && (!ahead.isEmpty() || hasMoreJobs());
            if (!more) {
                shutdown();
            }
            return more;
        }
    }

    @Override
    public B next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the epoch has no more batches");
        }
        return pool == null ? runInline() : runAhead();
    }

    private B runInline() {
        try {
            return jobs.next().get();
        } catch (RuntimeException | Error e) {
            shutdown();
            throw e;
        }
    }

    private B runAhead() {
        Future<B> f;
        synchronized (lock) {
            fill();
            f = ahead.poll();
            current = f;
        }
        if (f == null) {
            // NOTE: only a close() from another thread between hasNext() and here empties the queue.
            throw closedError();
        }
        B batch = await(f);
        synchronized (lock) {
            current = null;
            fill();
            if (ahead.isEmpty()) {
                shutdown();
            }
        }
        return batch;
    }

    /** Submits jobs until {@code window} are in flight or none are left. Call with the lock held. */
    private void fill() {
        try {
            while (pool != null && !finished && ahead.size() < window && jobs.hasNext()) {
                Supplier<B> job = jobs.next();
                Callable<B> task = job::get;
                ahead.add(pool.submit(task));
            }
        } catch (RuntimeException | Error e) {
            shutdown();
            throw e;
        }
    }

    /** Whether the job source has more; a failure reading it (an iterable dataset) ends the epoch. */
    private boolean hasMoreJobs() {
        try {
            return jobs.hasNext();
        } catch (RuntimeException | Error e) {
            shutdown();
            throw e;
        }
    }

    private B await(Future<B> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown();
            throw new DataLoaderException("interrupted while waiting for a batch", -1, e);
        } catch (CancellationException e) {
            shutdown();
            throw closedError();
        } catch (ExecutionException e) {
            shutdown();
            throw rethrown(e.getCause());
        }
    }

    /**
     * The worker's failure as seen by the consumer: a fresh exception (so its stack trace shows where the
     * consumer was) with the worker's message and the original exception as cause.
     */
    private RuntimeException rethrown(Throwable failure) {
        if (closed) {
            return closedError();
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure instanceof DataLoaderException d) {
            return new DataLoaderException(d.getMessage(), d.sampleIndex(), d.getCause() == null ? d : d.getCause());
        }
        return new DataLoaderException("a batch failed: " + failure, -1, failure);
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("the DataLoader was closed while this epoch was being read");
    }

    private void checkOpen() {
        if (closed) {
            throw closedError();
        }
    }

    /** Stops the epoch from any thread: cancels queued batches, interrupts workers and waits for them. */
    void close() {
        closed = true;
        shutdown();
    }

    private void shutdown() {
        boolean first;
        synchronized (lock) {
            first = !finished;
            finished = true;
            ahead.forEach(f -> f.cancel(true));
            ahead.clear();
            if (current != null) {
                current.cancel(true);
            }
        }
        if (pool != null) {
            // NOTE: every caller waits, so a close() racing a normal finish still returns only once the
            // workers are gone.
            cleanable.clean();
            awaitWorkers();
        }
        if (first) {
            onShutdown.accept(this);
        }
    }

    private void awaitWorkers() {
        try {
            pool.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
