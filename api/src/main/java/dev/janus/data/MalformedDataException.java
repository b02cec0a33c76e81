package dev.janus.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file that cannot be read as its format says: a truncated or corrupt IDX file, a CSV cell that is not
 * a number. The message starts with the file and says what was wrong and where (line and column for text).
 */
public class MalformedDataException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public MalformedDataException(Path file, String problem) {
        this(file, problem, null);
    }

    public MalformedDataException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that was being read. */
    public Path file() {
        return file;
    }
}
