package tfobench.protocol;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Writes responses: {@code MATH/1.1 <code> <reason>}, then {@code Result:} (OK) or {@code Error:} (errors), then
 * {@code Connection:}, LF line ends. Outside peers depend on these bytes: keep them stable.
 */
public final class ResponseEncoder {
    private static final byte[][] STATUS_LINES = new byte[Status.values().length][];

    static {
        for (Status s : Status.values()) {
            STATUS_LINES[s.ordinal()] = Ascii.bytes("MATH/1.1 " + s.code() + " " + s.reason());
        }
    }

    private static final byte[] RESULT = Ascii.bytes("\nResult: ");
    private static final byte[] ERROR = Ascii.bytes("\nError: ");
    private static final byte[] KEEP_ALIVE_TAIL = Ascii.bytes("\nConnection: Keep-Alive\n\n");
    private static final byte[] CLOSE_TAIL = Ascii.bytes("\nConnection: Close\n\n");

    private ResponseEncoder() {
    }

    /** The response's bytes in a new array of exactly {@link #encodedLength} bytes. */
    public static byte[] encode(Response r) {
        byte[] bytes = new byte[encodedLength(r)];
        encode(r, ByteBuffer.wrap(bytes));
        return bytes;
    }

    /**
     * Writes the response at out's position and advances it; returns the bytes written. Allocates nothing.
     * BufferOverflowException, with nothing written, if out has fewer than {@link #encodedLength} bytes remaining.
     */
    public static int encode(Response r, ByteBuffer out) {
        int length = encodedLength(r);
        if (out.remaining() < length) {
            throw new BufferOverflowException();
        }
        out.put(statusLine(r.status()));
        if (r.isOk()) {
            out.put(RESULT);
            Ascii.putDecimal(out, r.result());
        } else {
            out.put(ERROR);
            String error = r.error();
            for (int i = 0; i < error.length(); i++) {
                out.put((byte) error.charAt(i)); // ASCII: Response's constructor checked it
            }
        }
        out.put(r.keepAlive() ? KEEP_ALIVE_TAIL : CLOSE_TAIL);
        return length;
    }

    /** How many bytes {@link #encode(Response, ByteBuffer)} writes for {@code r}. */
    public static int encodedLength(Response r) {
        int body = r.isOk() ? RESULT.length + Ascii.decimalLength(r.result()) : ERROR.length + r.error().length();
        return statusLine(r.status()).length + body + (r.keepAlive() ? KEEP_ALIVE_TAIL : CLOSE_TAIL).length;
    }

    /** {@code MATH/1.1 <code> <reason>} without line end; shared, never modify. */
    static byte[] statusLine(Status s) {
        return STATUS_LINES[s.ordinal()];
    }
}
