package dev.janus.io.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.data.DataLoader;
import dev.janus.data.Example;
import dev.janus.data.TensorDataset;
import dev.janus.graph.GraphCapture;
import dev.janus.graph.InputSpec;
import dev.janus.io.tensorboard.EventFileReader.Event;
import dev.janus.io.tensorboard.EventFileReader.Value;
import dev.janus.nn.F;
import dev.janus.nn.Linear;
import dev.janus.nn.Module;
import dev.janus.nn.ReLU;
import dev.janus.nn.Sequential;
import dev.janus.optim.SGD;
import dev.janus.train.Callback;
import dev.janus.train.History;
import dev.janus.train.Metric;
import dev.janus.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Trainer.fit run with the callback, its event file read back with the independent reader. */
class TensorBoardCallbackTest {
    @TempDir
    Path dir;

    private static final int EPOCHS = 3;

    private static DataLoader<Example, Example> data(long seed) {
        Generator g = new Generator(seed);
        Tensor labels = Tensor.randint(g, 0, 2, 16);
        Tensor x = labels.cast(DType.FLOAT32).mul(2.0).sub(1.0).unsqueeze(1).expand(16, 2).add(Tensor.randn(g, 16, 2).mul(0.3));
        return DataLoader.ofExamples(TensorDataset.examples(x, labels)).batchSize(4).build();
    }

    private static Trainer trainer(Module m) {
        return new Trainer(m, new SGD(m.parameters(), 0.1), F::crossEntropy).metrics(Metric.accuracy()).output(null);
    }

    /** tag → (step → value) for every scalar in the run's event file. */
    private static Map<String, TreeMap<Long, Float>> scalars(List<Event> events) {
        Map<String, TreeMap<Long, Float>> out = new LinkedHashMap<>();
        for (Event e : events) {
            for (Value v : e.values()) {
                if (v.simpleValue() != null) {
                    out.computeIfAbsent(v.tag(), t -> new TreeMap<>()).put(e.step(), v.simpleValue());
                }
            }
        }
        return out;
    }

    private static List<Event> onlyEventFile(Path logDir) throws IOException {
        try (var files = Files.list(logDir)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            return EventFileReader.readEvents(all.get(0));
        }
    }

    @Test
    void fit_withCallback_logsEpochAndBatchSeriesHistogramsAndGraph() throws IOException {
        Janus.manualSeed(3);
        Module model = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 2));
        List<Map<String, Double>> batchLogs = new ArrayList<>();
        Path logDir = dir.resolve("run");
        var graph = GraphCapture.capture(model, model::forward, InputSpec.of(DType.FLOAT32, 4, 2).dynamic(0));
        History h = trainer(model)
                .callback(new Callback() {
                    @Override
                    public void onBatchEnd(Trainer t, int epoch, int batch, Map<String, Double> logs) {
                        batchLogs.add(Map.copyOf(logs));
                    }
                })
                .callback(new TensorBoardCallback(logDir).batchEvery(2).graph(graph))
                .fit(data(1), data(2), EPOCHS);

        List<Event> events = onlyEventFile(logDir);
        assertEquals("brain.Event:2", events.get(0).fileVersion());
        Map<String, TreeMap<Long, Float>> s = scalars(events);

        for (String key : List.of("loss", "accuracy", "val_loss", "val_accuracy", "lr")) {
            TreeMap<Long, Float> series = s.get("epoch/" + key);
            assertEquals(List.of(0L, 1L, 2L), List.copyOf(series.keySet()), key);
            for (int e = 0; e < EPOCHS; e++) {
                assertEquals((float) (double) h.get(key).get(e), series.get((long) e), "epoch/" + key + " at " + e);
            }
        }
        assertEquals(12, batchLogs.size(), "4 batches a epoch");
        TreeMap<Long, Float> batchLoss = s.get("batch/loss");
        assertEquals(List.of(2L, 4L, 6L, 8L, 10L, 12L), List.copyOf(batchLoss.keySet()), "every 2nd global batch");
        for (long step : batchLoss.keySet()) {
            assertEquals((float) (double) batchLogs.get((int) step - 1).get("loss"), batchLoss.get(step), "batch " + step);
        }
        assertEquals(0.1f, s.get("batch/lr").get(12L));

        Map<String, List<Long>> histogramSteps = new TreeMap<>();
        for (Event e : events) {
            for (Value v : e.values()) {
                if (v.histo() != null) {
                    histogramSteps.computeIfAbsent(v.tag(), t -> new ArrayList<>()).add(e.step());
                    long numel = model.namedParameters().get(v.tag().substring("weights/".length())).numel();
                    assertEquals(numel, (long) v.histo().num(), v.tag());
                }
            }
        }
        assertEquals(List.of("weights/0.bias", "weights/0.weight", "weights/2.bias", "weights/2.weight"),
                List.copyOf(histogramSteps.keySet()));
        histogramSteps.values().forEach(steps -> assertEquals(List.of(0L, 1L, 2L), steps));

        List<Event> graphs = events.stream().filter(e -> e.graphDef() != null).toList();
        assertEquals(1, graphs.size());
        List<String> names = EventFileReader.graphDef(graphs.get(0).graphDef()).stream().map(n -> n.name()).toList();
        assertTrue(names.contains("0/weight") && names.contains("2/bias"), names.toString());
    }

    @Test
    void fit_withGivenWriter_flushesButLeavesItOpen() throws IOException {
        Janus.manualSeed(3);
        Module model = new Linear(2, 2);
        try (SummaryWriter w = new SummaryWriter(dir)) {
            trainer(model).callback(new TensorBoardCallback(w).batchEvery(0).histograms(false)).fit(data(1), 2);
            w.addText("note", "after fit", 2);
            Map<String, TreeMap<Long, Float>> s = scalars(EventFileReader.readEvents(w.file()));
            assertEquals(List.of("epoch/loss", "epoch/accuracy", "epoch/lr"), List.copyOf(s.keySet()),
                    "batch logging off, no validation");
        }
    }

    @Test
    void fit_parameterTurnsNaN_itsHistogramIsSkippedAndTrainingGoesOn() throws IOException {
        Janus.manualSeed(3);
        Linear model = new Linear(2, 2);
        Path logDir = dir.resolve("nan");
        History h = trainer(model)
                .callback(new Callback() {
                    @Override
                    public void onEpochEnd(Trainer t, int epoch, Map<String, Double> logs) {
                        if (epoch == 1) {
                            try (var g = Janus.noGrad()) {
                                model.bias.assign(Tensor.of(new float[] {Float.NaN, 0}, 2));
                            }
                        }
                    }
                })
                .callback(new TensorBoardCallback(logDir).batchEvery(0))
                .fit(data(1), 2);
        assertEquals(2, h.epochs());
        Map<String, List<Long>> steps = new TreeMap<>();
        for (Event e : onlyEventFile(logDir)) {
            for (Value v : e.values()) {
                if (v.histo() != null) {
                    steps.computeIfAbsent(v.tag(), t -> new ArrayList<>()).add(e.step());
                }
            }
        }
        assertEquals(Map.of("weights/bias", List.of(0L), "weights/weight", List.of(0L, 1L)), steps);
    }
}
