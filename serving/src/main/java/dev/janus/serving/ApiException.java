package dev.janus.serving;

/**
 * A request that cannot be answered, with the HTTP status and the message the client gets as
 * {@code {"error": "..."}}. Messages name what was wrong and what was expected; they never hold stack traces.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
