package dev.janus.data;

/**
 * A failure while a {@link DataLoader} prepared a batch: loading one sample, reading an iterable dataset or
 * collating. The message names the sample index (or batch) that failed; the cause is the original exception,
 * whichever thread it was thrown on.
 */
public class DataLoaderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int sampleIndex;

    public DataLoaderException(String message, int sampleIndex, Throwable cause) {
        super(message, cause);
        this.sampleIndex = sampleIndex;
    }

    /** The dataset index of the sample that failed, or -1 when the failure was not about one sample. */
    public int sampleIndex() {
        return sampleIndex;
    }
}
