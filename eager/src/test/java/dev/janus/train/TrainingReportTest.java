package dev.janus.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.data.DataLoader;
import dev.janus.data.Example;
import dev.janus.data.TensorDataset;
import dev.janus.nn.F;
import dev.janus.nn.Linear;
import dev.janus.nn.Module;
import dev.janus.nn.ReLU;
import dev.janus.nn.Sequential;
import dev.janus.optim.SGD;
import dev.janus.optim.StepLR;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML training report without a step compiler on the class path (this module has no tracer). */
class TrainingReportTest {
    private static final Pattern POLYLINE = Pattern.compile("<polyline class=\"series\" data-series=\"([^\"]+)\"[^>]* points=\"([^\"]*)\"");

    /** 100 examples in batches of 16: 6 full batches and one of 4 per epoch. */
    private static DataLoader<Example, Example> data(long seed) {
        Generator g = new Generator(seed);
        Tensor x = Tensor.randn(g, 100, 4);
        Tensor y = x.sum(1).gt(0.0).cast(dev.janus.DType.INT64);
        return DataLoader.ofExamples(TensorDataset.examples(x, y)).batchSize(16).build();
    }

    private static Trainer trainer() {
        Janus.manualSeed(3);
        Module m = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
        SGD opt = new SGD(m.parameters(), 0.1).momentum(0.9);
        return new Trainer(m, opt, F::crossEntropy).metrics(Metric.accuracy()).output(null)
                .callback(new LRSchedulerCallback(new StepLR(opt, 1, 0.5), false));
    }

    /** Each chart's series and how many points it has. */
    static Map<String, List<Integer>> polylines(String html) {
        Map<String, List<Integer>> out = new java.util.LinkedHashMap<>();
        Matcher m = POLYLINE.matcher(html);
        while (m.find()) {
            out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(m.group(2).isEmpty() ? 0 : m.group(2).split(" ").length);
        }
        return out;
    }

    @Test
    void report_eagerFit_hasACurvePointPerBatchAndPerEpoch(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("reports/fit.html");
        TrainingReport report = new TrainingReport(file).speedSteps(3);
        History h = trainer().callback(report).fit(data(1), data(2), 3);
        String html = Files.readString(file);
        Map<String, List<Integer>> lines = polylines(html);
        assertEquals(List.of(21), lines.get("batch loss"), html);
        assertEquals(List.of(21), lines.get("running mean in its epoch"));
        for (String key : List.of("loss", "val_loss", "accuracy", "val_accuracy", "lr", "seconds")) {
            assertEquals(List.of(3), lines.get(key), key + " in " + lines);
        }
        assertTrue(html.contains("points=\"") && !html.contains("NaN"), "finite coordinates");
        assertEquals(3, html.split("<tr><td>", -1).length - 1, "a table row per epoch");
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%.6g", h.last("val_loss"))), "the figures");
        assertTrue(html.contains("<script") == false, "no script needed");
    }

    @Test
    void report_withoutTracer_timesEagerOnlyAndSaysWhy(@TempDir Path dir) throws Exception {
        TrainingReport report = new TrainingReport(dir.resolve("r.html")).speedSteps(4);
        trainer().callback(report).fit(data(1), 1);
        String html = Files.readString(dir.resolve("r.html"));
        assertTrue(html.contains("<p id=\"speed\" data-steps=\"4\" data-eager-ms=\""), html);
        assertFalse(html.contains("data-traced-ms"), html);
        assertTrue(html.contains("add janus-tracer"), html);
        assertFalse(report.speed().hasCompiled());
        assertTrue(report.speed().eagerMillis() > 0);
        assertEquals("f32[16, 4] -> i64[16]", report.speed().batch());
    }

    @Test
    void measureStepSpeed_restoresWeightsAndOptimizerState() {
        Trainer a = trainer();
        Trainer b = trainer();
        a.fit(data(1), 1);
        b.fit(data(1), 1);
        a.measureStepSpeed(5);
        // both go on training: the timing steps must have left no trace in a's weights or momentum
        History ha = a.fit(data(3), 1);
        History hb = b.fit(data(3), 1);
        assertEquals(hb.last("loss"), ha.last("loss"), 0.0);
        for (int i = 0; i < a.model().parameters().size(); i++) {
            assertArrayEquals(b.model().parameters().get(i).toFloatArray(), a.model().parameters().get(i).toFloatArray());
        }
    }

    @Test
    void batchEndLogs_carryEachBatchsOwnLoss() {
        List<Double> own = new ArrayList<>();
        List<Double> running = new ArrayList<>();
        trainer().callback(new Callback() {
            @Override
            public void onBatchEnd(Trainer t, int epoch, int batch, Map<String, Double> logs) {
                own.add(logs.get("batch_loss"));
                running.add(logs.get("loss"));
            }
        }).fit(data(1), 1);
        assertEquals(7, own.size());
        assertEquals(own.get(0), running.get(0), 0.0);
        // the running mean weighs batches by size: 6 of 16 examples and one of 4
        double mean = 0;
        for (int i = 0; i < 7; i++) {
            mean += own.get(i) * (i < 6 ? 16 : 4);
        }
        assertEquals(mean / 100, running.get(6), 1e-9);
    }

    @Test
    void traced_withoutAStepCompiler_failsNamingTheTracer() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer().traced(true));
        assertTrue(e.getMessage().contains("janus-tracer"), e.getMessage());
        assertFalse(trainer().traced(false).isTraced());
    }

    @Test
    void measureStepSpeed_beforeFit_failsSayingSo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer().measureStepSpeed(3));
        assertTrue(e.getMessage().contains("run fit first"), e.getMessage());
    }
}
