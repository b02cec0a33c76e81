package dev.janus.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Version life cycle: rejected versions, version policies, polling, removal, timeouts and graceful shutdown. */
class ServingVersionsTest {
    static final String ONE_ROW = "{\"instances\": [[0, 0, 0, 0]]}";

    @TempDir
    Path tmp;

    private Path base() throws IOException {
        return Files.createDirectories(tmp.resolve("models"));
    }

    private static ServingConfig config(Path base) {
        return ServingConfig.defaults(base).withHost("127.0.0.1").withPort(0).withPollInterval(Duration.ofHours(1))
                .withHttpThreads(8);
    }

    /** The offset the model answered with: version k answers 101k for zeros. */
    private static long version(ServingTestClient c, String path) throws Exception {
        ServingTestClient.Answer a = c.post(path, ONE_ROW);
        assertEquals(200, a.status(), a.body());
        return Math.round(a.json().at("/predictions/0/0").asDouble() / 101);
    }

    @Test
    void brokenNewVersion_rejectedWithReason_oldKeepsServing() throws Exception {
        Path base = base();
        ServingTestModels.deploy(base, "m", 1, ServingTestModels.offsetModel(1));
        try (ModelServer server = ModelServer.start(config(base))) {
            ServingTestClient c = new ServingTestClient(server.uri());
            ServingTestModels.deployBroken(base, "m", 2);
            server.scanNow();
            assertEquals(1, version(c, "/v1/models/m:predict"));
            JsonNode status = c.get("/v1/models/m").json().get("model_version_status");
            assertEquals("2", status.at("/0/version").asText());
            assertEquals("END", status.at("/0/state").asText());
            String reason = status.at("/0/status/error_message").asText();
            assertTrue(reason.contains("m/2/model.janus"), reason);
            assertFalse(reason.contains(tmp.toString()), "no server folders in messages: " + reason);
            assertEquals("AVAILABLE", status.at("/1/state").asText());
            assertTrue(server.ready());
            // a good version 3 replaces version 1
            ServingTestModels.deploy(base, "m", 3, ServingTestModels.offsetModel(3));
            server.scanNow();
            assertEquals(3, version(c, "/v1/models/m:predict"));
        }
    }

    @Test
    void pinnedPolicy_servesExactlyThoseVersions() throws Exception {
        Path base = base();
        for (int k = 1; k <= 3; k++) {
            ServingTestModels.deploy(base, "m", k, ServingTestModels.offsetModel(k));
        }
        try (ModelServer server = ModelServer.start(config(base).withModelPolicy("m", VersionPolicy.parse("1,2")))) {
            ServingTestClient c = new ServingTestClient(server.uri());
            assertEquals(2, version(c, "/v1/models/m:predict"), "the highest pinned version is the default");
            assertEquals(1, version(c, "/v1/models/m/versions/1:predict"));
            assertEquals(404, c.post("/v1/models/m/versions/3:predict", ONE_ROW).status());
        }
    }

    @Test
    void latestPolicy_newFolderPickedUpByPolling_removedModelUnloaded() throws Exception {
        Path base = base();
        ServingTestModels.deploy(base, "m", 1, ServingTestModels.offsetModel(1));
        try (ModelServer server = ModelServer.start(config(base).withPollInterval(Duration.ofMillis(20)))) {
            ServingTestClient c = new ServingTestClient(server.uri());
            ServingTestModels.deploy(base, "m", 2, ServingTestModels.offsetModel(2));
            await(() -> versionOrZero(c) == 2);
            assertEquals("END", c.get("/v1/models/m/versions/1").json().at("/model_version_status/0/state").asText());
            try (Stream<Path> files = Files.walk(base.resolve("m"))) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            await(() -> versionOrZero(c) == -404);
        }
    }

    private static long versionOrZero(ServingTestClient c) {
        try {
            ServingTestClient.Answer a = c.post("/v1/models/m:predict", ONE_ROW);
            return a.status() == 200 ? Math.round(a.json().at("/predictions/0/0").asDouble() / 101) : -a.status();
        } catch (Exception e) {
            return 0;
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, "condition not met within 10 s");
            Thread.sleep(10);
        }
    }

    @Test
    void requestTimeout_504() throws Exception {
        Path base = base();
        ServingTestModels.deploy(base, "m", 1, ServingTestModels.offsetModel(1));
        ServingTestModels.deploy(base, "fixed", 1, ServingTestModels.fixedBatchModel());
        try (ModelServer server = ModelServer.start(config(base).withRequestTimeout(Duration.ofNanos(1)))) {
            ServingTestClient c = new ServingTestClient(server.uri());
            ServingTestClient.Answer batched = c.post("/v1/models/m:predict", ONE_ROW);
            assertEquals(504, batched.status(), batched.body());
            ServingApiTest.assertErrorBody(batched, "timed out");
            ServingTestClient.Answer alone = c.post("/v1/models/fixed:predict", "{\"inputs\": [[1, 2, 3], [4, 5, 6]]}");
            assertEquals(504, alone.status(), alone.body());
        }
    }

    @Test
    void close_drainsRequestsInFlight_thenRefuses() throws Exception {
        Path base = base();
        ServingTestModels.deploy(base, "slow", 1, ServingTestModels.slowLoop());
        ModelServer server = ModelServer.start(config(base));
        ServingTestClient c = new ServingTestClient(server.uri());
        long steps = 20_000;
        long t0 = System.nanoTime();
        assertEquals(200, c.post("/v1/models/slow:predict", slowRequest(steps)).status());
        // long enough that the request is surely still running when close() starts: about half a second
        String slow = slowRequest(Math.max(steps, steps * 500_000_000L / (System.nanoTime() - t0)));
        CompletableFuture<ServingTestClient.Answer> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return c.post("/v1/models/slow:predict", slow);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await(() -> metric(c).contains("janus_requests_in_flight 2"));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        await(() -> !server.ready());
        try {
            ServingTestClient.Answer refused = c.post("/v1/models/slow:predict", slowRequest(1));
            assertEquals(503, refused.status(), refused.body());
            ServingApiTest.assertErrorBody(refused, "shutting down");
        } catch (java.net.ConnectException e) {
            // the drain already ended and the port is closed: refused as well
        }
        assertEquals(200, inFlight.get().status(), "the request in flight finishes");
        closing.get();
    }

    private static String slowRequest(long steps) {
        return "{\"inputs\": {\"h0\": [[1, 1], [1, 1], [1, 1], [1, 1]], \"T\": " + steps + "}}";
    }

    private static String metric(ServingTestClient c) {
        try {
            return c.get("/metrics").body();
        } catch (Exception e) {
            return "";
        }
    }
}
