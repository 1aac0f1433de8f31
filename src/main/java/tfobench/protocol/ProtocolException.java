package tfobench.protocol;

import java.util.Objects;

/**
 * The one documented error type: everything wrong with input ends up as this, carrying the status to answer.
 *
 * <p>The message is short, one line of ASCII, and names the problem ({@code duplicate header Operand1}); a server
 * sends it as the {@code Error:} header. No stack trace is captured: these are expected answers to bad input,
 * not bugs, and filling a trace would cost more than parsing the request did.
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Status status;

    public ProtocolException(Status s, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.status = Objects.requireNonNull(s, "status");
    }

    /** The status a server answers this error with. */
    public Status status() {
        return status;
    }

    @Override
    public String toString() {
        return "ProtocolException: " + status.code() + " " + status.reason() + ": " + getMessage();
    }
}
