package dev.janus.graph.view;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Turns DOT text into SVG by running Graphviz's {@code dot -Tsvg}, which must be on the PATH. */
final class GraphvizSvg {
    private static final long TIMEOUT_SECONDS = 120;

    private GraphvizSvg() {}

    /** The {@code dot} executable on the PATH, if any. */
    static Optional<Path> findDot() {
        return findDot(System.getenv("PATH"));
    }

    /** The {@code dot} executable in one of the folders of {@code path} (a PATH value), if any. */
    static Optional<Path> findDot(String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, "dot");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Runs {@code dot -Tsvg} on {@code dot}; fails naming the missing tool or Graphviz's own message. */
    static String render(String dot) {
        return render(dot, System.getenv("PATH"));
    }

    /** {@link #render(String)} with {@code dot} looked up on {@code path} instead of the PATH. */
    static String render(String dot, String path) {
        Path exe = findDot(path).orElseThrow(() -> new IllegalStateException("SVG output needs Graphviz's 'dot' on the PATH, "
                + "and there is none; install Graphviz, or write .html instead (a self-contained page that needs nothing "
                + "installed) or .dot (Graphviz text)"));
        try {
            Process p = new ProcessBuilder(exe.toString(), "-Tsvg").start();
            CompletableFuture<byte[]> out = drain(p.getInputStream());
            CompletableFuture<byte[]> err = drain(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                in.write(dot.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(exe + " -Tsvg did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(exe + " -Tsvg failed (exit " + p.exitValue() + "): "
                        + new String(err.join(), StandardCharsets.UTF_8).strip());
            }
            return new String(out.join(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + exe + " -Tsvg", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + exe, e);
        }
    }

    // NOTE: both pipes are read on their own threads so a large picture cannot fill a pipe and stall dot.
    private static CompletableFuture<byte[]> drain(InputStream s) {
        return CompletableFuture.supplyAsync(() -> {
            try (s; ByteArrayOutputStream b = new ByteArrayOutputStream()) {
                s.transferTo(b);
                return b.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
