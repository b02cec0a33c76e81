package dev.janus.cli;

import dev.janus.examples.Quickstart;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code janus} command line. Later issues add train, trace, export, serve and bench. */
@Command(name = "janus", mixinStandardHelpOptions = true, version = "janus 0.1.0",
        description = "Janus: one Java method, run eagerly or traced.",
        subcommands = {JanusCli.QuickstartCommand.class})
public final class JanusCli implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new JanusCli()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Fits a small regression with eager autograd and prints the loss falling. */
    @Command(name = "quickstart", mixinStandardHelpOptions = true,
            description = "Fit a small network with eager autograd and print the loss falling.")
    static final class QuickstartCommand implements Callable<Integer> {
        @Option(names = "--steps", defaultValue = "2000", description = "training steps (default ${DEFAULT-VALUE})")
        int steps;

        @Override
        public Integer call() {
            double loss = Quickstart.run(steps, System.out);
            return loss < 0.05 ? 0 : 1;
        }
    }
}
