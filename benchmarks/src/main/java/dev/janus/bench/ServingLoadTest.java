package dev.janus.bench;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.examples.models.LeNet;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import dev.janus.graph.GraphFunction;
import dev.janus.graph.InputSpec;
import dev.janus.graph.passes.PassManager;
import dev.janus.io.ModelArchive;
import dev.janus.serving.Batching;
import dev.janus.serving.ModelServer;
import dev.janus.serving.ServingConfig;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load test of {@code janus serve}: a LeNet archive served on a loopback port, closed-loop clients each sending
 * one 28×28 image per request ({@code {"instances": [...]}}) over a kept-alive HTTP/1.1 connection, at 1, 8
 * and 64 clients, with dynamic batching off and on. Prints throughput and p50/p99 latency as a Markdown table.
 *
 * <pre>{@code
 * mvn -o -q -B -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.janus.bench.ServingLoadTest            # ~30 s
 * java -cp benchmarks/target/benchmarks.jar dev.janus.bench.ServingLoadTest --seconds 10 --clients 1,8,64,128
 * java -cp benchmarks/target/benchmarks.jar dev.janus.bench.ServingLoadTest --url http://host:8501   # a running server
 * }</pre>
 *
 * The clients are plain sockets (a blocking request/response loop), not {@code java.net.http}, so that on a
 * small machine the client side takes as little CPU from the server as possible.
 */
public final class ServingLoadTest {
    /** Options: {@code --seconds}, {@code --warmup-seconds}, {@code --clients}, {@code --modes}, {@code --url}. */
    record Options(double seconds, double warmupSeconds, int[] clients, String[] modes, URI url, int maxBatchSize,
            long batchMicros, int batchThreads) {
        static Options parse(String[] args) {
            Options o = new Options(3, 1, new int[] {1, 8, 64}, new String[] {"off", "on"}, null, 64, 2000, 0);
            for (int i = 0; i + 1 < args.length; i += 2) {
                String v = args[i + 1];
                o = switch (args[i]) {
                    case "--seconds" -> new Options(Double.parseDouble(v), o.warmupSeconds, o.clients, o.modes, o.url,
                            o.maxBatchSize, o.batchMicros, o.batchThreads);
                    case "--warmup-seconds" -> new Options(o.seconds, Double.parseDouble(v), o.clients, o.modes, o.url,
                            o.maxBatchSize, o.batchMicros, o.batchThreads);
                    case "--clients" -> new Options(o.seconds, o.warmupSeconds,
                            Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray(), o.modes, o.url,
                            o.maxBatchSize, o.batchMicros, o.batchThreads);
                    case "--modes" -> new Options(o.seconds, o.warmupSeconds, o.clients, v.split(","), o.url,
                            o.maxBatchSize, o.batchMicros, o.batchThreads);
                    case "--url" -> new Options(o.seconds, o.warmupSeconds, o.clients, new String[] {"external"},
                            URI.create(v), o.maxBatchSize, o.batchMicros, o.batchThreads);
                    case "--max-batch-size" -> new Options(o.seconds, o.warmupSeconds, o.clients, o.modes, o.url,
                            Integer.parseInt(v), o.batchMicros, o.batchThreads);
                    case "--batch-timeout-micros" -> new Options(o.seconds, o.warmupSeconds, o.clients, o.modes, o.url,
                            o.maxBatchSize, Long.parseLong(v), o.batchThreads);
                    case "--batch-threads" -> new Options(o.seconds, o.warmupSeconds, o.clients, o.modes, o.url,
                            o.maxBatchSize, o.batchMicros, Integer.parseInt(v));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                };
            }
            return o;
        }
    }

    /** One measured point. */
    record Result(String mode, int clients, long requests, long errors, double seconds, double p50Millis,
            double p99Millis, double meanBatch) {
        double throughput() {
            return requests / seconds;
        }
    }

    private ServingLoadTest() {}

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "# janus serve load test: LeNet, one image per request, %.1f s per point (after %.1f s "
                + "warm-up), %d cores, %d Janus/OpenBLAS threads%n%n", o.seconds, o.warmupSeconds,
                Runtime.getRuntime().availableProcessors(), Integer.getInteger("janus.threads",
                        Runtime.getRuntime().availableProcessors()));
        List<Result> results = run(o);
        out.println("| batching | clients | requests/s | p50 ms | p99 ms | mean rows per run | errors |");
        out.println("|---|---|---|---|---|---|---|");
        for (Result r : results) {
            out.printf(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %.1f | %d |%n", r.mode, r.clients,
                    r.throughput(), r.p50Millis, r.p99Millis, r.meanBatch, r.errors);
        }
    }

    /** Runs every (mode, clients) point. */
    static List<Result> run(Options o) throws Exception {
        List<String> bodies = bodies(16);
        List<Result> results = new ArrayList<>();
        if (o.url != null) {
            for (int c : o.clients) {
                results.add(measure("external", o.url, c, bodies, o));
            }
            return results;
        }
        Path dir = Files.createTempDirectory("janus-serving-load");
        try {
            Path base = Files.createDirectories(dir.resolve("models"));
            saveLeNet(base.resolve("lenet").resolve("1"));
            for (String mode : o.modes) {
                Batching b = mode.equals("on") ? Batching.of(o.maxBatchSize, Duration.ofNanos(o.batchMicros * 1000))
                        : Batching.off();
                if (mode.equals("on") && o.batchThreads > 0) {
                    b = b.withThreads(o.batchThreads);
                }
                ServingConfig cfg = ServingConfig.defaults(base).withHost("127.0.0.1").withPort(0).withBatching(b)
                        .withPollInterval(Duration.ofHours(1));
                try (ModelServer server = ModelServer.start(cfg)) {
                    // NOTE: the first point would otherwise run while the JIT still compiles the server's paths
                    measure(mode, server.uri(), 8, bodies, new Options(2 * o.warmupSeconds, 0, o.clients, o.modes,
                            o.url, o.maxBatchSize, o.batchMicros, o.batchThreads));
                    for (int c : o.clients) {
                        results.add(measure(mode, server.uri(), c, bodies, o));
                    }
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return results;
    }

    /** LeNet (the examples' model, seed 0) captured with a dynamic batch dim, optimized, saved as version 1. */
    static void saveLeNet(Path versionDir) throws IOException {
        Janus.manualSeed(0);
        LeNet net = new LeNet();
        Graph g = GraphCapture.capture(net, net::forward, InputSpec.of(DType.FLOAT32, 1, 1, 28, 28).dynamic(0));
        Files.createDirectories(versionDir);
        ModelArchive.save(GraphFunction.of(PassManager.forExecution().apply(g), "forward"),
                versionDir.resolve("lenet.janus"));
    }

    /** {@code n} request bodies, each one random 1×28×28 image: {@code {"instances": [[[[...], ...]]]}}. */
    static List<String> bodies(int n) {
        Generator gen = new Generator(1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] px = Tensor.rand(gen, 28 * 28).toFloatArray();
            StringBuilder sb = new StringBuilder("{\"instances\": [[[");
            for (int y = 0; y < 28; y++) {
                sb.append(y > 0 ? ",[" : "[");
                for (int x = 0; x < 28; x++) {
                    sb.append(x > 0 ? "," : "").append(String.format(Locale.ROOT, "%.4f", px[y * 28 + x]));
                }
                sb.append(']');
            }
            out.add(sb.append("]]]}").toString());
        }
        return out;
    }

    /** Warms up, then runs {@code clients} closed-loop clients for the measured time. */
    static Result measure(String mode, URI uri, int clients, List<String> bodies, Options o) throws Exception {
        AtomicBoolean recording = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong errors = new AtomicLong();
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        CountDownLatch done = new CountDownLatch(clients);
        for (int i = 0; i < clients; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                try {
                    latencies[id] = clientLoop(uri, bodies, id, running, recording, errors, counts);
                } finally {
                    done.countDown();
                }
            }, "load-client-" + i);
            t.setDaemon(true);
            t.start();
        }
        Thread.sleep((long) (o.warmupSeconds * 1000));
        double[] batches0 = batchCounters(uri);
        recording.set(true);
        long t0 = System.nanoTime();
        Thread.sleep((long) (o.seconds * 1000));
        recording.set(false);
        double[] batches1 = batchCounters(uri);
        double seconds = (System.nanoTime() - t0) / 1e9;
        running.set(false);
        done.await();
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] all = new long[total];
        int at = 0;
        for (int i = 0; i < clients; i++) {
            System.arraycopy(latencies[i], 0, all, at, counts[i]);
            at += counts[i];
        }
        Arrays.sort(all);
        return new Result(mode, clients, total, errors.get(), seconds, percentile(all, 0.50), percentile(all, 0.99),
                (batches1[0] - batches0[0]) / (batches1[1] - batches0[1]));
    }

    /** The server's {@code janus_batch_size} sum and count for lenet (NaN when it has none). */
    static double[] batchCounters(URI uri) throws IOException {
        try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
            s.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String text = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            double[] out = {Double.NaN, Double.NaN};
            for (String line : text.split("\n")) {
                if (line.startsWith("janus_batch_size_sum{model=\"lenet\"}")) {
                    out[0] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith("janus_batch_size_count{model=\"lenet\"}")) {
                    out[1] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return out;
        }
    }

    private static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
    }

    /** One client: request, read the answer, repeat; latencies of the requests that started while recording. */
    private static long[] clientLoop(URI uri, List<String> bodies, int id, AtomicBoolean running,
            AtomicBoolean recording, AtomicLong errors, int[] counts) {
        long[] lat = new long[1 << 16];
        int n = 0;
        byte[][] requests = new byte[bodies.size()][];
        for (int i = 0; i < requests.length; i++) {
            byte[] body = bodies.get(i).getBytes(StandardCharsets.UTF_8);
            String head = "POST /v1/models/lenet:predict HTTP/1.1\r\nHost: " + uri.getHost() + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            requests[i] = Arrays.copyOf(h, h.length + body.length);
            System.arraycopy(body, 0, requests[i], h.length, body.length);
        }
        int k = id;
        while (running.get()) {
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
                OutputStream out = s.getOutputStream();
                InputStream in = new BufferedInputStream(s.getInputStream(), 65536);
                while (running.get()) {
                    boolean rec = recording.get();
                    long t0 = System.nanoTime();
                    out.write(requests[k++ % requests.length]);
                    out.flush();
                    int status = readResponse(in);
                    long dt = System.nanoTime() - t0;
                    if (status != 200) {
                        errors.incrementAndGet();
                    }
                    if (rec && recording.get()) {
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, n * 2);
                        }
                        lat[n++] = dt;
                    }
                }
            } catch (IOException e) {
                if (running.get()) {
                    errors.incrementAndGet();
                }
            }
        }
        counts[id] = n;
        return lat;
    }

    /** Reads one HTTP/1.1 response with a Content-Length body; returns its status. */
    static int readResponse(InputStream in) throws IOException {
        String status = readLine(in);
        if (status == null) {
            throw new IOException("connection closed");
        }
        long length = 0;
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        for (long left = length; left > 0; ) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed in a body");
                }
                skipped = 1;
            }
            left -= skipped;
        }
        return Integer.parseInt(status.substring(9, 12));
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }
}
