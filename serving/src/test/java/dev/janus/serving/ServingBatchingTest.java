package dev.janus.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent requests are merged into one run and each gets its own rows back. */
class ServingBatchingTest {
    static final int CLIENTS = 24;
    static final int ROUNDS = 10;

    @TempDir
    Path tmp;

    @Test
    void concurrentRequests_mergedIntoBatches_eachGetsItsOwnRows() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("models"));
        ServingTestModels.deploy(base, "offset", 1, ServingTestModels.slowOffsetModel());
        ServingConfig cfg = ServingConfig.defaults(base).withHost("127.0.0.1").withPort(0)
                .withPollInterval(Duration.ofHours(1)).withHttpThreads(CLIENTS)
                .withBatching(Batching.of(32, Duration.ofMillis(50)).withThreads(1));
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try (ModelServer server = ModelServer.start(cfg)) {
            ServingTestClient client = new ServingTestClient(server.uri());
            for (int round = 0; round < ROUNDS; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<CompletableFuture<Void>> all = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    int id = round * CLIENTS + i;
                    all.add(CompletableFuture.runAsync(() -> predictAndCheck(client, go, id), pool));
                }
                go.countDown();
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
            }
            String metrics = client.get("/metrics").body();
            long runs = metric(metrics, "janus_batch_size_count\\{model=\"offset\"}");
            // every request has two rows, so a run of at most two rows ran one request alone
            long single = metric(metrics, "janus_batch_size_bucket\\{model=\"offset\",le=\"2\"}");
            long rows = metric(metrics, "janus_batch_size_sum\\{model=\"offset\"}");
            assertEquals(ROUNDS * CLIENTS * 2, rows, "every row ran once");
            assertTrue(runs - single > 0, "some runs merged requests: " + runs + " runs, " + single + " of one request");
            assertTrue(runs < ROUNDS * CLIENTS, runs + " runs for " + ROUNDS * CLIENTS + " requests");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Request {@code id} sends rows whose values encode the id, and checks that the answer is for those rows. */
    private static void predictAndCheck(ServingTestClient client, CountDownLatch go, int id) {
        float[][] rows = {{id, id + 0.25f, -id, 7}, {2 * id, 0, 1, id + 0.5f}};
        try {
            go.await();
            ServingTestClient.Answer a = client.post("/v1/models/offset:predict", ServingTestClient.instances(rows));
            assertEquals(200, a.status(), a.body());
            JsonNode p = a.json().get("predictions");
            assertEquals(2, p.size());
            for (int r = 0; r < 2; r++) {
                for (int j = 0; j < ServingTestModels.WIDTH; j++) {
                    assertEquals(rows[r][j] + 101f, (float) p.get(r).get(j).asDouble(), "request " + id);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long metric(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.]+)$").matcher(text);
        assertTrue(m.find(), series + " in\n" + text);
        return Math.round(Double.parseDouble(m.group(1)));
    }
}
