package dev.janus.serving;

import dev.janus.Tensor;
import dev.janus.io.LoadedModel;
import dev.janus.io.Signature;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded, warmed-up version of a model, counted by its users. The registry holds one reference while the
 * version is served; every request holds one from {@link #tryAcquire()} until its answer is computed. Retiring
 * drops the registry's reference; the last release unloads (stops the batcher, lets the graph go). Once the
 * count reached zero no one can acquire it again, so a request either got in before the retirement and finishes
 * on this version, or fails to acquire and looks up the new one.
 */
final class ServableVersion {
    private static final Logger log = LoggerFactory.getLogger(ServableVersion.class);

    final String model;
    final long version;
    final LoadedModel loaded;
    private final Batcher batcher;
    private final Metrics.ModelMetrics metrics;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final CompletableFuture<Void> unloaded = new CompletableFuture<>();

    ServableVersion(String model, long version, LoadedModel loaded, Batching batching, Metrics.ModelMetrics metrics,
            IntSupplier arriving) {
        this.model = model;
        this.version = version;
        this.loaded = loaded;
        this.metrics = metrics;
        this.batcher = batching.enabled() && batchable(loaded.signature())
                ? new Batcher(model + "-" + version, loaded, batching, metrics, arriving) : null;
    }

    /** Batching merges along dim 0, so every input and output must have a dynamic dim 0. */
    static boolean batchable(Signature sig) {
        return sig.inputs().stream().allMatch(s -> s.spec().shape().rank() > 0 && s.isDynamic(0))
                && sig.outputs().stream().allMatch(s -> s.spec().shape().rank() > 0 && s.isDynamic(0));
    }

    /** True when requests to this version are batched. */
    boolean batched() {
        return batcher != null;
    }

    /** Counts one more user, unless the version is already unloading. */
    boolean tryAcquire() {
        for (int r = refs.get(); r > 0; r = refs.get()) {
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Ends one use; the last one unloads. */
    void release() {
        if (refs.decrementAndGet() == 0) {
            if (batcher != null) {
                batcher.close();
            }
            log.info("unloaded {} version {}", model, version);
            unloaded.complete(null);
        }
    }

    /** Stops serving: unloads once the requests in flight are done. */
    void retire() {
        release();
    }

    /** Completes when the version is unloaded. */
    CompletableFuture<Void> unloaded() {
        return unloaded;
    }

    /**
     * Runs one request, batched with others when batching is on (the future completes on the batch thread), else
     * at once on the caller's thread. A request still waiting at {@code deadlineNanos} fails with 504; a run that
     * started is not interrupted. The caller holds a reference until the future completes.
     */
    CompletableFuture<HostArray[]> predict(HostArray[] inputs, long deadlineNanos) {
        if (batcher != null) {
            return batcher.submit(inputs, deadlineNanos);
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            return CompletableFuture.failedFuture(new ApiException(504, "the request timed out before it could run"));
        }
        try {
            HostArray[] out = run(loaded, inputs);
            metrics.observeBatch(inputs[0].shape().length == 0 ? 1 : inputs[0].shape()[0]);
            return CompletableFuture.completedFuture(out);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    static HostArray[] run(LoadedModel model, HostArray[] inputs) {
        Tensor[] in = new Tensor[inputs.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = inputs[i].toTensor();
        }
        Tensor[] out = model.run(in);
        HostArray[] result = new HostArray[out.length];
        for (int i = 0; i < out.length; i++) {
            result[i] = HostArray.of(out[i]);
        }
        return result;
    }

    @Override
    public String toString() {
        return model + " version " + version;
    }
}
