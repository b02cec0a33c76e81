package dev.janus.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.UnaryOperator;

/**
 * Atomic file replacement: the content goes to a temporary file in the target's directory, which is flushed
 * to disk and then renamed over the target in one step. A reader sees the old file or the new one, never a
 * mix; if writing fails (an exception, a full disk, a crash) the old file is still there, unchanged.
 */
final class AtomicFiles {
    /** Writes the content to a stream; may throw. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /** Replaces {@code target} with what {@code body} writes. */
    static void write(Path target, Body body) throws IOException {
        write(target, body, UnaryOperator.identity());
    }

    /**
     * As {@link #write(Path, Body)}, with the file's stream wrapped by {@code decorate} first (tests inject
     * failures midway through a write with it).
     */
    static void write(Path target, Body body, UnaryOperator<OutputStream> decorate) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = decorate.apply(new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16));
                body.writeTo(out);
                out.flush();
                ch.force(true);
            }
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            syncDirectory(dir);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Makes the rename itself durable where the platform allows opening a directory (Linux, macOS). */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // NOTE: Windows cannot open a directory; the rename is still atomic there, only not yet flushed.
        }
    }
}
