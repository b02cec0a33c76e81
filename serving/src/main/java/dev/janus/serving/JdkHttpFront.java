package dev.janus.serving;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side, on the JDK's built-in server ({@code com.sun.net.httpserver}): reads bodies up to the size
 * limit (413 beyond it), hands requests to the {@link RestApi} on a fixed pool of handler threads, and drains on
 * shutdown (new requests get 503 while the ones in flight finish). Why this server: {@code docs/serving.md}.
 */
final class JdkHttpFront implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JdkHttpFront.class);
    /** A body this much over the limit is not read to its end: the connection is closed instead. */
    private static final long DISCARD_LIMIT = 64L << 20;

    static {
        // NOTE: the JDK server writes a response's headers and body as two packets; with Nagle's algorithm on, the
        // body then waits for the client's delayed ACK, about 40 ms per request. Its one switch is this property,
        // read once when the server classes load, so it is set here unless the user set it.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final RestApi api;
    private final long maxBodyBytes;
    private final AtomicInteger inFlight;
    private volatile boolean draining;

    JdkHttpFront(String host, int port, int threads, long maxBodyBytes, RestApi api, AtomicInteger inFlight)
            throws IOException {
        this.api = api;
        this.inFlight = inFlight;
        this.maxBodyBytes = maxBodyBytes;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 1024);
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "janus-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::exchange);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void exchange(HttpExchange ex) {
        long start = System.nanoTime();
        inFlight.incrementAndGet();
        try (ex) {
            if (draining) {
                ex.getResponseHeaders().set("Connection", "close");
                send(ex, RestApi.Reply.error(503, "the server is shutting down"));
                return;
            }
            byte[] body = readBody(ex);
            if (body == null) {
                ex.getResponseHeaders().set("Connection", "close");
                send(ex, RestApi.Reply.error(413, "the request body is larger than the limit of " + maxBodyBytes
                        + " bytes"));
                return;
            }
            send(ex, api.handle(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), body, start));
        } catch (IOException e) {
            log.debug("client connection failed: {}", e.getMessage());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** The body, or null when it exceeds the limit (then read and dropped, up to a point, so the client hears). */
    private byte[] readBody(HttpExchange ex) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                length = -1;
            }
        }
        InputStream in = ex.getRequestBody();
        if (length > maxBodyBytes) {
            discard(in, Math.min(length, DISCARD_LIMIT));
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length > 0 ? (int) length : 1024);
        byte[] buf = new byte[16384];
        long total = 0;
        for (int r; (r = in.read(buf)) > 0; ) {
            total += r;
            if (total > maxBodyBytes) {
                discard(in, DISCARD_LIMIT);
                return null;
            }
            out.write(buf, 0, r);
        }
        return out.toByteArray();
    }

    private static void discard(InputStream in, long limit) throws IOException {
        byte[] buf = new byte[16384];
        long total = 0;
        for (int r; total < limit && (r = in.read(buf)) > 0; ) {
            total += r;
        }
    }

    private static void send(HttpExchange ex, RestApi.Reply reply) throws IOException {
        ex.getResponseHeaders().set("Content-Type", reply.contentType());
        ex.sendResponseHeaders(reply.status(), reply.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(reply.body());
        }
    }

    /** Refuses new requests with 503 from now on. */
    void startDraining() {
        draining = true;
    }

    /** Waits up to {@code millis} for the requests in flight; true when none is left. */
    boolean awaitDrained(long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (inFlight.get() > 0 && System.currentTimeMillis() < until) {
            Thread.sleep(5);
        }
        return inFlight.get() == 0;
    }

    /** Closes the listener and every connection, and stops the handler threads. */
    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
