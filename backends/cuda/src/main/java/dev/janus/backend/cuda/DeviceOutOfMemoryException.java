package dev.janus.backend.cuda;

/** The device, or the allocator's cap, cannot give the memory asked for; the message says how much and why. */
public final class DeviceOutOfMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An out-of-memory failure with a message that names the request and the memory state. */
    public DeviceOutOfMemoryException(String message) {
        super(message);
    }
}
