package dev.janus.cli;

import dev.janus.examples.ImageClassification;
import dev.janus.io.tensorboard.TensorBoardCallback;
import dev.janus.train.Callback;
import dev.janus.train.TrainingReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code janus} command line: quickstart, train, serve and graph. */
@Command(name = "janus", mixinStandardHelpOptions = true, version = "janus 0.1.0",
        description = "Janus: one Java method, run eagerly or traced.",
        subcommands = {JanusCli.QuickstartCommand.class, JanusCli.TrainCommand.class, ServeCommand.class,
            GraphCommand.class})
public final class JanusCli implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new JanusCli()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Trains an MLP on Fashion-MNIST (or generated images) for one epoch and prints test accuracy. */
    @Command(name = "quickstart", mixinStandardHelpOptions = true,
            description = "Train a small classifier for one epoch on Fashion-MNIST (generated images if it is not "
                    + "installed) with eager autograd, and print the test accuracy.")
    static final class QuickstartCommand implements Callable<Integer> {
        @Option(names = "--data", description = "Fashion-MNIST folder (default ${DEFAULT-VALUE})",
                defaultValue = "/usr/share/datasets/fashion-mnist")
        Path data;

        @Override
        public Integer call() throws Exception {
            ImageClassification.run(new ImageClassification.Config("mlp", data, 1, "adam", 1e-3, 64, 1, 0, null, 42),
                    System.out);
            return 0;
        }
    }

    /** Trains a model with a chosen optimizer and writes its weights as safetensors. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train an image classifier (LeNet, a wider CNN or an MLP) on Fashion-MNIST and save the weights.")
    static final class TrainCommand implements Callable<Integer> {
        @Option(names = "--model", defaultValue = "lenet", description = "lenet, cnn (wider LeNet-style) or mlp (default ${DEFAULT-VALUE})")
        String model;

        @Option(names = "--data", defaultValue = "/usr/share/datasets/fashion-mnist",
                description = "folder with the four Fashion-MNIST IDX files (default ${DEFAULT-VALUE})")
        Path data;

        @Option(names = "--epochs", defaultValue = "2", description = "epochs (default ${DEFAULT-VALUE})")
        int epochs;

        @Option(names = "--optimizer", defaultValue = "sgd", description = "sgd (momentum 0.9) or adam (default ${DEFAULT-VALUE})")
        String optimizer;

        @Option(names = "--lr", defaultValue = "0.01", description = "learning rate (default ${DEFAULT-VALUE})")
        double lr;

        @Option(names = "--batch-size", defaultValue = "64", description = "batch size (default ${DEFAULT-VALUE})")
        int batchSize;

        @Option(names = "--workers", defaultValue = "1", description = "data loader worker threads (default ${DEFAULT-VALUE})")
        int workers;

        @Option(names = "--limit", defaultValue = "0", description = "train on the first N images only (0: all)")
        int limit;

        @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = {"-o", "--output"}, description = "write the trained weights to this .safetensors file")
        Path output;

        @Option(names = "--traced", description = "run each training step as a traced graph (the last, smaller batch eagerly)")
        boolean traced;

        @Option(names = "--report", description = "write a training report (loss curves, timings, eager vs traced step speed) to this .html file")
        Path report;

        @Option(names = "--tensorboard", description = "write TensorBoard logs to this folder (then: tensorboard --logdir FOLDER)")
        Path tensorboard;

        @Override
        public Integer call() throws Exception {
            List<Callback> callbacks = new ArrayList<>();
            if (report != null) {
                callbacks.add(new TrainingReport(report));
            }
            if (tensorboard != null) {
                callbacks.add(new TensorBoardCallback(tensorboard));
            }
            ImageClassification.run(new ImageClassification.Config(model, data, epochs, optimizer, lr, batchSize, workers,
                    limit, output, seed, traced, callbacks), System.out);
            if (report != null) {
                System.out.println("wrote the training report to " + report);
            }
            return 0;
        }
    }
}
