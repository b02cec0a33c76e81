package dev.janus.serving;

import dev.janus.Tensor;
import dev.janus.io.LoadedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Dynamic batching for one model version. Requests wait in a queue; a batch thread takes the first and adds
 * the following ones until the batch holds {@code maxBatchSize} rows, {@code maxWait} has passed since the
 * first was queued, or no request for the model is on its way ({@code arriving} is zero: its HTTP handlers have
 * all queued theirs). A request that finds the batcher idle and no other request arriving runs at once on its
 * own thread. The batch runs as one call on the rows concatenated along dim 0, and each request gets its
 * rows of every output back.
 *
 * <p>NOTE: the "nobody is on the way" rule is what keeps a lone client from paying {@code maxWait} on every
 * request, while under load the queue fills during a run and the next batch forms without waiting at all.
 */
final class Batcher implements AutoCloseable {
    /** How often a waiting batch thread looks at the arriving count again. */
    private static final long RECHECK_NANOS = 100_000;

    private record Pending(HostArray[] inputs, long rows, long queuedNanos, long deadlineNanos,
            CompletableFuture<HostArray[]> result) {}

    private final LoadedModel model;
    private final Batching cfg;
    private final Metrics.ModelMetrics metrics;
    private final IntSupplier arriving;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread[] threads;
    /** Batches being formed or run, by the batch threads or by a request alone on its own thread. */
    private final AtomicInteger busy = new AtomicInteger();
    private volatile boolean closed;

    Batcher(String label, LoadedModel model, Batching cfg, Metrics.ModelMetrics metrics, IntSupplier arriving) {
        this.model = model;
        this.cfg = cfg;
        this.metrics = metrics;
        this.arriving = arriving;
        this.threads = new Thread[cfg.threads()];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(this::loop, "janus-batch-" + label + "-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /** Queues a request; the future completes with its outputs' rows. */
    CompletableFuture<HostArray[]> submit(HostArray[] inputs, long deadlineNanos) {
        CompletableFuture<HostArray[]> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new ApiException(503, "the model version is unloading; try again"));
            return result;
        }
        Pending p = new Pending(inputs, inputs[0].shape()[0], System.nanoTime(), deadlineNanos, result);
        if (busy.get() == 0 && queue.isEmpty() && arriving.getAsInt() <= 1) {
            // NOTE: alone (no batch in progress, none queued, no other request on its way): there is nothing to
            // merge with, so run here and spare the two thread hand-offs, which cost 50-600 µs on a virtual machine
            busy.incrementAndGet();
            try {
                if (!expired(p)) {
                    run(List.of(p));
                }
            } finally {
                busy.decrementAndGet();
            }
            return result;
        }
        queue.add(p);
        return result;
    }

    private void loop() {
        Pending carry = null;
        while (!closed) {
            try {
                Pending first = carry != null ? carry : queue.poll(50, TimeUnit.MILLISECONDS);
                carry = null;
                if (first == null || expired(first)) {
                    continue;
                }
                busy.incrementAndGet();
                try {
                    List<Pending> batch = new ArrayList<>();
                    batch.add(first);
                    carry = fill(batch, first);
                    run(batch);
                } finally {
                    busy.decrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Adds queued requests to {@code batch}; returns one that did not fit, or null. */
    private Pending fill(List<Pending> batch, Pending first) throws InterruptedException {
        long rows = first.rows;
        long waitUntil = first.queuedNanos + cfg.maxWait().toNanos();
        while (rows < cfg.maxBatchSize()) {
            Pending p = queue.poll();
            if (p == null) {
                long left = waitUntil - System.nanoTime();
                if (left <= 0 || arriving.getAsInt() == 0) {
                    return null;
                }
                p = queue.poll(Math.min(left, RECHECK_NANOS), TimeUnit.NANOSECONDS);
                if (p == null) {
                    continue;
                }
            }
            if (expired(p)) {
                continue;
            }
            if (rows + p.rows > cfg.maxBatchSize() || !sameRowShapes(first, p)) {
                return p;
            }
            batch.add(p);
            rows += p.rows;
        }
        return null;
    }

    private static boolean expired(Pending p) {
        if (System.nanoTime() - p.deadlineNanos > 0) {
            p.result.completeExceptionally(new ApiException(504, "the request timed out waiting for its batch"));
            return true;
        }
        return false;
    }

    private static boolean sameRowShapes(Pending a, Pending b) {
        for (int i = 0; i < a.inputs.length; i++) {
            long[] x = a.inputs[i].shape();
            long[] y = b.inputs[i].shape();
            if (!Arrays.equals(x, 1, x.length, y, 1, y.length)) {
                return false;
            }
        }
        return true;
    }

    private void run(List<Pending> batch) {
        if (batch.size() == 1) {
            Pending p = batch.get(0);
            complete(p, () -> ServableVersion.run(model, p.inputs));
            metrics.observeBatch(p.rows);
            return;
        }
        long rows = 0;
        for (Pending p : batch) {
            rows += p.rows;
        }
        metrics.observeBatch(rows);
        HostArray[] outputs;
        try {
            outputs = runMerged(batch, rows);
        } catch (RuntimeException e) {
            // NOTE: one bad request must not fail the others: run them one by one, so only it fails
            for (Pending p : batch) {
                complete(p, () -> ServableVersion.run(model, p.inputs));
            }
            return;
        }
        long at = 0;
        for (Pending p : batch) {
            HostArray[] mine = new HostArray[outputs.length];
            for (int i = 0; i < outputs.length; i++) {
                mine[i] = outputs[i].rows(at, p.rows);
            }
            at += p.rows;
            p.result.complete(mine);
        }
    }

    private HostArray[] runMerged(List<Pending> batch, long rows) {
        Tensor[] in = new Tensor[batch.get(0).inputs.length];
        List<HostArray> parts = new ArrayList<>(batch.size());
        for (int i = 0; i < in.length; i++) {
            parts.clear();
            for (Pending p : batch) {
                parts.add(p.inputs[i]);
            }
            in[i] = HostArray.concatRows(parts);
        }
        Tensor[] out = model.run(in);
        HostArray[] outputs = new HostArray[out.length];
        for (int i = 0; i < out.length; i++) {
            outputs[i] = HostArray.of(out[i]);
            long[] s = outputs[i].shape();
            if (s.length == 0 || s[0] != rows) {
                throw new IllegalStateException("output " + i + " of a batch of " + rows + " rows has shape "
                        + Arrays.toString(s) + "; it does not follow the batch");
            }
        }
        return outputs;
    }

    private interface Run {
        HostArray[] get();
    }

    private static void complete(Pending p, Run run) {
        try {
            p.result.complete(run.get());
        } catch (RuntimeException e) {
            p.result.completeExceptionally(e);
        }
    }

    /** Stops the batch threads; requests still queued fail with 503. */
    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Pending p; (p = queue.poll()) != null; ) {
            p.result.completeExceptionally(new ApiException(503, "the model version unloaded; try again"));
        }
    }
}
