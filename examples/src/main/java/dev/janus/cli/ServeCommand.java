package dev.janus.cli;

import dev.janus.serving.Batching;
import dev.janus.serving.ModelServer;
import dev.janus.serving.ServingConfig;
import dev.janus.serving.VersionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code janus serve}: serves the model archives under a folder over TensorFlow Serving's REST API until the
 * process is stopped (SIGTERM or Ctrl-C drain the requests in flight first).
 *
 * <pre>{@code
 * janus serve --model-base-path models --port 8501 --max-batch-size 32 --model-batching ranker=off
 * }</pre>
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve every model archive under DIR/<name>/<version>/*.janus over a TensorFlow-Serving-"
                + "compatible REST API, loading new versions as they appear.",
            "Endpoints: GET /v1/models/<name>[/versions/<v>][/metadata], POST /v1/models/<name>[/versions/<v>]:predict,"
                + " GET /metrics, /ready, /live."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model-base-path", required = true, paramLabel = "DIR",
            description = "folder holding <name>/<version>/<file>.janus")
    Path base;

    @Option(names = "--port", defaultValue = "8501", description = "port (default ${DEFAULT-VALUE}; 0: any free port)")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "address to listen on (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--poll-interval-ms", defaultValue = "1000",
            description = "how often to look for new versions (default ${DEFAULT-VALUE})")
    long pollMillis;

    @Option(names = "--version-policy", defaultValue = "latest",
            description = "latest, latest:N or pinned versions like 3,5 (default ${DEFAULT-VALUE})")
    String policy;

    @Option(names = "--model-version-policy", paramLabel = "NAME=POLICY",
            description = "version policy of one model, e.g. ranker=3,5 (repeatable)")
    Map<String, String> modelPolicies = new LinkedHashMap<>();

    @Option(names = "--batching", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "merge concurrent requests into one run (default on; --no-batching turns it off)")
    boolean batching;

    @Option(names = "--max-batch-size", defaultValue = "64", description = "rows per batch (default ${DEFAULT-VALUE})")
    int maxBatchSize;

    @Option(names = "--batch-timeout-micros", defaultValue = "2000",
            description = "longest wait for a batch to fill (default ${DEFAULT-VALUE})")
    long batchMicros;

    @Option(names = "--batch-threads", defaultValue = "0",
            description = "threads running batches per model version (default: one per two cores)")
    int batchThreads;

    @Option(names = "--model-batching", paramLabel = "NAME=off|SIZE:MICROS",
            description = "batching of one model, e.g. ranker=off or ranker=16:500 (repeatable)")
    Map<String, String> modelBatching = new LinkedHashMap<>();

    @Option(names = "--max-body-bytes", defaultValue = "16777216",
            description = "larger request bodies get 413 (default ${DEFAULT-VALUE})")
    long maxBody;

    @Option(names = "--request-timeout-ms", defaultValue = "30000",
            description = "predictions not answered by then get 504 (default ${DEFAULT-VALUE})")
    long timeoutMillis;

    @Option(names = "--http-threads", defaultValue = "128",
            description = "request handler threads (default ${DEFAULT-VALUE})")
    int httpThreads;

    @Option(names = "--drain-timeout-ms", defaultValue = "10000",
            description = "how long shutdown waits for requests in flight (default ${DEFAULT-VALUE})")
    long drainMillis;

    /** The server settings these options describe. */
    ServingConfig config() {
        Batching b = batching ? Batching.of(maxBatchSize, Duration.ofNanos(batchMicros * 1000)) : Batching.off();
        if (batching && batchThreads > 0) {
            b = b.withThreads(batchThreads);
        }
        ServingConfig cfg = ServingConfig.defaults(base).withHost(host).withPort(port)
                .withPollInterval(Duration.ofMillis(pollMillis)).withVersionPolicy(VersionPolicy.parse(policy))
                .withBatching(b).withMaxBodyBytes(maxBody).withRequestTimeout(Duration.ofMillis(timeoutMillis))
                .withHttpThreads(httpThreads).withDrainTimeout(Duration.ofMillis(drainMillis));
        for (Map.Entry<String, String> e : modelPolicies.entrySet()) {
            cfg = cfg.withModelPolicy(e.getKey(), VersionPolicy.parse(e.getValue()));
        }
        for (Map.Entry<String, String> e : modelBatching.entrySet()) {
            cfg = cfg.withModelBatching(e.getKey(), parseBatching(e.getValue(), b));
        }
        return cfg;
    }

    /** {@code off} or {@code SIZE:MICROS}. */
    static Batching parseBatching(String text, Batching server) {
        if (text.equals("off")) {
            return Batching.off();
        }
        String[] parts = text.split(":");
        try {
            return new Batching(true, Integer.parseInt(parts[0]),
                    Duration.ofNanos(1000 * (parts.length > 1 ? Long.parseLong(parts[1]) : server.maxWait().toNanos()
                            / 1000)), server.enabled() ? server.threads() : Batching.DEFAULT.threads());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model batching '" + text + "': expected off or SIZE:MICROS, e.g. 16:500");
        }
    }

    @Override
    public Integer call() throws Exception {
        ModelServer server = ModelServer.start(config());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "janus-serve-shutdown"));
        System.out.println("janus serve: " + base + " on " + server.uri() + " (Ctrl-C drains and stops)");
        server.awaitShutdown();
        return 0;
    }
}
