package dev.janus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.serving.Batching;
import dev.janus.serving.ServingConfig;
import dev.janus.serving.VersionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code janus serve}'s options become the server's settings. */
class ServeCommandTest {
    private static ServingConfig parse(String... args) {
        ServeCommand cmd = new ServeCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.config();
    }

    @Test
    void defaults_port8501_latest_batchingOn() {
        ServingConfig cfg = parse("--model-base-path", "models");
        assertEquals(Path.of("models"), cfg.modelBasePath());
        assertEquals(8501, cfg.port());
        assertEquals(VersionPolicy.latest(), cfg.versionPolicy());
        assertTrue(cfg.batching().enabled());
        assertEquals(64, cfg.batching().maxBatchSize());
        assertEquals(Duration.ofMillis(2), cfg.batching().maxWait());
    }

    @Test
    void options_perModelBatchingAndPolicies() {
        ServingConfig cfg = parse("--model-base-path", "m", "--port", "0", "--max-batch-size", "16",
                "--batch-timeout-micros", "500", "--batch-threads", "3", "--model-batching", "a=off",
                "--model-batching", "b=8:100", "--model-version-policy", "a=1,2", "--poll-interval-ms", "50",
                "--max-body-bytes", "1000", "--request-timeout-ms", "250");
        assertEquals(new Batching(true, 16, Duration.ofNanos(500_000), 3), cfg.batchingFor("c"));
        assertFalse(cfg.batchingFor("a").enabled());
        assertEquals(new Batching(true, 8, Duration.ofNanos(100_000), 3), cfg.batchingFor("b"));
        assertEquals(VersionPolicy.pinned(1, 2), cfg.policyFor("a"));
        assertEquals(VersionPolicy.latest(), cfg.policyFor("b"));
        assertEquals(Duration.ofMillis(50), cfg.pollInterval());
        assertEquals(1000, cfg.maxBodyBytes());
        assertEquals(Duration.ofMillis(250), cfg.requestTimeout());
    }

    @Test
    void noBatching_off() {
        assertFalse(parse("--model-base-path", "m", "--no-batching").batching().enabled());
    }
}
