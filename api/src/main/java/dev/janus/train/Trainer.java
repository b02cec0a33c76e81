package dev.janus.train;

import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.data.Example;
import dev.janus.nn.Module;
import dev.janus.optim.Optimizer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Keras-style training: {@code fit}, {@code evaluate}, {@code predict}, with metrics, callbacks, a progress
 * display and a returned {@link History}. Batches are {@link Example}s (input, target), as the data loaders
 * produce them.
 *
 * <pre>{@code
 * Trainer trainer = new Trainer(model, new SGD(model.parameters(), 0.01).momentum(0.9), F::crossEntropy)
 *         .metrics(Metric.accuracy())
 *         .callback(new EarlyStopping("val_loss", 3));
 * History h = trainer.fit(trainLoader, testLoader, 10);
 * }</pre>
 *
 * <p>With {@link #traced(boolean) traced(true)} (janus-tracer on the class path) batches run eagerly until the
 * optimizer has its state (the first batch), then through one compiled graph of the whole step; a batch of another
 * shape (a smaller last batch) runs eagerly. Callbacks see each batch's own loss as {@code batch_loss} in
 * {@link Callback#onBatchEnd}; {@code loss} there is the epoch's running mean.
 */
public final class Trainer {
    private final Module model;
    private final Optimizer optimizer;
    private final BiFunction<Tensor, Tensor, Tensor> loss;
    private final List<Metric> metrics = new ArrayList<>();
    private final List<Callback> callbacks = new ArrayList<>();
    private PrintStream out = System.out;
    private Boolean terminal;
    private boolean stopRequested;
    private int epoch;
    private StepCompiler compiler;
    /** The compiled step of the running fit; null until compiled, and after anything replaced the optimizer state. */
    private TrainStep compiled;
    /** The first batch of the latest epoch, for {@link #measureStepSpeed}. */
    private Example sampleBatch;

    public Trainer(Module model, Optimizer optimizer, BiFunction<Tensor, Tensor, Tensor> loss) {
        this.model = Objects.requireNonNull(model, "model");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.loss = Objects.requireNonNull(loss, "loss");
    }

    /** Adds metrics reported for training and validation ({@code accuracy}, {@code val_accuracy}, ...). */
    public Trainer metrics(Metric... ms) {
        metrics.addAll(List.of(ms));
        return this;
    }

    public Trainer callback(Callback c) {
        callbacks.add(c);
        return this;
    }

    /** Where progress goes (standard output by default); null silences it. */
    public Trainer output(PrintStream stream) {
        this.out = stream;
        return this;
    }

    /** Forces the in-place terminal bar on or off (by default: on when stdout is a terminal). */
    public Trainer terminal(boolean on) {
        this.terminal = on;
        return this;
    }

    /**
     * Runs each training step as one compiled graph (forward, loss, backward and optimizer step) instead of
     * eagerly; needs a {@link StepCompiler} on the class path (janus-tracer). Losses and weights are those of
     * eager training, up to float rounding.
     *
     * <pre>{@code new Trainer(model, opt, F::crossEntropy).traced(true).fit(loader, 5);}</pre>
     */
    public Trainer traced(boolean on) {
        if (on && compiler == null) {
            compiler = StepCompiler.find().orElseThrow(() -> new IllegalStateException("traced training needs a "
                    + "StepCompiler on the class path, and there is none: add the janus-tracer artifact"));
        }
        this.compiler = on ? compiler : null;
        this.compiled = null;
        return this;
    }

    /** True when {@link #traced(boolean)} is on. */
    public boolean isTraced() {
        return compiler != null;
    }

    public Module model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The loss function, {@code (output, target) -> loss}. */
    public BiFunction<Tensor, Tensor, Tensor> loss() {
        return loss;
    }

    /**
     * Times {@code steps} eager training steps and {@code steps} compiled ones (after a warm-up) on the first
     * batch of the latest epoch, then restores the weights, the optimizer state and the default generator, so
     * training goes on as if nothing ran. Without a {@link StepCompiler} only the eager step is timed. Call it
     * after {@link #fit} (a {@link TrainingReport} does, at the end of training).
     *
     * <pre>{@code StepSpeed s = trainer.measureStepSpeed(20); System.out.println(s.speedup());}</pre>
     */
    public StepSpeed measureStepSpeed(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("measureStepSpeed needs at least one step, got " + steps);
        }
        if (sampleBatch == null) {
            throw new IllegalStateException("measureStepSpeed times steps on a training batch; run fit first");
        }
        compiled = null; // the restored optimizer state is new tensors, which a compiled step would not update
        return StepTimer.measure(this, sampleBatch, steps, compiler != null ? Optional.of(compiler) : StepCompiler.find());
    }

    /** The epoch being run (0-based). */
    public int epoch() {
        return epoch;
    }

    /** Asks {@code fit} to stop after the current epoch (early stopping uses this). */
    public void stop() {
        stopRequested = true;
    }

    /** Trains for {@code epochs} epochs without validation. */
    public History fit(Iterable<Example> train, int epochs) {
        return fit(train, null, epochs);
    }

    /**
     * Trains for up to {@code epochs} epochs, evaluating on {@code validation} (may be null) after each and
     * logging its figures with a {@code val_} prefix.
     */
    public History fit(Iterable<Example> train, Iterable<Example> validation, int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("fit needs at least one epoch, got " + epochs);
        }
        History history = new History();
        ProgressBar bar = out == null ? null : new ProgressBar(out, terminal != null ? terminal : ProgressBar.stdoutIsTerminal(), epochs);
        stopRequested = false;
        compiled = null;
        callbacks.forEach(c -> c.onTrainBegin(this));
        for (epoch = 0; epoch < epochs && !stopRequested; epoch++) {
            long start = System.nanoTime();
            callbacks.forEach(c -> c.onEpochBegin(this, epoch));
            Map<String, Double> logs = trainEpoch(train, bar);
            if (validation != null) {
                evaluate(validation).forEach((k, v) -> logs.put("val_" + k, v));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            logs.put("lr", optimizer.lr());
            history.record(logs, seconds);
            if (bar != null) {
                bar.endEpoch(epoch, logs, seconds);
            }
            callbacks.forEach(c -> c.onEpochEnd(this, epoch, logs));
        }
        callbacks.forEach(c -> c.onTrainEnd(this));
        return history;
    }

    private Map<String, Double> trainEpoch(Iterable<Example> train, ProgressBar bar) {
        model.train();
        metrics.forEach(Metric::reset);
        double lossSum = 0;
        long count = 0;
        int batch = 0;
        int total = train instanceof dev.janus.data.DataLoader<?, ?> dl ? dl.size() : -1;
        if (bar != null) {
            bar.begin(epoch, total);
        }
        Map<String, Double> logs = new LinkedHashMap<>();
        TrainStep eager = TrainStep.eager(model, optimizer, loss);
        for (Example ex : train) {
            if (batch == 0) {
                sampleBatch = ex;
            }
            TrainStep.Result r = stepFor(ex, eager).run(ex);
            double batchLoss = r.loss().item();
            long n = ex.input().dim(0);
            lossSum += batchLoss * n;
            count += n;
            try (var g = Janus.noGrad()) {
                for (Metric m : metrics) {
                    m.update(r.output().detach(), ex.target());
                }
            }
            logs = figures(lossSum / count);
            batch++;
            if (bar != null) {
                bar.update(batch, logs);
            }
            int b = batch;
            Map<String, Double> snapshot = new LinkedHashMap<>(logs);
            snapshot.put("batch_loss", batchLoss);
            callbacks.forEach(c -> c.onBatchEnd(this, epoch, b, snapshot));
        }
        if (count == 0) {
            throw new IllegalArgumentException("the training data yielded no batches");
        }
        return logs;
    }

    /**
     * The eager step, or the compiled one once the optimizer has stepped (its first update creates its state,
     * which the compiled step then updates in place).
     */
    private TrainStep stepFor(Example ex, TrainStep eager) {
        if (compiled != null || compiler == null) {
            return compiled != null ? compiled : eager;
        }
        if (hasOptimizerState()) {
            compiled = compiler.compile(this, ex);
            return compiled;
        }
        return eager;
    }

    private boolean hasOptimizerState() {
        for (int i = 0; i < optimizer.params().size(); i++) {
            if (optimizer.hasState(i)) {
                return true;
            }
        }
        return false;
    }

    private Map<String, Double> figures(double loss) {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", loss);
        for (Metric m : metrics) {
            logs.put(m.name(), m.value());
        }
        return logs;
    }

    /** Loss and metrics over {@code data}, in evaluation mode and without gradients. */
    public Map<String, Double> evaluate(Iterable<Example> data) {
        boolean wasTraining = model.isTraining();
        model.eval();
        metrics.forEach(Metric::reset);
        double lossSum = 0;
        long count = 0;
        try (var g = Janus.noGrad()) {
            for (Example ex : data) {
                Tensor output = model.forward(ex.input());
                long n = ex.input().dim(0);
                lossSum += loss.apply(output, ex.target()).item() * n;
                count += n;
                for (Metric m : metrics) {
                    m.update(output, ex.target());
                }
            }
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("the evaluation data yielded no batches");
        }
        return figures(lossSum / count);
    }

    /** The model's outputs for every batch of {@code inputs}, concatenated along dimension 0. */
    public Tensor predict(Iterable<Tensor> inputs) {
        boolean wasTraining = model.isTraining();
        model.eval();
        List<Tensor> outs = new ArrayList<>();
        try (var g = Janus.noGrad()) {
            for (Tensor x : inputs) {
                outs.add(model.forward(x));
            }
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
        if (outs.isEmpty()) {
            throw new IllegalArgumentException("predict got no input batches");
        }
        return Tensor.cat(0, outs);
    }
}
