package tfobench.server;

/** A server did not stop cleanly (threads still running after the deadline). */
public final class ServerStopException extends Exception {
    public ServerStopException(String message) {
        super(message);
    }

    public ServerStopException(String message, Throwable cause) {
        super(message, cause);
    }
}
