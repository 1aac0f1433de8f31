package tfobench.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tfobench.protocol.Wire.buffer;
import static tfobench.protocol.Wire.decodeResponse;
import static tfobench.protocol.Wire.response;
import static tfobench.protocol.Wire.responseRejected;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseDecoderTest {
    private static void assertRejected(String message, String wire) {
        ProtocolException e = responseRejected(wire);
        assertEquals(Status.BAD_REQUEST, e.status(), e.getMessage());
        assertEquals(message, e.getMessage());
    }

    @Test
    void decodesTheAnswerToOnePlusOne() throws ProtocolException {
        assertEquals(Response.ok(2, true), decodeResponse("MATH/1.1 200 OK\nResult: 2\nConnection: Keep-Alive\n\n"));
    }

    @Test
    void decodesAnOkResponseThatCloses() throws ProtocolException {
        assertEquals(Response.ok(-9223372036854775808L, false),
                decodeResponse("MATH/1.1 200 OK\r\nResult: -9223372036854775808\r\nConnection: Close\r\n\r\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "MATH/1.1 400 Bad Request           | BAD_REQUEST",
        "MATH/1.1 408 Request Timeout       | REQUEST_TIMEOUT",
        "MATH/1.1 413 Request Too Large     | REQUEST_TOO_LARGE",
        "MATH/1.1 422 Unprocessable         | UNPROCESSABLE",
        "MATH/1.1 505 Version Not Supported | VERSION_NOT_SUPPORTED",
    })
    void decodesEachErrorStatus(String statusLine, Status expected) throws ProtocolException {
        Response r = decodeResponse(response(statusLine, "Error: division by zero", "Connection: Close"));
        assertEquals(Response.error(expected, "division by zero"), r);
        assertFalse(r.isOk());
    }

    @Test
    void keepsTheErrorMessageWithInnerSpacesAndTabs() throws ProtocolException {
        assertEquals("bad  number\tin Operand2",
                decodeResponse(response("MATH/1.1 400 Bad Request", "Error:  bad  number\tin Operand2 ", "Connection: Close")).error());
    }

    @Test
    void headerNamesAreCaseInsensitiveAndUnknownOnesIgnored() throws ProtocolException {
        assertEquals(Response.ok(7, true), decodeResponse(
                response("MATH/1.1 200 OK", "X-Server: tfo-bench", "RESULT: 7", "connection: KEEP-ALIVE")));
    }

    @Test
    void decodesAResponseFedOneByteAtATime() throws ProtocolException {
        byte[] wire = Wire.bytes(Wire.SEED_RESPONSE);
        ResponseDecoder decoder = new ResponseDecoder();
        for (int i = 0; i < wire.length - 1; i++) {
            assertNull(decoder.decode(ByteBuffer.wrap(wire, i, 1)));
            assertTrue(decoder.isMidMessage());
        }
        assertEquals(Response.ok(2, true), decoder.decode(ByteBuffer.wrap(wire, wire.length - 1, 1)));
        assertFalse(decoder.isMidMessage());
    }

    @Test
    void decodesAResponseSplitAtEveryPosition() throws ProtocolException {
        byte[] wire = Wire.bytes(response("MATH/1.1 422 Unprocessable", "Error: division by zero", "Connection: Close")
                .replace("\n", "\r\n"));
        for (int cut = 0; cut < wire.length; cut++) {
            ResponseDecoder decoder = new ResponseDecoder();
            assertNull(decoder.decode(ByteBuffer.wrap(wire, 0, cut)));
            assertEquals(Response.error(Status.UNPROCESSABLE, "division by zero"),
                    decoder.decode(ByteBuffer.wrap(wire, cut, wire.length - cut)), "cut at " + cut);
        }
    }

    @Test
    void decodesPipelinedResponsesInOrder() throws ProtocolException {
        ByteBuffer in = buffer(Wire.SEED_RESPONSE
                + "MATH/1.1 200 OK\nResult: 42\nConnection: Keep-Alive\n\n"
                + "MATH/1.1 422 Unprocessable\nError: division by zero\nConnection: Close\n\n");
        ResponseDecoder decoder = new ResponseDecoder();
        assertEquals(Response.ok(2, true), decoder.decode(in));
        assertEquals(Response.ok(42, true), decoder.decode(in));
        assertEquals(Response.error(Status.UNPROCESSABLE, "division by zero"), decoder.decode(in));
        assertEquals(0, in.remaining());
        assertNull(decoder.decode(in));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MATH/1.0 200 OK", "MATH/2.0 200 OK", "HTTP/1.1 200 OK", "math/1.1 200 OK", "MATH/1.1 200",
        "MATH/1.1  200 OK", "MATH/1.1 20 OK", "MATH/1.1 2000 OK", "MATH/1.1 2x0 OK", "MATH/1.1 200\tOK", "MATH/1.1"})
    void rejectsMalformedStatusLines(String statusLine) {
        assertRejected("malformed status line", response(statusLine, "Result: 2", "Connection: Close"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MATH/1.1 201 OK", "MATH/1.1 404 Not Found", "MATH/1.1 500 Internal Error"})
    void rejectsUnknownStatusCodes(String statusLine) {
        ProtocolException e = responseRejected(response(statusLine, "Error: x", "Connection: Close"));
        assertEquals(Status.BAD_REQUEST, e.status());
        assertTrue(e.getMessage().startsWith("unknown status code "), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"MATH/1.1 200 Ok", "MATH/1.1 200 OK ", "MATH/1.1 200 Bad Request", "MATH/1.1 400 Bad request",
        "MATH/1.1 422 Unprocessable Entity"})
    void rejectsReasonsThatDoNotMatchTheCode(String statusLine) {
        ProtocolException e = responseRejected(response(statusLine, "Result: 2", "Connection: Close"));
        assertEquals(Status.BAD_REQUEST, e.status());
        assertTrue(e.getMessage().startsWith("reason \""), e.getMessage());
    }

    @Test
    void rejectsOkWithoutResult() {
        assertRejected("missing header Result", response("MATH/1.1 200 OK", "Connection: Close"));
    }

    @Test
    void rejectsOkWithAnError() {
        assertRejected("Error header in a 200 response", response("MATH/1.1 200 OK", "Result: 2", "Error: x", "Connection: Close"));
    }

    @Test
    void rejectsErrorWithoutErrorHeader() {
        assertRejected("missing header Error", response("MATH/1.1 400 Bad Request", "Connection: Close"));
    }

    @Test
    void rejectsErrorWithAResult() {
        assertRejected("Result header in an error response",
                response("MATH/1.1 422 Unprocessable", "Error: x", "Result: 0", "Connection: Close"));
    }

    @Test
    void rejectsAnEmptyErrorMessage() {
        assertRejected("empty Error header", response("MATH/1.1 400 Bad Request", "Error:  \t", "Connection: Close"));
    }

    @Test
    void rejectsAResponseWithoutConnection() {
        assertRejected("missing header Connection", response("MATH/1.1 200 OK", "Result: 2"));
        assertRejected("missing header Connection", response("MATH/1.1 400 Bad Request", "Error: x"));
    }

    @Test
    void rejectsAnErrorResponseThatKeepsTheConnection() {
        assertRejected("error response with Connection: Keep-Alive",
                response("MATH/1.1 400 Bad Request", "Error: x", "Connection: Keep-Alive"));
    }

    @ParameterizedTest
    @CsvSource({"Result, Result: 3", "Connection, Connection: Close", "Result, result: 2"})
    void rejectsDuplicateHeaders(String name, String duplicate) {
        assertRejected("duplicate header " + name, response("MATH/1.1 200 OK", "Result: 2", "Connection: Close", duplicate));
    }

    @Test
    void rejectsADuplicateError() {
        assertRejected("duplicate header Error", response("MATH/1.1 400 Bad Request", "Error: a", "Error: b", "Connection: Close"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2.0", "0x2", "9223372036854775808", "two", "+-2"})
    void rejectsResultsThatAreNotSigned64BitDecimals(String result) {
        assertRejected("bad number in Result", response("MATH/1.1 200 OK", "Result: " + result, "Connection: Close"));
    }

    @Test
    void rejectsBadConnectionValues() {
        assertRejected("bad Connection value \"maybe\"", response("MATH/1.1 200 OK", "Result: 2", "Connection: maybe"));
    }

    @Test
    void rejectsLineSyntaxErrorsLikeTheRequestDecoder() {
        assertRejected("header line without colon", response("MATH/1.1 200 OK", "Result 2", "Connection: Close"));
        assertRejected("bare CR in header block", "MATH/1.1 200 OK\rResult: 2\n");
        assertRejected("NUL byte 0x00 in header block", response("MATH/1.1 200 OK", "Result: 2\u0000", "Connection: Close"));
    }

    @Test
    void rejectsAnOversizedResponseWithRequestTooLarge() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> new ResponseDecoder(64).decode(
                buffer(response("MATH/1.1 200 OK", "Result: 2", "X-Pad: " + "p".repeat(40), "Connection: Close"))));
        assertEquals(Status.REQUEST_TOO_LARGE, e.status());
        assertEquals("header block exceeds 64 bytes", e.getMessage());
    }

    @Test
    void acceptsAResponseOfExactlyTheLimit() throws ProtocolException {
        String wire = Wire.SEED_RESPONSE;
        assertEquals(Response.ok(2, true), new ResponseDecoder(wire.length()).decode(buffer(wire)));
        assertEquals(Status.REQUEST_TOO_LARGE, assertThrows(ProtocolException.class,
                () -> new ResponseDecoder(wire.length() - 1).decode(buffer(wire))).status());
    }

    @Test
    void isDeadAfterAnErrorAndReusableAfterReset() throws ProtocolException {
        ResponseDecoder decoder = new ResponseDecoder();
        assertThrows(ProtocolException.class, () -> decoder.decode(buffer("HTTP/1.1 200 OK\n\n")));
        assertThrows(IllegalStateException.class, () -> decoder.decode(buffer(Wire.SEED_RESPONSE)));
        decoder.reset();
        assertEquals(Response.ok(2, true), decoder.decode(buffer(Wire.SEED_RESPONSE)));
    }

}
