package dev.janus.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The per-epoch progress display: on a terminal a bar redrawn in place with rate, ETA, running loss and
 * metrics; otherwise (a log file, CI) a plain line every tenth of the epoch and one at its end.
 */
final class ProgressBar {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final boolean terminal;
    private final int epochs;
    private long start;
    private int total;
    private int lastPlain = -1;

    ProgressBar(PrintStream out, boolean terminal, int epochs) {
        this.out = out;
        this.terminal = terminal;
        this.epochs = epochs;
    }

    /** True when standard output is an interactive terminal. */
    static boolean stdoutIsTerminal() {
        return System.console() != null && System.getenv("CI") == null;
    }

    void begin(int epoch, int batches) {
        start = System.nanoTime();
        total = batches;
        lastPlain = -1;
        if (!terminal) {
            out.printf(Locale.ROOT, "epoch %d/%d%n", epoch + 1, epochs);
        }
    }

    void update(int done, Map<String, Double> logs) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        double rate = done / Math.max(elapsed, 1e-9);
        String figures = figures(logs);
        if (terminal) {
            int filled = total > 0 ? (int) ((long) WIDTH * done / total) : 0;
            String eta = total > 0 ? String.format(Locale.ROOT, " ETA %.0fs", (total - done) / Math.max(rate, 1e-9)) : "";
            out.printf(Locale.ROOT, "\r%5d/%-5s [%s%s] %.1f it/s%s %s", done, total > 0 ? total : "?",
                    "=".repeat(filled), " ".repeat(WIDTH - filled), rate, eta, figures);
            out.flush();
        } else if (total > 0 && done * 10 / total > lastPlain) {
            lastPlain = done * 10 / total;
            out.printf(Locale.ROOT, "  %d/%d  %.1f it/s  %s%n", done, total, rate, figures);
        }
    }

    void endEpoch(int epoch, Map<String, Double> logs, double seconds) {
        if (terminal) {
            out.print("\r" + " ".repeat(WIDTH + 80) + "\r");
        }
        out.printf(Locale.ROOT, "epoch %d/%d  %.1fs  %s%n", epoch + 1, epochs, seconds, figures(logs));
    }

    private static String figures(Map<String, Double> logs) {
        StringBuilder sb = new StringBuilder();
        logs.forEach((k, v) -> sb.append(k).append(' ').append(String.format(Locale.ROOT, "%.4f", v)).append("  "));
        return sb.toString().trim();
    }
}
