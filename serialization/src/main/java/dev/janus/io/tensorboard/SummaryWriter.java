package dev.janus.io.tensorboard;

import dev.janus.Tensor;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphFunction;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes TensorBoard event files: scalars, histograms, text and graphs, one file
 * {@code events.out.tfevents.<unix-seconds>.<hostname>} per writer in a log directory, which
 * {@code tensorboard --logdir} reads. Events are buffered; {@link #flush()} pushes them to the file, the writer
 * flushes by itself when it writes more than {@link #FLUSH_INTERVAL_MILLIS} after the last flush, and
 * {@link #close()} flushes. Safe for concurrent use by several threads. I/O failures surface as
 * {@link UncheckedIOException} naming the file.
 *
 * <pre>{@code
 * try (SummaryWriter w = new SummaryWriter(Path.of("runs/mlp"))) {
 *     for (int step = 0; step < 100; step++) {
 *         w.addScalar("train/loss", loss(step), step);
 *     }
 *     w.addHistogram("fc1/weight", model.fc1.weight, 100);
 * }
 * }</pre>
 */
public final class SummaryWriter implements AutoCloseable {
    /** At the first write this long after the last flush, the writer flushes (TensorBoard sees only flushed events). */
    public static final long FLUSH_INTERVAL_MILLIS = 5_000;

    private final Path file;
    private final Object lock = new Object();
    private final OutputStream out;
    private final RecordWriter records;
    private long lastFlush = System.currentTimeMillis();
    private boolean closed;

    /**
     * Creates {@code logDir} if needed and starts a new event file in it, whose first record says
     * {@code brain.Event:2}.
     */
    public SummaryWriter(Path logDir) {
        Objects.requireNonNull(logDir, "logDir");
        try {
            Files.createDirectories(logDir);
            long seconds = System.currentTimeMillis() / 1000;
            this.file = createEventFile(logDir, "events.out.tfevents." + seconds + "." + hostname());
            this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a TensorBoard event file in " + logDir + ": " + e.getMessage(), e);
        }
        this.records = new RecordWriter(out);
        write(EventProtos.fileVersion(wallTime()));
        flush();
    }

    /** The event file this writer appends to. */
    public Path file() {
        return file;
    }

    /**
     * Logs {@code value} under {@code tag} at {@code step} (stored as a 32-bit float, as TensorBoard does).
     *
     * <pre>{@code w.addScalar("val/accuracy", 0.93, epoch);}</pre>
     */
    public void addScalar(String tag, double value, long step) {
        write(EventProtos.scalar(wallTime(), step, checkTag(tag), (float) value));
    }

    /**
     * Logs the distribution of {@code values} (any dtype; read as doubles) under {@code tag} at {@code step}.
     * Throws {@link IllegalArgumentException} when the tensor is empty or holds NaN.
     *
     * <pre>{@code w.addHistogram("fc1/weight", fc1.weight, epoch);}</pre>
     */
    public void addHistogram(String tag, Tensor values, long step) {
        Objects.requireNonNull(values, "values");
        addHistogram(tag, values.toDoubleArray(), step);
    }

    /** Logs the distribution of {@code values}; see {@link #addHistogram(String, Tensor, long)}. */
    public void addHistogram(String tag, float[] values, long step) {
        Objects.requireNonNull(values, "values");
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        addHistogram(tag, d, step);
    }

    /** Logs the distribution of {@code values}; see {@link #addHistogram(String, Tensor, long)}. */
    public void addHistogram(String tag, double[] values, long step) {
        Objects.requireNonNull(values, "values");
        Histogram h;
        try {
            h = Histogram.of(values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("histogram '" + tag + "' at step " + step + ": " + e.getMessage(), e);
        }
        write(EventProtos.histogram(wallTime(), step, checkTag(tag), h));
    }

    /**
     * Logs {@code text} (Markdown) under {@code tag} at {@code step} for TensorBoard's Text dashboard.
     *
     * <pre>{@code w.addText("config", "lr = 0.01, batch = 64", 0);}</pre>
     */
    public void addText(String tag, String text, long step) {
        Objects.requireNonNull(text, "text");
        write(EventProtos.text(wallTime(), step, checkTag(tag), text));
    }

    /**
     * Logs {@code graph} for TensorBoard's Graphs dashboard (node naming in {@code GraphDefEncoder}: ops as
     * {@code matmul_7}, subgraphs grouped under {@code loop_9/body/}), and flushes.
     *
     * <pre>{@code w.addGraph(GraphCapture.capture(model, model::forward, InputSpec.of(DType.FLOAT32, 64, 784).dynamic(0)));}</pre>
     */
    public void addGraph(Graph graph) {
        Objects.requireNonNull(graph, "graph");
        write(EventProtos.graph(wallTime(), GraphDefEncoder.encode(graph)));
        flush();
    }

    /** Logs a recorded or traced function's graph; see {@link #addGraph(Graph)}. */
    public void addGraph(GraphFunction function) {
        Objects.requireNonNull(function, "function");
        addGraph(function.graph());
    }

    /** Pushes buffered events to the file, where TensorBoard can read them. */
    public void flush() {
        synchronized (lock) {
            checkOpen();
            try {
                out.flush();
            } catch (IOException e) {
                throw failure(e);
            }
            lastFlush = System.currentTimeMillis();
        }
    }

    /** Flushes and closes the file; later writes throw {@link IllegalStateException}. Closing twice is harmless. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                out.close();
            } catch (IOException e) {
                throw failure(e);
            }
        }
    }

    private void write(byte[] event) {
        synchronized (lock) {
            checkOpen();
            try {
                records.write(event);
            } catch (IOException e) {
                throw failure(e);
            }
            if (System.currentTimeMillis() - lastFlush >= FLUSH_INTERVAL_MILLIS) {
                flush();
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the SummaryWriter for " + file + " is closed");
        }
    }

    private UncheckedIOException failure(IOException e) {
        return new UncheckedIOException("cannot write TensorBoard event file " + file + ": " + e.getMessage(), e);
    }

    private static String checkTag(String tag) {
        if (tag == null || tag.isBlank()) {
            throw new IllegalArgumentException("a summary tag must be a non-blank name such as \"train/loss\", got "
                    + (tag == null ? "null" : "\"" + tag + "\""));
        }
        return tag;
    }

    private static double wallTime() {
        return System.currentTimeMillis() / 1000.0;
    }

    /** A new file named {@code base}, or {@code base.1}, {@code base.2}... when writers start in the same second. */
    private static Path createEventFile(Path dir, String base) throws IOException {
        for (int k = 0;; k++) {
            Path candidate = dir.resolve(k == 0 ? base : base + "." + k);
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException e) {
                // NOTE: another writer in this directory started in the same second; try the next suffix
            }
        }
    }

    /** This machine's name for the file name (TensorBoard's convention), reduced to safe file-name characters. */
    private static String hostname() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            name = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() ? "localhost" : safe;
    }
}
