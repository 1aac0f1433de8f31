package tfobench.protocol;

import java.util.Objects;

/**
 * One response. OK responses carry {@code result} and no {@code error}; error responses carry a one-line ASCII
 * {@code error}, {@code result} 0, and always close the connection ({@code keepAlive} false).
 *
 * <p>The canonical constructor enforces those invariants (IllegalArgumentException), so every Response can be
 * encoded into bytes that {@link ResponseDecoder} accepts and that decode back to an equal Response.
 */
public record Response(Status status, long result, String error, boolean keepAlive) {
    /** Longest error message {@link #error(Status, String)} keeps; longer ones are cut so a response stays small. */
    public static final int MAX_ERROR_CHARS = 200;
    /** The answer to {@link Request#ONE_PLUS_ONE}: {@code 200 OK}, {@code Result: 2}, connection kept. */
    public static final Response TWO = ok(2, true);

    public Response {
        Objects.requireNonNull(status, "status");
        if (status == Status.OK) {
            if (error != null) {
                throw new IllegalArgumentException("an OK response carries no error");
            }
        } else {
            if (result != 0) {
                throw new IllegalArgumentException("an error response carries no result");
            }
            if (keepAlive) {
                throw new IllegalArgumentException("an error response closes the connection");
            }
            requireHeaderText(error);
        }
    }

    public static Response ok(long result, boolean keepAlive) {
        return new Response(Status.OK, result, null, keepAlive);
    }

    /**
     * An error response (keepAlive false). The message is made wire-safe rather than refused: characters outside
     * printable ASCII become {@code ?}, surrounding spaces go, it is cut to {@link #MAX_ERROR_CHARS}, and an empty
     * or null message becomes the status's reason phrase.
     */
    public static Response error(Status status, String message) {
        Objects.requireNonNull(status, "status");
        if (status == Status.OK) {
            throw new IllegalArgumentException("an error response needs an error status, not 200");
        }
        return new Response(status, 0, wireSafe(message, status.reason()), false);
    }

    public boolean isOk() {
        return status == Status.OK;
    }

    private static String wireSafe(String message, String fallback) {
        if (message == null) {
            return fallback;
        }
        char[] chars = message.strip().toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] < 0x20 || chars[i] > 0x7E) {
                chars[i] = '?';
            }
        }
        String s = new String(chars);
        if (s.length() > MAX_ERROR_CHARS) {
            s = s.substring(0, MAX_ERROR_CHARS).strip();
        }
        return s.isEmpty() ? fallback : s;
    }

    /** What a decoded header value can be: printable ASCII or tab, not empty, no surrounding spaces or tabs. */
    private static void requireHeaderText(String error) {
        if (error == null || error.isEmpty()) {
            throw new IllegalArgumentException("an error response needs a message");
        }
        for (int i = 0; i < error.length(); i++) {
            char c = error.charAt(i);
            if ((c < 0x20 || c > 0x7E) && c != '\t') {
                throw new IllegalArgumentException("error message must be one line of printable ASCII");
            }
        }
        if (isBlank(error.charAt(0)) || isBlank(error.charAt(error.length() - 1))) {
            throw new IllegalArgumentException("error message must not start or end with a space or tab");
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
