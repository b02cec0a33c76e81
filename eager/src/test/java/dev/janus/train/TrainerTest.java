package dev.janus.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import dev.janus.nn.Sequential;
import dev.janus.optim.SGD;
import dev.janus.optim.StepLR;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrainerTest {
    private DataLoader<Example, Example> train;
    private DataLoader<Example, Example> test;

    /** Two Gaussian blobs in 2-D, class = which blob: linearly separable, so accuracy must approach 1. */
    private static DataLoader<Example, Example> blobs(long seed, int n) {
        Generator g = new Generator(seed);
        Tensor labels = Tensor.randint(g, 0, 2, n);
        Tensor centers = labels.cast(dev.janus.DType.FLOAT32).mul(4.0).sub(2.0).unsqueeze(1).expand(n, 2);
        Tensor x = centers.add(Tensor.randn(g, n, 2).mul(0.7));
        return DataLoader.ofExamples(TensorDataset.examples(x, labels)).batchSize(32).shuffle(true).seed(seed).build();
    }

    @BeforeEach
    void data() {
        Janus.manualSeed(7);
        train = blobs(1, 512);
        test = blobs(2, 256);
    }

    private static Module model() {
        return new Sequential(new Linear(2, 8), new dev.janus.nn.ReLU(), new Linear(8, 2));
    }

    private static Trainer trainer(Module m, ByteArrayOutputStream sink) {
        return new Trainer(m, new SGD(m.parameters(), 0.1).momentum(0.9), F::crossEntropy).metrics(Metric.accuracy())
                .output(new PrintStream(sink, true, StandardCharsets.UTF_8)).terminal(false);
    }

    @Test
    void fit_separableData_lossFallsAndAccuracyHigh() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        Module m = model();
        History h = trainer(m, sink).fit(train, test, 3);
        assertEquals(3, h.epochs());
        assertTrue(h.get("loss").get(2) < h.get("loss").get(0), h.toString());
        assertTrue(h.last("val_accuracy") > 0.97, h.toString());
        assertEquals(3, h.get("val_loss").size());
        String out = sink.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("epoch 3/3") && out.contains("val_accuracy") && out.contains("it/s"), out);
    }

    @Test
    void evaluate_returnsLossAndMetricsWithoutChangingWeights() {
        Module m = model();
        Trainer t = trainer(m, new ByteArrayOutputStream());
        float[] before = m.parameters().get(0).toFloatArray();
        Map<String, Double> r = t.evaluate(test);
        assertTrue(r.containsKey("loss") && r.containsKey("accuracy"), r.toString());
        assertEquals(before.length, m.parameters().get(0).toFloatArray().length);
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, m.parameters().get(0).toFloatArray());
    }

    @Test
    void predict_concatenatesBatches() {
        Module m = model();
        Trainer t = trainer(m, new ByteArrayOutputStream());
        List<Tensor> batches = List.of(Tensor.randn(3, 2), Tensor.randn(5, 2));
        assertEquals(List.of(8L, 2L), List.of(t.predict(batches).dim(0), t.predict(batches).dim(1)));
    }

    @Test
    void earlyStopping_noImprovement_stopsAfterPatience() {
        Module m = model();
        // lr 0 keeps the weights fixed; the validation loss then only moves by summation order (shuffled
        // batches), far less than minDelta, so nothing improves after epoch 1
        Trainer t = new Trainer(m, new SGD(m.parameters(), 0.0), F::crossEntropy).output(null);
        EarlyStopping es = new EarlyStopping("val_loss", 1, 1e-6, true);
        History h = t.callback(es).fit(train, test, 10);
        assertEquals(3, h.epochs());
        assertEquals(2, es.stoppedEpoch());
    }

    @Test
    void modelCheckpoint_keepsBestEpochAndCallsSaver() {
        Module m = model();
        List<Integer> saved = new ArrayList<>();
        ModelCheckpoint ckpt = new ModelCheckpoint("val_accuracy", (model, epoch, value) -> saved.add(epoch));
        trainer(m, new ByteArrayOutputStream()).callback(ckpt).fit(train, test, 3);
        assertTrue(ckpt.bestEpoch() >= 0 && saved.contains(ckpt.bestEpoch()), saved.toString());
        assertNotNull(ckpt.bestState().get("0.weight"));
    }

    @Test
    void lrSchedulerCallback_stepsPerEpoch() {
        Module m = model();
        SGD opt = new SGD(m.parameters(), 0.1);
        Trainer t = new Trainer(m, opt, F::crossEntropy).output(null)
                .callback(new LRSchedulerCallback(new StepLR(opt, 1, 0.5), false));
        History h = t.fit(train, 3);
        assertEquals(List.of(0.1, 0.05, 0.025), h.get("lr"));
    }

    @Test
    void topK_countsTargetsAmongLargestOutputs() {
        Metric top2 = Metric.topK(2);
        top2.reset();
        top2.update(Tensor.of(new float[] {0.1f, 0.5f, 0.4f, 0.9f, 0.08f, 0.02f}, 2, 3), Tensor.of(new long[] {2, 2}));
        assertEquals(0.5, top2.value(), 1e-12);
    }

    @Test
    void fit_zeroEpochs_isRejected() {
        Module m = model();
        assertThrows(IllegalArgumentException.class, () -> trainer(m, new ByteArrayOutputStream()).fit(train, 0));
    }
}
