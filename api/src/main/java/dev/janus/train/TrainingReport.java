package dev.janus.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one self-contained HTML page about a {@link Trainer#fit} when it ends: the loss of every batch, the
 * per-epoch loss and metrics (training and validation), the learning rate and the time of each epoch as inline
 * SVG charts (no script, nothing to load), and the speed of an eager training step against a traced one
 * ({@link Trainer#measureStepSpeed}; the weights and optimizer state are restored afterwards).
 *
 * <pre>{@code
 * trainer.callback(new TrainingReport(Path.of("target/report.html"))).fit(train, test, 5);
 * }</pre>
 */
public final class TrainingReport implements Callback {
    /** Steps timed per mode by default. */
    public static final int DEFAULT_SPEED_STEPS = 20;

    private final Path file;
    private int speedSteps = DEFAULT_SPEED_STEPS;
    private final List<Double> batchLoss = new ArrayList<>();
    private final List<Double> runningLoss = new ArrayList<>();
    private final List<Map<String, Double>> epochs = new ArrayList<>();
    private final List<Double> epochSeconds = new ArrayList<>();
    private long epochStart;
    private StepSpeed speed;

    /** A report written to {@code file} (its folder is created) at the end of each fit. */
    public TrainingReport(Path file) {
        this.file = file;
    }

    /** How many steps to time per mode for the speed figures; 0 leaves the speed section out. */
    public TrainingReport speedSteps(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("speedSteps must be 0 (no speed section) or more, got " + steps);
        }
        this.speedSteps = steps;
        return this;
    }

    public Path file() {
        return file;
    }

    /** The step timing of the latest report, or null when none was measured. */
    public StepSpeed speed() {
        return speed;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        batchLoss.clear();
        runningLoss.clear();
        epochs.clear();
        epochSeconds.clear();
        speed = null;
    }

    @Override
    public void onEpochBegin(Trainer trainer, int epoch) {
        epochStart = System.nanoTime();
    }

    @Override
    public void onBatchEnd(Trainer trainer, int epoch, int batch, Map<String, Double> logs) {
        batchLoss.add(logs.getOrDefault("batch_loss", logs.get("loss")));
        runningLoss.add(logs.get("loss"));
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {
        epochs.add(new LinkedHashMap<>(logs));
        epochSeconds.add((System.nanoTime() - epochStart) / 1e9);
    }

    @Override
    public void onTrainEnd(Trainer trainer) {
        if (epochs.isEmpty()) {
            return; // stopped before the first epoch ended: nothing to draw
        }
        speed = speedSteps > 0 ? trainer.measureStepSpeed(speedSteps) : null;
        String summary = trainer.model().getClass().getSimpleName() + ", " + trainer.model().parameterCount()
                + " parameters; " + trainer.optimizer() + "; " + epochs.size() + (epochs.size() == 1 ? " epoch, " : " epochs, ")
                + batchLoss.size() + " batches; steps run " + (trainer.isTraced() ? "traced" : "eagerly") + ".";
        String html = new ReportPage(summary, batchLoss, runningLoss, epochs, epochSeconds, speed).html();
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the training report to " + file, e);
        }
    }
}
