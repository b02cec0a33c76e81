package dev.janus.examples;

import dev.janus.Janus;
import dev.janus.data.DataLoader;
import dev.janus.data.Dataset;
import dev.janus.data.Example;
import dev.janus.data.MnistDataset;
import dev.janus.data.Normalize;
import dev.janus.data.ToTensor;
import dev.janus.data.Transform;
import dev.janus.examples.models.ConvNet;
import dev.janus.examples.models.LeNet;
import dev.janus.examples.models.Mlp;
import dev.janus.io.Safetensors;
import dev.janus.nn.F;
import dev.janus.nn.Module;
import dev.janus.optim.Adam;
import dev.janus.optim.Optimizer;
import dev.janus.optim.SGD;
import dev.janus.train.Callback;
import dev.janus.train.History;
import dev.janus.train.Metric;
import dev.janus.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains an image classifier on Fashion-MNIST (or, when its files are missing, on {@link SyntheticImages})
 * with the eager engine, and reports test accuracy. Behind {@code janus train} and {@code janus quickstart}.
 */
public final class ImageClassification {
    /** Where Debian's {@code dataset-fashion-mnist} package installs the four IDX files. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    /** Fashion-MNIST's training-set pixel mean and standard deviation (after scaling to [0, 1]). */
    private static final double MEAN = 0.2860;
    private static final double STD = 0.3530;

    private ImageClassification() {}

    /**
     * What to train and how. {@code trainLimit} > 0 trains on the first that many examples only; {@code traced}
     * runs each training step as a traced graph; {@code callbacks} join the trainer (a training report,
     * TensorBoard logs).
     */
    public record Config(String model, Path dataDir, int epochs, String optimizer, double lr, int batchSize,
            int numWorkers, int trainLimit, Path checkpoint, long seed, boolean traced, List<Callback> callbacks) {
        /** Eager, with no extra callbacks. */
        public Config(String model, Path dataDir, int epochs, String optimizer, double lr, int batchSize,
                int numWorkers, int trainLimit, Path checkpoint, long seed) {
            this(model, dataDir, epochs, optimizer, lr, batchSize, numWorkers, trainLimit, checkpoint, seed, false,
                    List.of());
        }
    }

    /** The outcome: which data was used, the test accuracy and the training history. */
    public record Result(String dataset, double testAccuracy, History history) {}

    public static Result run(Config c, PrintStream out) throws IOException {
        Janus.manualSeed(c.seed());
        Dataset<Example> train;
        Dataset<Example> test;
        String name;
        if (hasFashionMnist(c.dataDir())) {
            Transform t = new ToTensor().andThen(new Normalize(MEAN, STD));
            train = MnistDataset.load(c.dataDir(), MnistDataset.Split.TRAIN, t);
            test = MnistDataset.load(c.dataDir(), MnistDataset.Split.TEST, t);
            name = "Fashion-MNIST from " + c.dataDir();
        } else {
            train = SyntheticImages.dataset(6000, c.seed());
            test = SyntheticImages.dataset(1000, c.seed() + 1);
            name = "generated shapes (Fashion-MNIST not found at " + c.dataDir()
                    + "; install Debian's dataset-fashion-mnist for the real data)";
        }
        if (c.trainLimit() > 0 && c.trainLimit() < train.size()) {
            train = new dev.janus.data.Subset<>(train, range(c.trainLimit()));
        }
        out.println("data: " + name + " (" + train.size() + " training, " + test.size() + " test images)");
        Module model = model(c.model());
        out.print(model);
        Optimizer opt = switch (c.optimizer()) {
            case "sgd" -> new SGD(model.parameters(), c.lr()).momentum(0.9);
            case "adam" -> new Adam(model.parameters(), c.lr());
            default -> throw new IllegalArgumentException("optimizer must be sgd or adam, got '" + c.optimizer() + "'");
        };
        try (DataLoader<Example, Example> trainLoader = DataLoader.ofExamples(train).batchSize(c.batchSize()).shuffle(true)
                .seed(c.seed()).numWorkers(c.numWorkers()).build();
             DataLoader<Example, Example> testLoader = DataLoader.ofExamples(test).batchSize(256).numWorkers(c.numWorkers())
                .build()) {
            Trainer trainer = new Trainer(model, opt, F::crossEntropy).metrics(Metric.accuracy()).output(out)
                    .traced(c.traced());
            c.callbacks().forEach(trainer::callback);
            History h = trainer.fit(trainLoader, testLoader, c.epochs());
            double acc = h.last("val_accuracy");
            out.printf(Locale.ROOT, "test accuracy %.2f%% after %d epoch(s) (%.1f s per epoch)%n", 100 * acc, c.epochs(),
                    h.epochSeconds().stream().mapToDouble(Double::doubleValue).average().orElse(0));
            if (c.checkpoint() != null) {
                Safetensors.save(model.stateDict(), Map.of("model", c.model(), "test_accuracy", Double.toString(acc)),
                        c.checkpoint());
                out.println("saved weights to " + c.checkpoint());
            }
            return new Result(name, acc, h);
        }
    }

    /** A fresh model by name: {@code lenet}, {@code cnn} (a wider LeNet-style network) or {@code mlp}. */
    public static Module model(String name) {
        return switch (name) {
            case "lenet" -> new LeNet();
            case "cnn" -> new ConvNet();
            case "mlp" -> new Mlp();
            default -> throw new IllegalArgumentException("model must be lenet, cnn or mlp, got '" + name + "'");
        };
    }

    static boolean hasFashionMnist(Path dir) {
        return dir != null && Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"))
                && Files.isRegularFile(dir.resolve("t10k-labels-idx1-ubyte.gz"));
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

}
