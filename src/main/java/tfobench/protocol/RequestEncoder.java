package tfobench.protocol;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Writes requests exactly in the seed capture's format: LF line ends, headers in the order Operand1, Operator,
 * Operand2, Connection, and the Connection header always present ({@code Keep-Alive} or {@code Close}). A padded
 * request has one more header after Connection: {@code Padding: } followed by that many {@code x}.
 */
public final class RequestEncoder {
    private static final byte[] HEAD = Ascii.bytes("CALCULATE MATH/1.1\nOperand1: ");
    private static final byte[] OPERATOR = Ascii.bytes("\nOperator: ");
    private static final byte[] OPERAND2 = Ascii.bytes("\nOperand2: ");
    private static final byte[] KEEP_ALIVE_TAIL = Ascii.bytes("\nConnection: Keep-Alive\n\n");
    private static final byte[] CLOSE_TAIL = Ascii.bytes("\nConnection: Close\n\n");
    private static final byte[] PADDING_NAME = Ascii.bytes("Padding: ");
    /** What a Padding header adds besides its value: its name, colon and space, and its line end. */
    static final int PADDING_HEADER_OVERHEAD = PADDING_NAME.length + 1;

    private RequestEncoder() {
    }

    /** The request's bytes in a new array of exactly {@link #encodedLength} bytes. */
    public static byte[] encode(Request r) {
        byte[] bytes = new byte[encodedLength(r)];
        encode(r, ByteBuffer.wrap(bytes));
        return bytes;
    }

    /**
     * Writes the request at out's position and advances it; returns the bytes written. Allocates nothing.
     * BufferOverflowException, with nothing written, if out has fewer than {@link #encodedLength} bytes remaining.
     */
    public static int encode(Request r, ByteBuffer out) {
        int length = encodedLength(r);
        if (out.remaining() < length) {
            throw new BufferOverflowException();
        }
        out.put(HEAD);
        Ascii.putDecimal(out, r.operand1());
        out.put(OPERATOR);
        out.put((byte) r.operator().symbol());
        out.put(OPERAND2);
        Ascii.putDecimal(out, r.operand2());
        byte[] tail = r.keepAlive() ? KEEP_ALIVE_TAIL : CLOSE_TAIL;
        if (r.padding() == 0) {
            out.put(tail);
            return length;
        }
        out.put(tail, 0, tail.length - 1); // the Padding line goes before the empty line that ends the block
        out.put(PADDING_NAME);
        for (int i = 0; i < r.padding(); i++) {
            out.put((byte) 'x');
        }
        out.put((byte) '\n').put((byte) '\n');
        return length;
    }

    /** How many bytes {@link #encode(Request, ByteBuffer)} writes for {@code r}. */
    public static int encodedLength(Request r) {
        return HEAD.length + Ascii.decimalLength(r.operand1()) + OPERATOR.length + 1 + OPERAND2.length
                + Ascii.decimalLength(r.operand2()) + (r.keepAlive() ? KEEP_ALIVE_TAIL : CLOSE_TAIL).length
                + (r.padding() == 0 ? 0 : PADDING_HEADER_OVERHEAD + r.padding());
    }
}
