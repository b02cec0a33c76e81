package dev.janus.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Loads a local page in Debian's headless {@code chromium} and returns the DOM after its scripts ran. */
final class HeadlessChromium {
    private static final long TIMEOUT_SECONDS = 120;

    private HeadlessChromium() {}

    /** The {@code chromium} executable on the PATH, if installed. */
    static Optional<Path> find() {
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * {@code chromium --headless --dump-dom file://page}, offline and with a fresh profile in {@code scratch};
     * fails with chromium's log when it exits badly or times out.
     */
    static String dumpDom(Path exe, Path page, Path scratch) throws IOException, InterruptedException {
        return dumpDom(exe, page.toAbsolutePath().toUri().toString(), scratch);
    }

    /** {@link #dumpDom(Path, Path, Path)} of a URL (a local page with a {@code #fragment}, say). */
    static String dumpDom(Path exe, String url, Path scratch) throws IOException, InterruptedException {
        Path profile = Files.createDirectories(scratch.resolve("profile"));
        Path log = scratch.resolve("chromium.log");
        Path dom = scratch.resolve("dom.html");
        Process p = new ProcessBuilder(exe.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom",
                url)
                .redirectOutput(dom.toFile()).redirectError(log.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s; its log:\n" + tail(log));
        }
        String out = Files.readString(dom, StandardCharsets.UTF_8);
        if (p.exitValue() != 0 || out.isBlank()) {
            throw new AssertionError("chromium exited with " + p.exitValue() + " and " + out.length()
                    + " characters of DOM; its log:\n" + tail(log));
        }
        return out;
    }

    private static String tail(Path log) throws IOException {
        String s = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }
}
