package tfobench.protocol;

import java.nio.ByteBuffer;

/**
 * Incremental request parser. One instance per connection.
 *
 * <p>Feed it whatever the socket delivered; it keeps state between calls, so a request may arrive in any number of
 * pieces, and several pipelined requests may arrive in one. Per request it allocates only the {@link Request}.
 */
public final class RequestDecoder extends HeaderBlockDecoder<Request> {
    /** The last request decoded, handed out again when the next one is equal. */
    private Request lastRequest;

    public static final int DEFAULT_MAX_HEADER_BYTES = 1024;

    private static final byte[] REQUEST_LINE = Ascii.bytes("CALCULATE MATH/1.1");
    private static final byte[] METHOD_AND_PROTOCOL = Ascii.bytes("CALCULATE MATH/");
    private static final byte[] METHOD_SP = Ascii.bytes("CALCULATE ");
    private static final byte[] OPERAND1 = Ascii.bytes("operand1");
    private static final byte[] OPERATOR = Ascii.bytes("operator");
    private static final byte[] OPERAND2 = Ascii.bytes("operand2");
    private static final byte[] CONNECTION = Ascii.bytes("connection");
    private static final byte[] PADDING = Ascii.bytes("padding");

    private static final int SEEN_OPERAND1 = 1;
    private static final int SEEN_OPERATOR = 2;
    private static final int SEEN_OPERAND2 = 4;
    private static final int SEEN_CONNECTION = 8;
    private static final int SEEN_PADDING = 16;

    private int seen;
    private long operand1;
    private Operator operator;
    private long operand2;
    private boolean keepAlive;
    private int padding;

    public RequestDecoder() {
        this(DEFAULT_MAX_HEADER_BYTES);
    }

    /** A decoder whose header block limit is {@code maxHeaderBytes} (positive), request line to empty line included. */
    public RequestDecoder(int maxHeaderBytes) {
        super(maxHeaderBytes);
    }

    /**
     * Consumes bytes from in (advancing its position) until one request is complete and returns it, or returns null
     * when in is exhausted and more bytes are needed (state kept). Bytes after a complete request are left in
     * {@code in} for the next call (pipelining). Throws ProtocolException (400/413/505) on bad input; after that the
     * decoder is dead: further calls throw IllegalStateException until {@link #reset()}.
     */
    public Request decode(ByteBuffer in) throws ProtocolException {
        return decodeBlock(in);
    }

    @Override
    void startLine(byte[] line, int length) throws ProtocolException {
        if (length == REQUEST_LINE.length && Ascii.startsWith(line, length, REQUEST_LINE)) {
            return;
        }
        if (Ascii.startsWith(line, length, METHOD_AND_PROTOCOL)) {
            int from = METHOD_AND_PROTOCOL.length;
            int dot = from;
            while (dot < length && line[dot] != '.') {
                dot++;
            }
            if (Ascii.isDigits(line, from, dot) && Ascii.isDigits(line, dot + 1, length)) {
                throw new ProtocolException(Status.VERSION_NOT_SUPPORTED,
                        "version " + Ascii.quote(line, METHOD_SP.length, length) + " not supported, only MATH/1.1");
            }
        } else if (!Ascii.startsWith(line, length, METHOD_SP)) {
            int space = 0;
            while (space < length && line[space] != ' ') {
                space++;
            }
            if (space > 0 && space < length) {
                throw badRequest("unknown method " + Ascii.quote(line, 0, space));
            }
        }
        throw badRequest("malformed request line");
    }

    @Override
    void header(byte[] line, int nameEnd, int from, int to) throws ProtocolException {
        if (nameEnd == 8) {
            if (Ascii.equalsIgnoreCase(line, 0, 8, OPERAND1)) {
                seen = once(seen, SEEN_OPERAND1, "Operand1");
                operand1 = Ascii.parseLong(line, from, to, "Operand1");
            } else if (Ascii.equalsIgnoreCase(line, 0, 8, OPERAND2)) {
                seen = once(seen, SEEN_OPERAND2, "Operand2");
                operand2 = Ascii.parseLong(line, from, to, "Operand2");
            } else if (Ascii.equalsIgnoreCase(line, 0, 8, OPERATOR)) {
                seen = once(seen, SEEN_OPERATOR, "Operator");
                Operator op = to - from == 1 ? Operator.forSymbol(line[from]) : null;
                if (op == null) {
                    throw badRequest("unknown operator " + Ascii.quote(line, from, to));
                }
                operator = op;
            }
        } else if (nameEnd == 10 && Ascii.equalsIgnoreCase(line, 0, 10, CONNECTION)) {
            seen = once(seen, SEEN_CONNECTION, "Connection");
            keepAlive = connectionValue(line, from, to);
        } else if (nameEnd == 7 && Ascii.equalsIgnoreCase(line, 0, 7, PADDING)) {
            seen = once(seen, SEEN_PADDING, "Padding");
            padding = to - from; // counted, and otherwise ignored
        }
        // Any other header is ignored; its bytes still counted toward the size limit.
    }

    @Override
    Request endOfBlock() throws ProtocolException {
        if ((seen & SEEN_OPERAND1) == 0) {
            throw missing("Operand1");
        }
        if ((seen & SEEN_OPERATOR) == 0) {
            throw missing("Operator");
        }
        if ((seen & SEEN_OPERAND2) == 0) {
            throw missing("Operand2");
        }
        boolean keep = (seen & SEEN_CONNECTION) != 0 && keepAlive;
        // Requests are immutable: the same request again (a benchmark's steady state) reuses the instance.
        Request last = lastRequest;
        if (last == null || last.operand1() != operand1 || last.operator() != operator
                || last.operand2() != operand2 || last.keepAlive() != keep || last.padding() != padding) {
            last = new Request(operand1, operator, operand2, keep, padding);
            lastRequest = last;
        }
        return last;
    }

    @Override
    void clearMessage() {
        seen = 0;
        operator = null;
        keepAlive = false;
        padding = 0;
    }
}
