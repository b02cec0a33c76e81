package dev.janus.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.nn.F;
import dev.janus.optim.Adam;
import dev.janus.optim.Optimizer;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints: resuming from one gives bit-for-bit the training that never stopped; writes are atomic. */
class CheckpointTest {
    static final int SAMPLES = 40;
    static final int BATCH = 8;
    static final int BATCHES_PER_EPOCH = SAMPLES / BATCH;

    @TempDir
    Path dir;

    /** A fixed data set: 40 samples of 6 features, 3 classes. */
    static final Tensor X = Tensor.randn(new Generator(100), SAMPLES, 6);
    static final Tensor Y;

    static {
        Generator g = new Generator(101);
        long[] y = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            y[i] = g.nextLong(0, 3);
        }
        Y = Tensor.of(y, SAMPLES);
    }

    /** A training run: model, optimizer, the data-shuffling generator and the current epoch's order. */
    static final class Run {
        final ArchiveModels.Mlp model;
        final Optimizer opt;
        final Generator shuffle;
        long[] order;

        Run(long initSeed, long shuffleSeed) {
            Janus.manualSeed(initSeed);
            model = new ArchiveModels.Mlp();
            opt = new Adam(model.parameters(), 0.01);
            shuffle = new Generator(shuffleSeed);
        }

        /** Steps {@code from + 1 .. to} (1-based), shuffling at each epoch start; returns the losses. */
        List<Double> train(int from, int to) {
            List<Double> losses = new ArrayList<>();
            for (int step = from; step < to; step++) {
                int inEpoch = step % BATCHES_PER_EPOCH;
                if (inEpoch == 0) {
                    order = permutation(shuffle, SAMPLES);
                }
                long[] idx = java.util.Arrays.copyOfRange(order, inEpoch * BATCH, (inEpoch + 1) * BATCH);
                Tensor index = Tensor.of(idx, BATCH);
                Tensor loss = F.crossEntropy(model.forward(X.indexSelect(0, index)), Y.indexSelect(0, index));
                opt.zeroGrad();
                loss.backward();
                opt.step();
                losses.add(loss.item());
            }
            return losses;
        }
    }

    static long[] permutation(Generator g, int n) {
        long[] p = new long[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = (int) g.nextLong(0, i + 1);
            long t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static long[] bits(List<Double> xs) {
        return xs.stream().mapToLong(Double::doubleToRawLongBits).toArray();
    }

    @Test
    void adamMlp_resumedAfter10Steps_lossesOfSteps11To20BitwiseEqualTheUninterruptedRun() throws IOException {
        List<Double> straight = new Run(7, 12).train(0, 20);

        Run first = new Run(7, 12);
        List<Double> firstHalf = first.train(0, 10);
        assertEquals(straight.subList(0, 10), firstHalf);
        Path ckpt = dir.resolve("last.ckpt");
        Checkpoint.save(ckpt, first.model, first.opt, 10 / BATCHES_PER_EPOCH, 10, first.shuffle);

        Run resumed = new Run(99, 555); // other initial weights and another shuffle seed: the checkpoint overwrites both
        Checkpoint.Progress p = Checkpoint.load(ckpt, resumed.model, resumed.opt, resumed.shuffle);
        assertEquals(new Checkpoint.Progress(2, 10), p);
        List<Double> secondHalf = resumed.train((int) p.step(), 20);
        assertArrayEquals(bits(straight.subList(10, 20)), bits(secondHalf), "losses of steps 11-20, bitwise");
        assertNotEquals(straight.get(0), straight.get(19), "it trains");
    }

    @Test
    void failedWrite_leavesThePreviousCheckpointValid() throws IOException {
        Run run = new Run(3, 4);
        run.train(0, 5);
        Path ckpt = dir.resolve("last.ckpt");
        Checkpoint.save(ckpt, run.model, run.opt, 1, 5, run.shuffle);
        float[] savedWeight = run.model.fc1.weight.toFloatArray();
        byte[] before = Files.readAllBytes(ckpt);

        run.train(5, 8);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.save(ckpt, run.model, run.opt, 1, 8,
                new Generator[] {run.shuffle}, out -> new FailAfter(out, before.length / 2))); // in the tensor data
        assertTrue(e.getMessage().contains("disk full (injected)"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(ckpt), "the old checkpoint is untouched");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(ckpt), files.toList(), "no temporary file is left behind");
        }
        Run restored = new Run(11, 12);
        assertEquals(new Checkpoint.Progress(1, 5), Checkpoint.load(ckpt, restored.model, restored.opt, restored.shuffle));
        assertArrayEquals(savedWeight, restored.model.fc1.weight.toFloatArray());
    }

    @Test
    void mismatchedModel_rejectedAndNothingChanged() throws IOException {
        Run run = new Run(3, 4);
        run.train(0, 2);
        Path ckpt = dir.resolve("c.ckpt");
        Checkpoint.save(ckpt, run.model, run.opt, 0, 2, run.shuffle);
        ArchiveModels.SmallCnn other = new ArchiveModels.SmallCnn();
        float[] w = other.fc.weight.toFloatArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(ckpt, other, null, new Generator(1)));
        assertTrue(e.getMessage().contains("does not fit SmallCnn"), e.getMessage());
        assertArrayEquals(w, other.fc.weight.toFloatArray());
        IllegalArgumentException rngs = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(ckpt, new ArchiveModels.Mlp(), null));
        assertTrue(rngs.getMessage().contains("holds 1 generator states but 0"), rngs.getMessage());
    }

    @Test
    void weightsOnlyCheckpoint_andDamagedFiles() throws IOException {
        Run run = new Run(3, 4);
        Path ckpt = dir.resolve("w.ckpt");
        Checkpoint.save(ckpt, run.model, null, 0, 0);
        ArchiveModels.Mlp fresh = new ArchiveModels.Mlp();
        Checkpoint.load(ckpt, fresh, null);
        assertArrayEquals(run.model.fc2.weight.toFloatArray(), fresh.fc2.weight.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(ckpt, fresh, new Adam(fresh.parameters())));

        byte[] bytes = Files.readAllBytes(ckpt);
        Files.write(ckpt, java.util.Arrays.copyOf(bytes, bytes.length - 7));
        assertThrows(ModelFormatException.class, () -> Checkpoint.load(ckpt, fresh, null));
        Safetensors.save(Map.of("model/fc1.weight", Tensor.zeros(8, 6)), ckpt);
        ModelFormatException notOne = assertThrows(ModelFormatException.class, () -> Checkpoint.load(ckpt, fresh, null));
        assertTrue(notOne.getMessage().contains("not a Janus checkpoint"), notOne.getMessage());
    }

    @Test
    void checkpointFile_isPlainSafetensorsWithReadableMetadata() throws IOException {
        Run run = new Run(3, 4);
        run.train(0, 3);
        Path ckpt = dir.resolve("c.ckpt");
        Checkpoint.save(ckpt, run.model, run.opt, 0, 3, run.shuffle, Janus.defaultGenerator());
        Map<String, String> meta = Safetensors.metadata(ckpt);
        assertEquals("janus-checkpoint", meta.get("format"));
        assertEquals("3", meta.get("step"));
        assertTrue(meta.get("optimizer").contains("\"str\":\"Adam\""), meta.get("optimizer"));
        Map<String, Tensor> tensors = Safetensors.load(ckpt);
        assertTrue(tensors.containsKey("model/fc1.weight"), tensors.keySet().toString());
        assertTrue(tensors.containsKey("optimizer/state/0/exp_avg"), tensors.keySet().toString());
        assertEquals(DType.FLOAT32, tensors.get("optimizer/state/0/exp_avg_sq").dtype());
        assertFalse(tensors.keySet().stream().anyMatch(k -> k.contains("#")), tensors.keySet().toString());
    }

    /** An output stream whose disk fills up after {@code budget} bytes. */
    static final class FailAfter extends FilterOutputStream {
        private long budget;

        FailAfter(OutputStream out, long budget) {
            super(out);
            this.budget = budget;
        }

        @Override
        public void write(int b) throws IOException {
            if (--budget < 0) {
                throw new IOException("disk full (injected)");
            }
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = 0; i < len; i++) {
                write(b[off + i]);
            }
        }
    }
}
