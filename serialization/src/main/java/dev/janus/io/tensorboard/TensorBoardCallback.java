package dev.janus.io.tensorboard;

import dev.janus.Tensor;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphFunction;
import dev.janus.train.Callback;
import dev.janus.train.Trainer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a {@link Trainer#fit} run for TensorBoard, like Keras's TensorBoard callback:
 * <ul>
 *   <li>every {@code n} batches (default 10; 0 turns it off), {@code batch/<name>} for the trainer's batch
 *       figures ({@code loss} and metrics: the epoch's running means so far) and {@code batch/lr}, at the
 *       global batch number (counted from 1 across epochs);</li>
 *   <li>after each epoch, {@code epoch/<name>} for the epoch's figures ({@code loss}, metrics, their
 *       {@code val_} forms, {@code lr}) at the epoch number (from 0);</li>
 *   <li>after each epoch, unless turned off, {@code weights/<parameter path>} histograms;</li>
 *   <li>once, at the start, the model graph if one was given.</li>
 * </ul>
 * Given a directory, the callback opens a writer when training begins and closes it when training ends; given
 * a {@link SummaryWriter}, it only flushes it (after each epoch) and leaves closing to its owner.
 *
 * <pre>{@code
 * trainer.callback(new TensorBoardCallback(Path.of("runs/mlp")).batchEvery(50).graph(traced));
 * trainer.fit(train, test, 10);   // then: tensorboard --logdir runs
 * }</pre>
 */
public final class TensorBoardCallback implements Callback {
    private static final Logger log = LoggerFactory.getLogger(TensorBoardCallback.class);

    private final Path logDir;
    private SummaryWriter writer;
    private int batchEvery = 10;
    private boolean histograms = true;
    private Graph graph;
    private boolean graphWritten;
    private long globalBatch;

    /** Writes a new event file in {@code logDir} for each {@code fit} call. */
    public TensorBoardCallback(Path logDir) {
        this.logDir = Objects.requireNonNull(logDir, "logDir");
    }

    /** Writes into {@code writer}, which the caller keeps and closes. */
    public TensorBoardCallback(SummaryWriter writer) {
        this.logDir = null;
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /** Logs the batch figures every {@code n} batches; 0 logs only per epoch. */
    public TensorBoardCallback batchEvery(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("batchEvery needs 0 (off) or a positive batch count, got " + n);
        }
        this.batchEvery = n;
        return this;
    }

    /** Whether to log a histogram of every parameter after each epoch (on by default). */
    public TensorBoardCallback histograms(boolean on) {
        this.histograms = on;
        return this;
    }

    /** Logs {@code g} (a recorded or traced model) once when training begins. */
    public TensorBoardCallback graph(Graph g) {
        this.graph = Objects.requireNonNull(g, "graph");
        return this;
    }

    /** Logs {@code fn}'s graph once when training begins. */
    public TensorBoardCallback graph(GraphFunction fn) {
        return graph(Objects.requireNonNull(fn, "graph function").graph());
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        if (logDir != null) {
            if (writer != null) {
                writer.close(); // a fit that threw never reached onTrainEnd
            }
            writer = new SummaryWriter(logDir);
            graphWritten = false;
            globalBatch = 0;
        }
        if (graph != null && !graphWritten) {
            writer.addGraph(graph);
            graphWritten = true;
        }
    }

    @Override
    public void onBatchEnd(Trainer trainer, int epoch, int batch, Map<String, Double> logs) {
        globalBatch++;
        if (batchEvery > 0 && globalBatch % batchEvery == 0) {
            logs.forEach((name, value) -> writer.addScalar("batch/" + name, value, globalBatch));
            writer.addScalar("batch/lr", trainer.optimizer().lr(), globalBatch);
        }
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {
        logs.forEach((name, value) -> writer.addScalar("epoch/" + name, value, epoch));
        if (!logs.containsKey("lr")) {
            writer.addScalar("epoch/lr", trainer.optimizer().lr(), epoch);
        }
        if (histograms) {
            trainer.model().namedParameters().forEach((name, p) -> weightHistogram(name, p, epoch));
        }
        writer.flush();
    }

    @Override
    public void onTrainEnd(Trainer trainer) {
        if (logDir != null) {
            writer.close();
        } else {
            writer.flush();
        }
    }

    /** A histogram of one parameter; a NaN weight is reported and skipped rather than stopping training. */
    private void weightHistogram(String name, Tensor p, int epoch) {
        if (p.numel() == 0) {
            return;
        }
        double[] values = p.detach().toDoubleArray();
        for (double v : values) {
            if (Double.isNaN(v)) {
                log.warn("parameter {} holds NaN after epoch {}; its weight histogram is skipped", name, epoch);
                return;
            }
        }
        writer.addHistogram("weights/" + name, values, epoch);
    }
}
