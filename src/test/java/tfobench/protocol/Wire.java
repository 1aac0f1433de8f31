package tfobench.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Test helpers: wire text to bytes and back. */
final class Wire {
    /** The request of the seed capture, byte for byte (79 bytes). */
    static final String SEED_REQUEST =
            "CALCULATE MATH/1.1\nOperand1: 1\nOperator: +\nOperand2: 1\nConnection: Keep-Alive\n\n";

    /** Our answer to the seed request, byte for byte. */
    static final String SEED_RESPONSE = "MATH/1.1 200 OK\nResult: 2\nConnection: Keep-Alive\n\n";

    private Wire() {
    }

    /** One byte per char (ISO-8859-1), so tests can write any byte value as a \\uXXXX escape below 0x100. */
    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static ByteBuffer buffer(String s) {
        return ByteBuffer.wrap(bytes(s));
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static String text(ByteBuffer b, int from, int to) {
        byte[] out = new byte[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = b.get(i);
        }
        return text(out);
    }

    /** A request with the given header lines, LF line ends. */
    static String request(String... headerLines) {
        StringBuilder s = new StringBuilder("CALCULATE MATH/1.1\n");
        for (String h : headerLines) {
            s.append(h).append('\n');
        }
        return s.append('\n').toString();
    }

    /** A response with the given status line and header lines, LF line ends. */
    static String response(String statusLine, String... headerLines) {
        StringBuilder s = new StringBuilder(statusLine).append('\n');
        for (String h : headerLines) {
            s.append(h).append('\n');
        }
        return s.append('\n').toString();
    }

    /** Decodes a text that holds exactly one complete request, and checks nothing is left over. */
    static Request decodeRequest(String wire) throws ProtocolException {
        ByteBuffer in = buffer(wire);
        Request r = new RequestDecoder().decode(in);
        assertEquals(0, in.remaining(), "bytes left after the request");
        return r;
    }

    static Response decodeResponse(String wire) throws ProtocolException {
        ByteBuffer in = buffer(wire);
        Response r = new ResponseDecoder().decode(in);
        assertEquals(0, in.remaining(), "bytes left after the response");
        return r;
    }

    static ProtocolException requestRejected(String wire) {
        return assertThrows(ProtocolException.class, () -> new RequestDecoder().decode(buffer(wire)));
    }

    static ProtocolException responseRejected(String wire) {
        return assertThrows(ProtocolException.class, () -> new ResponseDecoder().decode(buffer(wire)));
    }
}
