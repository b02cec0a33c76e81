package dev.janus.serving;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves every model archive under a base path over a TensorFlow-Serving-compatible REST API, swapping in new
 * versions as they appear, with dynamic batching. What {@code janus serve} runs.
 *
 * <pre>{@code
 * // models/lenet/1/lenet.janus, models/lenet/2/lenet.janus, ...
 * try (ModelServer server = ModelServer.start(ServingConfig.defaults(Path.of("models")).withPort(8501))) {
 *     server.awaitShutdown();   // until close() is called, e.g. from a shutdown hook
 * }
 * // curl -d '{"instances": [[...784 values...]]}' localhost:8501/v1/models/lenet:predict
 * }</pre>
 *
 * Start-up loads what is on disk before the port opens; {@code /ready} answers 200 once every model with a
 * version folder serves a version. {@link #close()} shuts down gracefully: not ready, new requests refused with
 * 503, requests in flight finished (up to the drain timeout), then the port closes and the models unload.
 */
public final class ModelServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelServer.class);

    private final ServingConfig cfg;
    private final ModelRegistry registry = new ModelRegistry();
    private final Metrics metrics = new Metrics();
    private final VersionWatcher watcher;
    private final JdkHttpFront front;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;

    private ModelServer(ServingConfig cfg) throws IOException {
        this.cfg = cfg;
        this.watcher = new VersionWatcher(cfg, registry, metrics);
        watcher.scan();
        RestApi api = new RestApi(registry, metrics, this::ready, cfg.requestTimeout().toNanos());
        this.front = new JdkHttpFront(cfg.host(), cfg.port(), cfg.httpThreads(), cfg.maxBodyBytes(), api,
                metrics.inFlight);
        watcher.start();
        log.info("serving {} on port {}", cfg.modelBasePath(), port());
    }

    /** Loads the models found under the base path, opens the port and starts watching for new versions. */
    public static ModelServer start(ServingConfig cfg) throws IOException {
        return new ModelServer(cfg);
    }

    /** The port listened on (the chosen one when the config asked for port 0). */
    public int port() {
        return front.port();
    }

    /** {@code http://<host>:<port>}, with 127.0.0.1 for a wildcard host. */
    public URI uri() {
        String host = cfg.host().equals("0.0.0.0") ? "127.0.0.1" : cfg.host();
        return URI.create("http://" + host + ":" + port());
    }

    /** Scans the base path now, in this thread (also done every poll interval). */
    public void scanNow() {
        watcher.scan();
    }

    /** Not shutting down, and every model that has a version folder serves a version. */
    public boolean ready() {
        return !closing && registry.allServing(watcher.modelsWithVersions());
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    /** Graceful shutdown: stop accepting, drain the requests in flight, close the port, unload the models. */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        log.info("shutting down: draining requests in flight");
        watcher.close();
        front.startDraining();
        try {
            if (!front.awaitDrained(cfg.drainTimeout().toMillis())) {
                log.warn("requests still in flight after {}; closing anyway", cfg.drainTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        front.close();
        registry.retireAll();
        log.info("stopped");
        stopped.countDown();
    }
}
