package dev.janus.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients predict while new versions go live five times. Version k answers {@code x + 101k} through two
 * bias tensors (k and 100k), so an answer from a half-swapped model would show some other offset.
 */
class ServingHotSwapTest {
    static final int CLIENTS = 16;
    static final int SWAPS = 5;

    @TempDir
    Path tmp;

    /** What the clients saw. */
    static final class Observed {
        final AtomicLong answers = new AtomicLong();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicLongArray latest = new AtomicLongArray(CLIENTS);
        final Map<Long, AtomicLong> perVersion = new ConcurrentHashMap<>();
    }

    @Test
    void fiveSwapsUnderLoad_noFailures_eachAnswerFromOneVersion_answersSwitch() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("models"));
        ServingTestModels.deploy(base, "offset", 1, ServingTestModels.offsetModel(1));
        ServingConfig cfg = ServingConfig.defaults(base).withHost("127.0.0.1").withPort(0)
                .withPollInterval(Duration.ofMillis(10)).withBatching(Batching.of(8, Duration.ofMillis(1)))
                .withHttpThreads(CLIENTS + 4);
        Observed seen = new Observed();
        AtomicBoolean running = new AtomicBoolean(true);
        try (ModelServer server = ModelServer.start(cfg)) {
            ServingTestClient client = new ServingTestClient(server.uri());
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int id = i;
                Thread t = new Thread(() -> clientLoop(client, id, running, seen), "client-" + i);
                t.start();
                clients.add(t);
            }
            for (long k = 2; k <= SWAPS + 1; k++) {
                long before = seen.answers.get();
                awaitAnswers(seen, before + 20 * CLIENTS);
                ServingTestModels.deploy(base, "offset", k, ServingTestModels.offsetModel(k));
                long version = k;
                awaitAllClientsOn(seen, version);
                // a request that starts now is answered by the new version
                assertEquals(version, versionOf(client.post("/v1/models/offset:predict",
                        "{\"instances\": [[0, 0, 0, 0]]}"), new float[][] {{0, 0, 0, 0}}));
            }
            running.set(false);
            for (Thread t : clients) {
                t.join();
            }
            assertTrue(seen.failures.isEmpty(), seen.failures.size() + " failures, first: " + seen.failures.peek());
            for (long k = 1; k <= SWAPS + 1; k++) {
                assertTrue(seen.perVersion.containsKey(k), "version " + k + " answered: " + seen.perVersion);
            }
            String metrics = client.get("/metrics").body();
            for (long k = 1; k <= SWAPS; k++) {
                assertTrue(metrics.contains("version=\"" + k + "\",state=\"END\""), "version " + k + " unloaded");
            }
            assertTrue(metrics.contains("version=\"" + (SWAPS + 1) + "\",state=\"AVAILABLE\""), metrics);
        }
    }

    /** Sends one or two random rows at a time; checks each answer and that versions never go back. */
    private static void clientLoop(ServingTestClient client, int id, AtomicBoolean running, Observed seen) {
        Random r = new Random(id);
        while (running.get()) {
            float[][] rows = new float[1 + r.nextInt(2)][ServingTestModels.WIDTH];
            for (float[] row : rows) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = r.nextInt(100);
                }
            }
            try {
                ServingTestClient.Answer a = client.post("/v1/models/offset:predict", ServingTestClient.instances(rows));
                long v = versionOf(a, rows);
                if (v < seen.latest.get(id)) {
                    seen.failures.add("client " + id + " got version " + v + " after " + seen.latest.get(id));
                }
                seen.latest.set(id, v);
                seen.perVersion.computeIfAbsent(v, k -> new AtomicLong()).incrementAndGet();
                seen.answers.incrementAndGet();
            } catch (Exception | AssertionError e) {
                seen.failures.add("client " + id + ": " + e);
            }
        }
    }

    /** The version every value of the answer comes from (they must all agree). */
    private static long versionOf(ServingTestClient.Answer a, float[][] rows) {
        if (a.status() != 200) {
            throw new AssertionError("status " + a.status() + ": " + a.body());
        }
        JsonNode p = a.json().get("predictions");
        assertEquals(rows.length, p.size(), a.body());
        long version = -1;
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[i].length; j++) {
                double offset = p.get(i).get(j).asDouble() - rows[i][j];
                long k = Math.round(offset / 101);
                if (offset != 101.0 * k || (version >= 0 && k != version)) {
                    throw new AssertionError("answer mixes versions: " + a.body() + " for " + java.util.Arrays
                            .deepToString(rows));
                }
                version = k;
            }
        }
        return version;
    }

    private static void awaitAnswers(Observed seen, long count) throws InterruptedException {
        long until = System.nanoTime() + 20_000_000_000L;
        while (seen.answers.get() < count && seen.failures.isEmpty()) {
            assertTrue(System.nanoTime() < until, "clients too slow: " + seen.answers.get() + " answers");
            Thread.sleep(2);
        }
    }

    private static void awaitAllClientsOn(Observed seen, long version) throws InterruptedException {
        long until = System.nanoTime() + 20_000_000_000L;
        for (int i = 0; i < CLIENTS; i++) {
            while (seen.latest.get(i) != version && seen.failures.isEmpty()) {
                assertTrue(System.nanoTime() < until, "client " + i + " still on " + seen.latest.get(i));
                Thread.sleep(2);
            }
        }
        assertTrue(seen.failures.isEmpty(), seen.failures.peek());
    }
}
