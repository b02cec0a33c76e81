package dev.janus.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds the line of a marker comment ({@code // @seed-body}) in a test source file, so tests name lines robustly. */
final class SourceLines {
    private SourceLines() {}

    static int lineOf(String fileName, String marker) {
        Path p = Path.of("src/test/java/dev/janus/trace", fileName);
        try {
            List<String> lines = Files.readAllLines(p);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("// " + marker) && lines.get(i).trim().indexOf("// " + marker) > 0) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("no line marked '// " + marker + "' in " + p);
    }

    /** {@code TraceModels.java:42}. */
    static String at(String fileName, String marker) {
        return fileName + ":" + lineOf(fileName, marker);
    }
}
