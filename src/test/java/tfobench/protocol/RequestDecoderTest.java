package tfobench.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tfobench.protocol.Wire.buffer;
import static tfobench.protocol.Wire.decodeRequest;
import static tfobench.protocol.Wire.request;
import static tfobench.protocol.Wire.requestRejected;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestDecoderTest {
    private static final Request ONE_PLUS_ONE = new Request(1, Operator.ADD, 1, true);

    private static void assertRejected(Status status, String message, String wire) {
        ProtocolException e = requestRejected(wire);
        assertEquals(status, e.status(), e.getMessage());
        assertEquals(message, e.getMessage());
    }

    // --- the seed, line ends, framing ---

    @Test
    void decodesTheSeedRequest() throws ProtocolException {
        assertEquals(79, Wire.bytes(Wire.SEED_REQUEST).length);
        assertEquals(ONE_PLUS_ONE, decodeRequest(Wire.SEED_REQUEST));
    }

    @Test
    void seedRequestRoundTripsByteForByte() throws ProtocolException {
        assertArrayEquals(Wire.bytes(Wire.SEED_REQUEST), RequestEncoder.encode(decodeRequest(Wire.SEED_REQUEST)));
    }

    @Test
    void acceptsCrlfLineEnds() throws ProtocolException {
        assertEquals(ONE_PLUS_ONE, decodeRequest(Wire.SEED_REQUEST.replace("\n", "\r\n")));
    }

    @Test
    void acceptsMixedLineEnds() throws ProtocolException {
        assertEquals(ONE_PLUS_ONE, decodeRequest(
                "CALCULATE MATH/1.1\r\nOperand1: 1\nOperator: +\r\nOperand2: 1\nConnection: Keep-Alive\r\n\n"));
        assertEquals(ONE_PLUS_ONE, decodeRequest(
                "CALCULATE MATH/1.1\nOperand1: 1\r\nOperator: +\nOperand2: 1\r\nConnection: Keep-Alive\n\r\n"));
    }

    @Test
    void skipsEmptyLinesBeforeTheRequestLine() throws ProtocolException {
        assertEquals(ONE_PLUS_ONE, decodeRequest("\n\r\n\n" + Wire.SEED_REQUEST));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Operand1: 1\r2", "Operand1: 1\r\r\n", "Operand1\r: 1"})
    void rejectsBareCrInsideTheBlockWith400(String line) {
        assertRejected(Status.BAD_REQUEST, "bare CR in header block",
                request(line, "Operator: +", "Operand2: 1"));
    }

    @Test
    void rejectsBareCrBeforeTheRequestLineWith400() {
        assertRejected(Status.BAD_REQUEST, "bare CR in header block", "\r" + Wire.SEED_REQUEST);
    }

    @Test
    void rejectsBareCrAtTheEndOfTheRequestLineWith400() {
        assertRejected(Status.BAD_REQUEST, "bare CR in header block", "CALCULATE MATH/1.1\rOperand1: 1\n");
    }

    @Test
    void decodesAMessageFedOneByteAtATime() throws ProtocolException {
        byte[] wire = Wire.bytes(Wire.SEED_REQUEST.replace("Operand2: 1", "Operand2: -31"));
        RequestDecoder decoder = new RequestDecoder();
        for (int i = 0; i < wire.length - 1; i++) {
            ByteBuffer one = ByteBuffer.wrap(wire, i, 1);
            assertNull(decoder.decode(one), "complete after byte " + i);
            assertEquals(0, one.remaining());
            assertTrue(decoder.isMidMessage());
        }
        assertEquals(new Request(1, Operator.ADD, -31, true), decoder.decode(ByteBuffer.wrap(wire, wire.length - 1, 1)));
        assertFalse(decoder.isMidMessage());
    }

    @Test
    void decodesAMessageSplitAtEveryPosition() throws ProtocolException {
        byte[] wire = Wire.bytes(Wire.SEED_REQUEST.replace("\n", "\r\n"));
        for (int cut = 0; cut <= wire.length; cut++) {
            RequestDecoder decoder = new RequestDecoder();
            Request first = decoder.decode(ByteBuffer.wrap(wire, 0, cut));
            if (cut < wire.length) {
                assertNull(first, "complete after " + cut + " bytes");
                assertEquals(ONE_PLUS_ONE, decoder.decode(ByteBuffer.wrap(wire, cut, wire.length - cut)), "cut at " + cut);
            } else {
                assertEquals(ONE_PLUS_ONE, first);
            }
        }
    }

    @Test
    void decodesAMessageSplitAtEveryPairOfPositions() throws ProtocolException {
        byte[] wire = Wire.bytes(Wire.SEED_REQUEST);
        for (int a = 0; a < wire.length; a++) {
            for (int b = a; b < wire.length; b++) {
                RequestDecoder decoder = new RequestDecoder();
                assertNull(decoder.decode(ByteBuffer.wrap(wire, 0, a)));
                assertNull(decoder.decode(ByteBuffer.wrap(wire, a, b - a)));
                assertEquals(ONE_PLUS_ONE, decoder.decode(ByteBuffer.wrap(wire, b, wire.length - b)), a + "/" + b);
            }
        }
    }

    @Test
    void decodesPipelinedRequestsInOrderLeavingTheRestInTheBuffer() throws ProtocolException {
        String second = "CALCULATE MATH/1.1\r\nOperand1: 6\r\nOperator: *\r\nOperand2: 7\r\n\r\n";
        String third = request("Operand1: 9", "Operator: %", "Operand2: 4", "Connection: keep-alive");
        String all = Wire.SEED_REQUEST + second + third;
        ByteBuffer in = buffer(all.substring(0, all.length() - 5));
        RequestDecoder decoder = new RequestDecoder();

        assertEquals(ONE_PLUS_ONE, decoder.decode(in));
        assertEquals(79, in.position());
        assertFalse(decoder.isMidMessage());
        assertEquals(new Request(6, Operator.MULTIPLY, 7, false), decoder.decode(in));
        assertEquals(79 + second.length(), in.position());
        assertNull(decoder.decode(in));
        assertTrue(decoder.isMidMessage());
        assertEquals(new Request(9, Operator.REMAINDER, 4, true), decoder.decode(buffer(all.substring(all.length() - 5))));
    }

    @Test
    void returnsTheGoodRequestBeforeAMalformedOneBehindIt() throws ProtocolException {
        ByteBuffer in = buffer(Wire.SEED_REQUEST + "GARBAGE\n");
        RequestDecoder decoder = new RequestDecoder();
        assertEquals(ONE_PLUS_ONE, decoder.decode(in));
        assertEquals(Status.BAD_REQUEST, assertThrows(ProtocolException.class, () -> decoder.decode(in)).status());
    }

    @Test
    void decodesFromADirectBuffer() throws ProtocolException {
        byte[] wire = Wire.bytes(Wire.SEED_REQUEST);
        ByteBuffer in = ByteBuffer.allocateDirect(wire.length);
        in.put(wire).flip();
        assertEquals(ONE_PLUS_ONE, new RequestDecoder().decode(in));
        assertEquals(0, in.remaining());
    }

    @Test
    void returnsNullForAnEmptyBuffer() throws ProtocolException {
        RequestDecoder decoder = new RequestDecoder();
        assertNull(decoder.decode(ByteBuffer.allocate(0)));
        assertFalse(decoder.isMidMessage());
    }

    // --- request line ---

    @ParameterizedTest
    @ValueSource(strings = {"GET MATH/1.1", "GET / HTTP/1.1", "calculate MATH/1.1", "COMPUTE MATH/1.1"})
    void rejectsOtherMethodsWith400(String line) {
        ProtocolException e = requestRejected(line + "\nOperand1: 1\nOperator: +\nOperand2: 1\n\n");
        assertEquals(Status.BAD_REQUEST, e.status());
        assertTrue(e.getMessage().startsWith("unknown method \""), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"CALCULATE", "CALCULATE ", "CALCULATE  MATH/1.1", "CALCULATE MATH/1.1 ",
        " CALCULATE MATH/1.1", "CALCULATE\tMATH/1.1", "CALCULATE HTTP/1.1", "CALCULATE math/1.1", "CALCULATE MATH/1",
        "CALCULATE MATH/1.", "CALCULATE MATH/.1", "CALCULATE MATH/1.x", "CALCULATE MATH/1.1.1", "CALCULATE MATH/ 1.1",
        "CALCULATE MATH/-1.1", "CALCULATE MATH", "X"})
    void rejectsMalformedRequestLinesWith400(String line) {
        assertRejected(Status.BAD_REQUEST, "malformed request line",
                line + "\nOperand1: 1\nOperator: +\nOperand2: 1\n\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"MATH/2.0", "MATH/1.0", "MATH/1.2", "MATH/0.9", "MATH/10.1", "MATH/01.1"})
    void rejectsOtherWellFormedVersionsWith505(String version) {
        assertRejected(Status.VERSION_NOT_SUPPORTED, "version \"" + version + "\" not supported, only MATH/1.1",
                "CALCULATE " + version + "\nOperand1: 1\nOperator: +\nOperand2: 1\n\n");
    }

    @Test
    void rejectsTheVersionAsSoonAsTheRequestLineEnds() {
        assertEquals(Status.VERSION_NOT_SUPPORTED, requestRejected("CALCULATE MATH/2.0\n").status());
    }

    // --- bytes ---

    @ParameterizedTest
    @CsvSource({
        "0, NUL byte 0x00 in header block",
        "1, control byte 0x01 in header block",
        "11, control byte 0x0B in header block",
        "27, control byte 0x1B in header block",
        "127, control byte 0x7F in header block",
        "128, non-ASCII byte 0x80 in header block",
        "195, non-ASCII byte 0xC3 in header block",
        "255, non-ASCII byte 0xFF in header block",
    })
    void rejectsControlAndNonAsciiBytesWith400(int value, String message) {
        String bad = String.valueOf((char) value);
        assertRejected(Status.BAD_REQUEST, message, request("Operand1: 1" + bad, "Operator: +", "Operand2: 1"));
        assertRejected(Status.BAD_REQUEST, message, request("X-Note: a" + bad + "b", "Operand1: 1", "Operator: +", "Operand2: 1"));
        assertRejected(Status.BAD_REQUEST, message, "CALCULATE MATH/1.1" + bad + "\n");
        assertRejected(Status.BAD_REQUEST, message, "\n" + bad);
    }

    // --- headers ---

    @Test
    void headerNamesAreCaseInsensitive() throws ProtocolException {
        assertEquals(new Request(8, Operator.SUBTRACT, 3, true), decodeRequest(
                request("OPERAND1: 8", "operator: -", "oPeRaNd2: 3", "CONNECTION: Keep-Alive")));
    }

    @Test
    void headersMayComeInAnyOrder() throws ProtocolException {
        assertEquals(new Request(8, Operator.DIVIDE, 3, true), decodeRequest(
                request("Connection: Keep-Alive", "Operand2: 3", "Operator: /", "Operand1: 8")));
    }

    @Test
    void ignoresUnknownHeaders() throws ProtocolException {
        assertEquals(ONE_PLUS_ONE, decodeRequest(request("X-Trace: abc:def", "Operand1: 1", "Content-Length: 12",
                "Operator: +", "Operand:", "Operand2: 1", "Operand22: 9", "Connection: Keep-Alive", "Connection2: no")));
    }

    @Test
    void trimsSpacesAndTabsAroundValues() throws ProtocolException {
        assertEquals(new Request(12, Operator.MULTIPLY, -4, true), decodeRequest(
                request("Operand1:\t 12 \t", "Operator:*", "Operand2:   -4", "Connection: \tkeep-alive  ")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Operand1 1", "Operand1", "Operand1=1", "Operand1 - 1"})
    void rejectsHeaderLinesWithoutColonWith400(String line) {
        assertRejected(Status.BAD_REQUEST, "header line without colon", request(line, "Operator: +", "Operand2: 1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Operand1 : 1", " Operand1: 1", "\tOperand1: 1", "Oper_and1: 1", "Operand1.: 1", "Ope rand1: 1"})
    void rejectsNamesThatAreNotTokensWith400(String line) {
        ProtocolException e = requestRejected(request(line, "Operator: +", "Operand2: 1"));
        assertEquals(Status.BAD_REQUEST, e.status());
        assertTrue(e.getMessage().startsWith("bad header name \""), e.getMessage());
    }

    @Test
    void rejectsAnEmptyHeaderNameWith400() {
        assertRejected(Status.BAD_REQUEST, "empty header name", request(": 1", "Operand1: 1", "Operator: +", "Operand2: 1"));
    }

    @Test
    void rejectsMissingOperand1With400() {
        assertRejected(Status.BAD_REQUEST, "missing header Operand1", request("Operator: +", "Operand2: 1"));
    }

    @Test
    void rejectsMissingOperatorWith400() {
        assertRejected(Status.BAD_REQUEST, "missing header Operator", request("Operand1: 1", "Operand2: 1"));
    }

    @Test
    void rejectsMissingOperand2With400() {
        assertRejected(Status.BAD_REQUEST, "missing header Operand2", request("Operand1: 1", "Operator: +"));
    }

    @Test
    void rejectsARequestWithNoHeadersWith400() {
        assertRejected(Status.BAD_REQUEST, "missing header Operand1", "CALCULATE MATH/1.1\n\n");
    }

    @ParameterizedTest
    @CsvSource({"Operand1, Operand1: 5", "Operand1, operand1: 1", "Operator, OPERATOR: +", "Operand2, Operand2: 1",
        "Connection, Connection: Keep-Alive", "Connection, connection: close"})
    void rejectsDuplicateHeadersWith400(String name, String duplicate) {
        assertRejected(Status.BAD_REQUEST, "duplicate header " + name,
                request("Operand1: 1", "Operator: +", "Operand2: 1", "Connection: Keep-Alive", duplicate));
    }

    @Test
    void connectionValuesAreCaseInsensitive() throws ProtocolException {
        assertTrue(decodeRequest(request("Operand1: 1", "Operator: +", "Operand2: 1", "Connection: KEEP-ALIVE")).keepAlive());
        assertTrue(decodeRequest(request("Operand1: 1", "Operator: +", "Operand2: 1", "Connection: keep-alive")).keepAlive());
        assertFalse(decodeRequest(request("Operand1: 1", "Operator: +", "Operand2: 1", "Connection: close")).keepAlive());
        assertFalse(decodeRequest(request("Operand1: 1", "Operator: +", "Operand2: 1", "Connection: Close")).keepAlive());
    }

    @Test
    void missingConnectionMeansClose() throws ProtocolException {
        assertEquals(new Request(1, Operator.ADD, 1, false), decodeRequest(request("Operand1: 1", "Operator: +", "Operand2: 1")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Upgrade", "", "keepalive", "Keep-Alive, Close", "Keep Alive", "Closed", "close!"})
    void rejectsOtherConnectionValuesWith400(String value) {
        ProtocolException e = requestRejected(request("Operand1: 1", "Operator: +", "Operand2: 1", "Connection: " + value));
        assertEquals(Status.BAD_REQUEST, e.status());
        assertEquals("bad Connection value \"" + value + "\"", e.getMessage());
    }

    // --- operators and numbers ---

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"+|ADD", "-|SUBTRACT", "*|MULTIPLY", "/|DIVIDE", "%|REMAINDER"})
    void decodesEachOperator(String symbol, Operator expected) throws ProtocolException {
        assertEquals(new Request(9, expected, 4, false),
                decodeRequest(request("Operand1: 9", "Operator: " + symbol, "Operand2: 4")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"^", "x", "++", "+ -", "", "plus", "\u00f7"})
    void rejectsUnknownOperatorsWith400(String op) {
        ProtocolException e = requestRejected(request("Operand1: 1", "Operator: " + op, "Operand2: 1"));
        assertEquals(Status.BAD_REQUEST, e.status());
        if (op.chars().allMatch(c -> c < 0x80)) {
            assertEquals("unknown operator \"" + op + "\"", e.getMessage());
        }
    }

    @Test
    void namesTheUnknownOperator() {
        assertRejected(Status.BAD_REQUEST, "unknown operator \"^\"", request("Operand1: 2", "Operator: ^", "Operand2: 3"));
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "9223372036854775807|9223372036854775807",
        "-9223372036854775808|-9223372036854775808",
        "+9223372036854775807|9223372036854775807",
        "9223372036854775806|9223372036854775806",
        "1000000000000000000|1000000000000000000",
        "0000000000000000007|7",
        "-0000000000000000007|-7",
        "+5|5",
        "-0|0",
        "+0|0",
        "0|0",
        "'  1'|1",
        "'1  '|1",
        "-42|-42",
    })
    void parsesSigned64BitDecimalOperands(String text, long expected) throws ProtocolException {
        assertEquals(new Request(expected, Operator.ADD, expected, false),
                decodeRequest(request("Operand1: " + text, "Operator: +", "Operand2: " + text)));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"9223372036854775808", "-9223372036854775809", "9999999999999999999",
        "00000000000000000001", "99999999999999999999", "-00000000000000000001", "18446744073709551616",
        "1.5", "1.0", "0x10", "1e3", "", "1 2", "- 1", "--1", "+-1", "-", "+", "++1", "1-", "one", "1_000", "1,000", "\t"})
    void rejectsOperandsThatAreNotSigned64BitDecimalsWith400(String text) {
        assertRejected(Status.BAD_REQUEST, "bad number in Operand1", request("Operand1: " + text, "Operator: +", "Operand2: 1"));
        assertRejected(Status.BAD_REQUEST, "bad number in Operand2", request("Operand1: 1", "Operator: +", "Operand2: " + text));
    }

    // --- size limit ---

    /** A complete request, LF or CRLF line ends, padded with an unknown header to exactly {@code size} bytes. */
    private static String requestOfSize(int size, String eol) {
        String head = "CALCULATE MATH/1.1" + eol + "Operand1: 1" + eol + "Operator: +" + eol + "Operand2: 1" + eol + "X-Pad: ";
        String tail = eol + eol;
        String pad = "p".repeat(size - head.length() - tail.length());
        String wire = head + pad + tail;
        assertEquals(size, wire.length());
        return wire;
    }

    @Test
    void acceptsAHeaderBlockOfExactlyTheLimit() throws ProtocolException {
        assertEquals(new Request(1, Operator.ADD, 1, false), decodeRequest(requestOfSize(1024, "\n")));
        assertEquals(new Request(1, Operator.ADD, 1, false), decodeRequest(requestOfSize(1024, "\r\n")));
    }

    @Test
    void rejectsAHeaderBlockOfTheLimitPlusOneWith413() {
        assertRejected(Status.REQUEST_TOO_LARGE, "header block exceeds 1024 bytes", requestOfSize(1025, "\n"));
        assertRejected(Status.REQUEST_TOO_LARGE, "header block exceeds 1024 bytes", requestOfSize(1025, "\r\n"));
    }

    @Test
    void appliesAConfiguredLimit() throws ProtocolException {
        assertEquals(new Request(1, Operator.ADD, 1, false), new RequestDecoder(100).decode(buffer(requestOfSize(100, "\n"))));
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> new RequestDecoder(100).decode(buffer(requestOfSize(101, "\n"))));
        assertEquals(Status.REQUEST_TOO_LARGE, e.status());
        assertEquals("header block exceeds 100 bytes", e.getMessage());
    }

    @Test
    void rejectsOneHugeLineWith413AfterReadingOnlyOneByteOverTheLimit() {
        ByteBuffer in = buffer("CALCULATE MATH/1.1\nX-Huge: " + "h".repeat(100_000));
        ProtocolException e = assertThrows(ProtocolException.class, () -> new RequestDecoder().decode(in));
        assertEquals(Status.REQUEST_TOO_LARGE, e.status());
        assertEquals(1025, in.position());
    }

    @Test
    void rejectsAHugeRequestLineWith413() {
        assertEquals(Status.REQUEST_TOO_LARGE, requestRejected("CALCULATE " + "M".repeat(2000)).status());
    }

    @Test
    void detectsTheLimitOnTheFirstByteOverItAcrossCalls() throws ProtocolException {
        String wire = requestOfSize(1025, "\n");
        RequestDecoder decoder = new RequestDecoder();
        assertNull(decoder.decode(buffer(wire.substring(0, 1024))));
        ProtocolException e = assertThrows(ProtocolException.class, () -> decoder.decode(buffer(wire.substring(1024))));
        assertEquals(Status.REQUEST_TOO_LARGE, e.status());
    }

    @Test
    void countsUnknownHeadersTowardTheLimit() {
        String many = "X-A: 1\n".repeat(200);
        assertEquals(Status.REQUEST_TOO_LARGE,
                requestRejected("CALCULATE MATH/1.1\nOperand1: 1\nOperator: +\nOperand2: 1\n" + many + "\n").status());
    }

    @Test
    void emptyLinesBeforeTheRequestLineDoNotCountTowardTheBlock() throws ProtocolException {
        assertEquals(new Request(1, Operator.ADD, 1, false), decodeRequest("\r\n".repeat(400) + requestOfSize(1024, "\n")));
    }

    @Test
    void rejectsEndlessEmptyLinesWith413() {
        ByteBuffer in = buffer("\n".repeat(5000));
        ProtocolException e = assertThrows(ProtocolException.class, () -> new RequestDecoder().decode(in));
        assertEquals(Status.REQUEST_TOO_LARGE, e.status());
        assertEquals("empty lines before start line exceed 1024 bytes", e.getMessage());
        assertEquals(1025, in.position());
    }

    @Test
    void limitAppliesToEachPipelinedRequestSeparately() throws ProtocolException {
        String one = requestOfSize(1024, "\n");
        ByteBuffer in = buffer(one + one + one);
        RequestDecoder decoder = new RequestDecoder();
        for (int i = 0; i < 3; i++) {
            assertEquals(new Request(1, Operator.ADD, 1, false), decoder.decode(in));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void refusesANonPositiveLimit(int limit) {
        assertThrows(IllegalArgumentException.class, () -> new RequestDecoder(limit));
    }

    // --- state ---

    @Test
    void isMidMessageOnlyOnceARequestHasBegun() throws ProtocolException {
        RequestDecoder decoder = new RequestDecoder();
        assertFalse(decoder.isMidMessage());
        assertNull(decoder.decode(buffer("\r\n\n")));
        assertFalse(decoder.isMidMessage(), "empty lines alone are not a truncated request");
        assertNull(decoder.decode(buffer("C")));
        assertTrue(decoder.isMidMessage());
        assertEquals(ONE_PLUS_ONE, decoder.decode(buffer(Wire.SEED_REQUEST.substring(1))));
        assertFalse(decoder.isMidMessage());
    }

    @Test
    void hasPartialInputFromTheFirstByteAfterARequestEmptyLinesIncluded() throws ProtocolException {
        RequestDecoder decoder = new RequestDecoder();
        assertFalse(decoder.hasPartialInput());
        assertNull(decoder.decode(buffer("\r")));
        assertTrue(decoder.hasPartialInput(), "a CR waiting for its LF");
        assertNull(decoder.decode(buffer("\n\n")));
        assertTrue(decoder.hasPartialInput(), "empty lines are on their way to a request (and bounded like one)");
        assertFalse(decoder.isMidMessage());
        assertEquals(ONE_PLUS_ONE, decoder.decode(buffer(Wire.SEED_REQUEST)));
        assertFalse(decoder.hasPartialInput(), "complete: nothing is arriving");
        assertNull(decoder.decode(buffer("CALC")));
        assertTrue(decoder.hasPartialInput());
        decoder.reset();
        assertFalse(decoder.hasPartialInput());
    }

    @Test
    void isDeadAfterAnErrorUntilReset() {
        RequestDecoder decoder = new RequestDecoder();
        assertThrows(ProtocolException.class, () -> decoder.decode(buffer("GET / HTTP/1.1\n\n")));
        assertThrows(IllegalStateException.class, () -> decoder.decode(buffer(Wire.SEED_REQUEST)));
    }

    @Test
    void isReusableAfterReset() throws ProtocolException {
        RequestDecoder decoder = new RequestDecoder();
        assertThrows(ProtocolException.class, () -> decoder.decode(buffer(request("Operand1: x"))));
        decoder.reset();
        assertFalse(decoder.isMidMessage());
        assertEquals(ONE_PLUS_ONE, decoder.decode(buffer(Wire.SEED_REQUEST)));
    }

    @Test
    void resetDiscardsAPartialRequest() throws ProtocolException {
        RequestDecoder decoder = new RequestDecoder();
        assertNull(decoder.decode(buffer("CALCULATE MATH/1.1\nOperand1: 5\nOperator: *\r")));
        decoder.reset();
        assertFalse(decoder.isMidMessage());
        assertEquals(ONE_PLUS_ONE, decoder.decode(buffer(Wire.SEED_REQUEST)));
    }

    @Test
    void forgetsTheHeadersOfThePreviousRequest() throws ProtocolException {
        RequestDecoder decoder = new RequestDecoder();
        assertEquals(ONE_PLUS_ONE, decoder.decode(buffer(Wire.SEED_REQUEST)));
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> decoder.decode(buffer(request("Operand1: 2", "Operator: +"))));
        assertEquals("missing header Operand2", e.getMessage());
        RequestDecoder fresh = new RequestDecoder();
        assertEquals(ONE_PLUS_ONE, fresh.decode(buffer(Wire.SEED_REQUEST)));
        assertFalse(fresh.decode(buffer(request("Operand1: 1", "Operator: +", "Operand2: 1"))).keepAlive(),
                "keep-alive of the previous request leaked into the next");
    }

}
