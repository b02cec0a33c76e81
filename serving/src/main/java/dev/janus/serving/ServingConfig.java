package dev.janus.serving;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How a {@link ModelServer} runs. Start from {@link #defaults(Path)} and change what differs:
 *
 * <pre>{@code
 * ServingConfig cfg = ServingConfig.defaults(Path.of("models")).withPort(8501)
 *         .withBatching(Batching.of(32, Duration.ofMillis(1)))
 *         .withModelBatching("ranker", Batching.off());
 * }</pre>
 *
 * @param modelBasePath   the folder holding {@code <name>/<version>/<file>.janus}
 * @param host            the address to listen on
 * @param port            the port (0: any free port, see {@link ModelServer#port()})
 * @param pollInterval    how often the base path is scanned for new or removed versions
 * @param versionPolicy   which versions every model serves, unless {@code modelPolicies} says otherwise
 * @param modelPolicies   version policies per model name
 * @param batching        dynamic batching for every model, unless {@code modelBatching} says otherwise
 * @param modelBatching   batching per model name
 * @param maxBodyBytes    larger request bodies are refused with 413
 * @param requestTimeout  a prediction not finished by then is answered 504 (and dropped if it has not started)
 * @param httpThreads     threads handling requests (they wait for batches, so this bounds the batch size too)
 * @param drainTimeout    how long shutdown waits for requests in flight
 */
public record ServingConfig(Path modelBasePath, String host, int port, Duration pollInterval,
        VersionPolicy versionPolicy, Map<String, VersionPolicy> modelPolicies, Batching batching,
        Map<String, Batching> modelBatching, long maxBodyBytes, Duration requestTimeout, int httpThreads,
        Duration drainTimeout) {

    public ServingConfig {
        modelPolicies = Map.copyOf(modelPolicies);
        modelBatching = Map.copyOf(modelBatching);
        if (port < 0 || port > 65535 || maxBodyBytes < 1 || httpThreads < 1 || pollInterval.toMillis() < 1) {
            throw new IllegalArgumentException("invalid serving config: port " + port + ", maxBodyBytes " + maxBodyBytes
                    + ", httpThreads " + httpThreads + ", pollInterval " + pollInterval);
        }
    }

    /** Port 8501 on all addresses, scans every second, latest versions, batching on, 16 MiB bodies, 30 s timeout. */
    public static ServingConfig defaults(Path modelBasePath) {
        return new ServingConfig(modelBasePath, "0.0.0.0", 8501, Duration.ofSeconds(1), VersionPolicy.latest(),
                Map.of(), Batching.DEFAULT, Map.of(), 16L << 20, Duration.ofSeconds(30), 128, Duration.ofSeconds(10));
    }

    /** The version policy of one model. */
    public VersionPolicy policyFor(String model) {
        return modelPolicies.getOrDefault(model, versionPolicy);
    }

    /** The batching settings of one model. */
    public Batching batchingFor(String model) {
        return modelBatching.getOrDefault(model, batching);
    }

    public ServingConfig withHost(String h) {
        return new ServingConfig(modelBasePath, h, port, pollInterval, versionPolicy, modelPolicies, batching,
                modelBatching, maxBodyBytes, requestTimeout, httpThreads, drainTimeout);
    }

    public ServingConfig withPort(int p) {
        return new ServingConfig(modelBasePath, host, p, pollInterval, versionPolicy, modelPolicies, batching,
                modelBatching, maxBodyBytes, requestTimeout, httpThreads, drainTimeout);
    }

    public ServingConfig withPollInterval(Duration d) {
        return new ServingConfig(modelBasePath, host, port, d, versionPolicy, modelPolicies, batching, modelBatching,
                maxBodyBytes, requestTimeout, httpThreads, drainTimeout);
    }

    public ServingConfig withVersionPolicy(VersionPolicy p) {
        return new ServingConfig(modelBasePath, host, port, pollInterval, p, modelPolicies, batching, modelBatching,
                maxBodyBytes, requestTimeout, httpThreads, drainTimeout);
    }

    public ServingConfig withModelPolicy(String model, VersionPolicy p) {
        Map<String, VersionPolicy> m = new HashMap<>(modelPolicies);
        m.put(model, p);
        return new ServingConfig(modelBasePath, host, port, pollInterval, versionPolicy, m, batching, modelBatching,
                maxBodyBytes, requestTimeout, httpThreads, drainTimeout);
    }

    public ServingConfig withBatching(Batching b) {
        return new ServingConfig(modelBasePath, host, port, pollInterval, versionPolicy, modelPolicies, b,
                modelBatching, maxBodyBytes, requestTimeout, httpThreads, drainTimeout);
    }

    public ServingConfig withModelBatching(String model, Batching b) {
        Map<String, Batching> m = new HashMap<>(modelBatching);
        m.put(model, b);
        return new ServingConfig(modelBasePath, host, port, pollInterval, versionPolicy, modelPolicies, batching, m,
                maxBodyBytes, requestTimeout, httpThreads, drainTimeout);
    }

    public ServingConfig withMaxBodyBytes(long n) {
        return new ServingConfig(modelBasePath, host, port, pollInterval, versionPolicy, modelPolicies, batching,
                modelBatching, n, requestTimeout, httpThreads, drainTimeout);
    }

    public ServingConfig withRequestTimeout(Duration d) {
        return new ServingConfig(modelBasePath, host, port, pollInterval, versionPolicy, modelPolicies, batching,
                modelBatching, maxBodyBytes, d, httpThreads, drainTimeout);
    }

    public ServingConfig withHttpThreads(int n) {
        return new ServingConfig(modelBasePath, host, port, pollInterval, versionPolicy, modelPolicies, batching,
                modelBatching, maxBodyBytes, requestTimeout, n, drainTimeout);
    }

    public ServingConfig withDrainTimeout(Duration d) {
        return new ServingConfig(modelBasePath, host, port, pollInterval, versionPolicy, modelPolicies, batching,
                modelBatching, maxBodyBytes, requestTimeout, httpThreads, d);
    }
}
