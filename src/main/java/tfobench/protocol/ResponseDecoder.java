package tfobench.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Incremental response parser for clients; same contract as {@link RequestDecoder}. As strict as the server's side:
 * the status line must be exactly {@code MATH/1.1 <code> <reason>} with a known code and its own reason phrase;
 * OK responses need {@code Result} and no {@code Error}, error responses need {@code Error}, no {@code Result} and
 * {@code Connection: Close}; {@code Connection} is required. Malformed input is a ProtocolException with
 * BAD_REQUEST; a header block over the limit is REQUEST_TOO_LARGE. Per OK response it allocates only the
 * {@link Response}; an error response also allocates its message String.
 */
public final class ResponseDecoder extends HeaderBlockDecoder<Response> {
    /** The last 200 response decoded, handed out again when the next one is equal. */
    private Response lastOk;

    private static final byte[] PROTOCOL_SP = Ascii.bytes("MATH/1.1 ");
    private static final byte[] RESULT = Ascii.bytes("result");
    private static final byte[] ERROR = Ascii.bytes("error");
    private static final byte[] CONNECTION = Ascii.bytes("connection");

    private static final int SEEN_RESULT = 1;
    private static final int SEEN_ERROR = 2;
    private static final int SEEN_CONNECTION = 4;

    private Status status;
    private int seen;
    private long result;
    private String error;
    private boolean keepAlive;

    public ResponseDecoder() {
        this(RequestDecoder.DEFAULT_MAX_HEADER_BYTES);
    }

    /** A decoder whose header block limit is {@code maxHeaderBytes} (positive), status line to empty line included. */
    public ResponseDecoder(int maxHeaderBytes) {
        super(maxHeaderBytes);
    }

    /**
     * Consumes bytes from in (advancing its position) until one response is complete and returns it, or returns
     * null when in is exhausted and more bytes are needed (state kept). Bytes after a complete response are left in
     * {@code in}. Throws ProtocolException on bad input; after that the decoder is dead: further calls throw
     * IllegalStateException until {@link #reset()}.
     */
    public Response decode(ByteBuffer in) throws ProtocolException {
        return decodeBlock(in);
    }

    @Override
    void startLine(byte[] line, int length) throws ProtocolException {
        int codeFrom = PROTOCOL_SP.length;
        if (!Ascii.startsWith(line, length, PROTOCOL_SP) || length < codeFrom + 4
                || !Ascii.isDigits(line, codeFrom, codeFrom + 3) || line[codeFrom + 3] != ' ') {
            throw badRequest("malformed status line");
        }
        int code = (line[codeFrom] - '0') * 100 + (line[codeFrom + 1] - '0') * 10 + (line[codeFrom + 2] - '0');
        Status s = Status.forCode(code);
        if (s == null) {
            throw badRequest("unknown status code " + code);
        }
        byte[] expected = ResponseEncoder.statusLine(s);
        if (length != expected.length || !Ascii.startsWith(line, length, expected)) {
            throw badRequest("reason " + Ascii.quote(line, codeFrom + 4, length) + " does not match status " + code);
        }
        status = s;
    }

    @Override
    void header(byte[] line, int nameEnd, int from, int to) throws ProtocolException {
        if (Ascii.equalsIgnoreCase(line, 0, nameEnd, RESULT)) {
            seen = once(seen, SEEN_RESULT, "Result");
            result = Ascii.parseLong(line, from, to, "Result");
        } else if (Ascii.equalsIgnoreCase(line, 0, nameEnd, ERROR)) {
            seen = once(seen, SEEN_ERROR, "Error");
            if (from == to) {
                throw badRequest("empty Error header");
            }
            error = new String(line, from, to - from, StandardCharsets.US_ASCII);
        } else if (Ascii.equalsIgnoreCase(line, 0, nameEnd, CONNECTION)) {
            seen = once(seen, SEEN_CONNECTION, "Connection");
            keepAlive = connectionValue(line, from, to);
        }
        // Any other header is ignored; its bytes still counted toward the size limit.
    }

    @Override
    Response endOfBlock() throws ProtocolException {
        if (status == Status.OK) {
            if ((seen & SEEN_RESULT) == 0) {
                throw missing("Result");
            }
            if ((seen & SEEN_ERROR) != 0) {
                throw badRequest("Error header in a 200 response");
            }
        } else {
            if ((seen & SEEN_ERROR) == 0) {
                throw missing("Error");
            }
            if ((seen & SEEN_RESULT) != 0) {
                throw badRequest("Result header in an error response");
            }
        }
        if ((seen & SEEN_CONNECTION) == 0) {
            throw missing("Connection");
        }
        if (status == Status.OK) {
            // Responses are immutable: the same answer again (a benchmark's steady state) reuses the instance.
            Response last = lastOk;
            if (last == null || last.result() != result || last.keepAlive() != keepAlive) {
                last = Response.ok(result, keepAlive);
                lastOk = last;
            }
            return last;
        }
        if (keepAlive) {
            throw badRequest("error response with Connection: Keep-Alive");
        }
        return new Response(status, 0, error, false);
    }

    @Override
    void clearMessage() {
        status = null;
        seen = 0;
        result = 0;
        error = null;
        keepAlive = false;
    }
}
