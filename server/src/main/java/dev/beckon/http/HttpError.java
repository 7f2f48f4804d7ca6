package dev.beckon.http;

/**
 * A request that cannot be served, with the status and the message that the client sees. The
 * message must be safe to show: it says what is wrong with the request and how to fix it, and
 * never carries internal state.
 */
public final class HttpError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }

    public static HttpError notFound(String message) {
        return new HttpError(404, message);
    }
}
