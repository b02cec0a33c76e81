package dev.janus.io;

import java.io.IOException;

/** A file that is not a valid Janus archive, checkpoint or weights file; the message says what and where. */
public class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
