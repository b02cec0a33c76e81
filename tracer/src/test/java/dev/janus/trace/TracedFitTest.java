package dev.janus.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.data.DataLoader;
import dev.janus.data.Example;
import dev.janus.data.TensorDataset;
import dev.janus.nn.F;
import dev.janus.optim.Adam;
import dev.janus.optim.Optimizer;
import dev.janus.optim.SGD;
import dev.janus.optim.StepLR;
import dev.janus.train.Callback;
import dev.janus.train.History;
import dev.janus.train.LRSchedulerCallback;
import dev.janus.train.Metric;
import dev.janus.train.StepCompiler;
import dev.janus.train.Trainer;
import dev.janus.train.TrainingReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Trainer.traced(true)}: the tracer is the step compiler; a traced fit reaches the eager fit's losses and
 * weights, and the training report shows eager against traced step time.
 */
class TracedFitTest {
    /** {@code n} examples of 8 features, 3 classes, in batches of 16. */
    private static DataLoader<Example, Example> data(long seed, int n) {
        Generator g = new Generator(seed);
        Tensor x = Tensor.randn(g, n, 8);
        Tensor y = x.narrow(1, 0, 3).argmax(1, false);
        return DataLoader.ofExamples(TensorDataset.examples(x, y)).batchSize(16).build();
    }

    private static Trainer trainer(Function<TrainModels.Mlp, Optimizer> optimizer, List<Double> batchLosses) {
        Janus.manualSeed(11);
        TrainModels.Mlp m = new TrainModels.Mlp(8, 32, 3);
        return new Trainer(m, optimizer.apply(m), F::crossEntropy).metrics(Metric.accuracy()).output(null)
                .callback(new Callback() {
                    @Override
                    public void onBatchEnd(Trainer t, int epoch, int batch, Map<String, Double> logs) {
                        batchLosses.add(logs.get("batch_loss"));
                    }
                });
    }

    private static void assertSameTraining(Function<TrainModels.Mlp, Optimizer> optimizer, int examples, int epochs) {
        List<Double> eagerLosses = new ArrayList<>();
        List<Double> tracedLosses = new ArrayList<>();
        Trainer eager = trainer(optimizer, eagerLosses);
        Trainer traced = trainer(optimizer, tracedLosses).traced(true);
        History he = eager.fit(data(1, examples), data(2, 64), epochs);
        History ht = traced.fit(data(1, examples), data(2, 64), epochs);
        assertEquals(eagerLosses.size(), tracedLosses.size());
        for (int i = 0; i < eagerLosses.size(); i++) {
            assertEquals(eagerLosses.get(i), tracedLosses.get(i), 1e-4, "loss of batch " + i);
        }
        for (String key : he.asMap().keySet()) {
            for (int e = 0; e < epochs; e++) {
                assertEquals(he.get(key).get(e), ht.get(key).get(e), 1e-4, key + " of epoch " + e);
            }
        }
        for (int i = 0; i < eager.model().parameters().size(); i++) {
            assertArrayEquals(eager.model().parameters().get(i).toFloatArray(),
                    traced.model().parameters().get(i).toFloatArray(), 1e-4f, "parameter " + i);
        }
        if (eager.optimizer() instanceof Adam) {
            // Adam counts steps in a tensor the traced graph advances; SGD's count is a Java long that only eager
            // steps advance (its updates do not read it)
            assertEquals(steps(eager.optimizer()), steps(traced.optimizer()), "the step counts in the state dicts");
        }
    }

    /** Each parameter's {@code step} in the optimizer's state dict. */
    @SuppressWarnings("unchecked")
    private static List<Object> steps(Optimizer opt) {
        Map<Integer, Map<String, Object>> state = (Map<Integer, Map<String, Object>>) opt.stateDict().get("state");
        return state.values().stream().map(m -> m.get("step")).toList();
    }

    @Test
    void stepCompiler_isTheTracer() {
        assertEquals(TracerStepCompiler.class, StepCompiler.find().orElseThrow().getClass());
    }

    @Test
    void tracedFit_sgdMomentum_sameLossesAsEagerFit() {
        assertSameTraining(m -> new SGD(m.parameters(), 0.05).momentum(0.9), 160, 3);
    }

    @Test
    void tracedFit_adamWithASmallerLastBatch_runsItEagerlyAndStillMatches() {
        assertSameTraining(m -> new Adam(m.parameters(), 1e-2), 150, 2); // 9 batches of 16 and one of 6
    }

    @Test
    void tracedFit_learningRateSchedule_retracesAndMatches() {
        Function<TrainModels.Mlp, Optimizer> sgd = m -> new SGD(m.parameters(), 0.1);
        List<Double> el = new ArrayList<>();
        List<Double> tl = new ArrayList<>();
        Trainer eager = trainer(sgd, el);
        Trainer traced = trainer(sgd, tl).traced(true);
        eager.callback(new LRSchedulerCallback(new StepLR(eager.optimizer(), 1, 0.5), false)).fit(data(1, 64), 3);
        traced.callback(new LRSchedulerCallback(new StepLR(traced.optimizer(), 1, 0.5), false)).fit(data(1, 64), 3);
        for (int i = 0; i < el.size(); i++) {
            assertEquals(el.get(i), tl.get(i), 1e-4, "loss of batch " + i);
        }
    }

    @Test
    void tracedSteps_doNotLeaveGradients() {
        // eager steps leave each parameter's gradient; the traced graph computes them inside, so after a fit
        // whose batches after the first all ran traced, the gradients are the ones zeroGrad cleared
        Trainer traced = trainer(m -> new SGD(m.parameters(), 0.05), new ArrayList<>()).traced(true);
        traced.fit(data(1, 64), 1);
        traced.model().parameters().forEach(p -> assertNull(p.grad(), "a traced step ran"));
        Trainer eager = trainer(m -> new SGD(m.parameters(), 0.05), new ArrayList<>());
        eager.fit(data(1, 64), 1);
        eager.model().parameters().forEach(p -> assertTrue(p.grad() != null, "an eager step ran"));
    }

    @Test
    void report_tracedFit_hasCurvesAndEagerAndTracedStepTimes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.html");
        TrainingReport report = new TrainingReport(file).speedSteps(10);
        List<Double> losses = new ArrayList<>();
        Trainer t = trainer(m -> new SGD(m.parameters(), 0.05).momentum(0.9), losses).traced(true).callback(report);
        t.fit(data(1, 96), data(2, 32), 2);
        String html = Files.readString(file);
        assertEquals(12, points(html, "batch loss"));
        assertEquals(2, points(html, "loss"));
        assertEquals(2, points(html, "val_accuracy"));
        Matcher speed = Pattern.compile("<p id=\"speed\" data-steps=\"10\" data-eager-ms=\"([0-9.]+)\" data-traced-ms=\""
                + "([0-9.]+)\" data-speedup=\"([0-9.]+)\">").matcher(html);
        assertTrue(speed.find(), html);
        double eagerMs = Double.parseDouble(speed.group(1));
        double tracedMs = Double.parseDouble(speed.group(2));
        assertTrue(eagerMs > 0 && tracedMs > 0, speed.group());
        assertEquals(eagerMs / tracedMs, Double.parseDouble(speed.group(3)), 0.01 * eagerMs / tracedMs + 1e-3);
        assertTrue(html.contains("bytecode tracer") && html.contains("data-mode=\"traced\""), html);
        assertTrue(report.speed().hasCompiled() && report.speed().compileMillis() > 0, report.speed().toString());
        System.out.println("training step, MLP 8-32-3, batch 16: " + report.speed());
    }

    @Test
    void report_timing_leavesTrainingAsItWas() {
        Function<TrainModels.Mlp, Optimizer> adam = m -> new Adam(m.parameters(), 1e-2);
        Trainer a = trainer(adam, new ArrayList<>()).traced(true);
        Trainer b = trainer(adam, new ArrayList<>()).traced(true);
        a.fit(data(1, 64), 1);
        b.fit(data(1, 64), 1);
        a.measureStepSpeed(5);
        List<Double> la = new ArrayList<>();
        List<Double> lb = new ArrayList<>();
        a.callback(collect(la)).fit(data(3, 64), 1);
        b.callback(collect(lb)).fit(data(3, 64), 1);
        assertEquals(lb, la, "the same losses after the timing as without it");
    }

    private static Callback collect(List<Double> into) {
        return new Callback() {
            @Override
            public void onBatchEnd(Trainer t, int epoch, int batch, Map<String, Double> logs) {
                into.add(logs.get("batch_loss"));
            }
        };
    }

    private static int points(String html, String series) {
        Matcher m = Pattern.compile("data-series=\"" + Pattern.quote(series) + "\"[^>]* points=\"([^\"]*)\"").matcher(html);
        assertTrue(m.find(), "no series " + series);
        return m.group(1).split(" ").length;
    }
}
