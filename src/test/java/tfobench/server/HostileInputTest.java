package tfobench.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tfobench.Transport;
import tfobench.protocol.Operator;
import tfobench.protocol.Request;
import tfobench.protocol.RequestEncoder;
import tfobench.protocol.Response;
import tfobench.protocol.Status;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.Loopback;
import tfobench.testing.ProcessResources;
import tfobench.testing.RawConnection;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input against both servers over raw sockets. Every case gets its documented error status (docs/PROTOCOL.md)
 * or a clean close within the idle timeout; afterwards the server still answers a good request, and its
 * descriptors, threads, heap and Netty direct memory are what they were before the case. The figures of every
 * case go to target/test-figures/hostile-input.txt.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HostileInputTest {
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(500);
    private static final Duration PROMPTLY = ServerUnderTest.PROMPTLY;
    private static final String HALF_REQUEST = "CALCULATE MATH/1.1\nOperand1: 1\nOpera";

    private ServerUnderTest server;

    @BeforeAll
    static void privateNamespace() {
        FastOpenNamespace.require();
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** One malformed or uncomputable request and the answer docs/PROTOCOL.md gives it. */
    record BadInput(String name, byte[] bytes, Status status, String errorContains) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> badInputs() {
        List<BadInput> inputs = List.of(
                bad("empty request (request line, no headers)", "CALCULATE MATH/1.1\n\n", Status.BAD_REQUEST,
                        "missing header Operand1"),
                new BadInput("random bytes", randomBytes(512, 6), Status.BAD_REQUEST, ""),
                new BadInput("NUL bytes", new byte[64], Status.BAD_REQUEST, "NUL byte"),
                bad("NUL byte inside a header", "CALCULATE MATH/1.1\nOperand1: 1\0\nOperator: +\nOperand2: 1\n\n",
                        Status.BAD_REQUEST, "NUL byte"),
                bad("missing header", request("Operand1: 1", "Operator: +"), Status.BAD_REQUEST,
                        "missing header Operand2"),
                bad("duplicate header", request("Operand1: 1", "Operator: +", "Operand2: 1", "OPERAND1: 2"),
                        Status.BAD_REQUEST, "duplicate header Operand1"),
                bad("line without a colon", request("Operand1 1", "Operator: +", "Operand2: 1"),
                        Status.BAD_REQUEST, "without colon"),
                bad("wrong method", "GET MATH/1.1\nOperand1: 1\nOperator: +\nOperand2: 1\n\n", Status.BAD_REQUEST,
                        "unknown method"),
                bad("wrong protocol", "CALCULATE HTTP/1.1\nOperand1: 1\nOperator: +\nOperand2: 1\n\n",
                        Status.BAD_REQUEST, "malformed request line"),
                bad("wrong version", "CALCULATE MATH/2.0\nOperand1: 1\nOperator: +\nOperand2: 1\n\n",
                        Status.VERSION_NOT_SUPPORTED, "not supported"),
                bad("non-numeric operand", request("Operand1: one", "Operator: +", "Operand2: 1"),
                        Status.BAD_REQUEST, "bad number in Operand1"),
                bad("decimal operand", request("Operand1: 1", "Operator: +", "Operand2: 1.5"), Status.BAD_REQUEST,
                        "bad number in Operand2"),
                bad("unknown operator", request("Operand1: 1", "Operator: ^", "Operand2: 1"), Status.BAD_REQUEST,
                        "unknown operator"),
                bad("number far out of range", request("Operand1: 99999999999999999999999999999999", "Operator: +",
                        "Operand2: 1"), Status.BAD_REQUEST, "bad number in Operand1"),
                bad("number one past the range", request("Operand1: 9223372036854775808", "Operator: -",
                        "Operand2: 1"), Status.BAD_REQUEST, "bad number in Operand1"),
                bad("division by zero", request("Operand1: 1", "Operator: /", "Operand2: 0"), Status.UNPROCESSABLE,
                        "division by zero"),
                bad("remainder by zero", request("Operand1: 1", "Operator: %", "Operand2: 0"),
                        Status.UNPROCESSABLE, "division by zero"),
                bad("overflow", request("Operand1: 9223372036854775807", "Operator: *", "Operand2: 2"),
                        Status.UNPROCESSABLE, "overflows"),
                bad("overflow of MIN / -1", request("Operand1: -9223372036854775808", "Operator: /",
                        "Operand2: -1"), Status.UNPROCESSABLE, "overflows"),
                bad("bad Connection value", request("Operand1: 1", "Operator: +", "Operand2: 1",
                        "Connection: forever"), Status.BAD_REQUEST, "bad Connection value"),
                bad("bare CR", "CALCULATE MATH/1.1\rOperand1: 1\n", Status.BAD_REQUEST, "bare CR"),
                new BadInput("non-ASCII byte", concat(ascii("CALCULATE MATH/1.1\nOperand1: "),
                        new byte[] {(byte) 0xFF}), Status.BAD_REQUEST, "non-ASCII"),
                bad("oversize header block (one 2000-byte header)", request("Operand1: 1", "Operator: +",
                        "Operand2: 1", "X-Padding: " + "x".repeat(2000)), Status.REQUEST_TOO_LARGE, "exceeds 1024"),
                new BadInput("100,000 headers (1.5 MB)", manyHeaders(100_000), Status.REQUEST_TOO_LARGE,
                        "exceeds 1024"),
                bad("request line that never ends", "CALCULATE".repeat(1_000), Status.REQUEST_TOO_LARGE,
                        "exceeds 1024"),
                bad("endless empty lines", "\n".repeat(5_000), Status.REQUEST_TOO_LARGE, "empty lines"));
        List<Arguments> all = new ArrayList<>();
        for (Transport transport : Transport.values()) {
            for (BadInput input : inputs) {
                all.add(Arguments.of(transport, input));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badInputs")
    void answersBadInputWithItsDocumentedStatusThenClosesAndKeepsServing(Transport transport, BadInput input)
            throws Exception {
        start(transport);
        RawConnection.Received received;
        try (RawConnection c = RawConnection.open(server.address())) {
            received = c.send(input.bytes()).readUntilClosed(PROMPTLY);
        }
        assertNotEquals(RawConnection.End.STILL_OPEN, received.end(), "the server closes after an error");
        assertTrue(received.millis() < IDLE_TIMEOUT.toMillis(),
                "closed at once, not at the idle timeout: " + received.millis() + " ms");
        List<Response> responses = received.responses();
        assertEquals(1, responses.size(), received.text());
        Response answer = responses.get(0);
        assertEquals(input.status(), answer.status(), received.text());
        assertTrue(answer.error().contains(input.errorContains()), received.text());
        assertEquals(false, answer.keepAlive());
        server.finish(input.name(), answer.status().code() + " in " + received.millis() + " ms, " + received.end());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void ignoresUnknownHeadersAsDocumented(Transport transport) throws Exception {
        start(transport);
        RawConnection.Received received;
        try (RawConnection c = RawConnection.open(server.address())) {
            received = c.send(ascii(request("X-Forwarded-For: 10.0.0.1", "Operand1: 20", "X-Empty:", "Operator: +",
                    "Operand2: 22", "Connection: Close"))).readUntilClosed(PROMPTLY);
        }
        assertEquals(List.of(Response.ok(42, false)), received.responses());
        assertEquals(RawConnection.End.EOF, received.end());
        server.finish("unknown headers", "200 Result: 42");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void nothingSentThenEndOfStreamIsClosedWithoutAnAnswer(Transport transport) throws Exception {
        start(transport);
        RawConnection.Received received;
        try (RawConnection c = RawConnection.open(server.address())) {
            received = c.halfClose().readUntilClosed(PROMPTLY);
        }
        assertEquals(RawConnection.End.EOF, received.end());
        assertEquals(0, received.bytes().length, received.text());
        assertTrue(received.millis() < IDLE_TIMEOUT.toMillis(), received.millis() + " ms");
        server.finish("nothing sent, then EOF", "closed in " + received.millis() + " ms, no answer");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void emptyLinesThenEndOfStreamAreNotARequest(Transport transport) throws Exception {
        start(transport);
        RawConnection.Received received;
        try (RawConnection c = RawConnection.open(server.address())) {
            received = c.send(ascii("\n\r\n\n")).halfClose().readUntilClosed(PROMPTLY);
        }
        assertEquals(RawConnection.End.EOF, received.end());
        assertEquals(0, received.bytes().length, received.text());
        server.finish("empty lines, then EOF", "closed in " + received.millis() + " ms, no answer");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void requestSentOneByteAtATimeIsAnswered(Transport transport) throws Exception {
        start(transport);
        RawConnection.Received received;
        try (RawConnection c = RawConnection.open(server.address())) {
            received = c.sendOneByteAtATime(RequestEncoder.encode(new Request(-7, Operator.REMAINDER, 3, false)))
                    .readUntilClosed(PROMPTLY);
        }
        assertEquals(List.of(Response.ok(-1, false)), received.responses());
        assertEquals(RawConnection.End.EOF, received.end());
        server.finish("one byte at a time", "200 Result: -1");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void fiftyPipelinedRequestsInOneWriteAreAnsweredInOrder(Transport transport) throws Exception {
        start(transport);
        ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
        List<Response> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            boolean last = i == 49;
            pipelined.writeBytes(RequestEncoder.encode(new Request(1_000, Operator.ADD, i, !last)));
            expected.add(Response.ok(1_000 + i, !last));
        }
        RawConnection.Received received;
        try (RawConnection c = RawConnection.open(server.address())) {
            received = c.send(pipelined.toByteArray()).readUntilClosed(PROMPTLY);
        }
        assertEquals(expected, received.responses());
        assertEquals(RawConnection.End.EOF, received.end());
        server.finish("50 pipelined requests in one write", "50 answers in order in " + received.millis() + " ms");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void halfRequestThenSilenceIsClosedAtIdleTimeoutWhileOthersAreServed(Transport transport) throws Exception {
        start(transport);
        RawConnection.Received received;
        try (RawConnection silent = RawConnection.open(server.address())) {
            silent.send(ascii(HALF_REQUEST));
            // While that connection waits, another client is served.
            server.goodRequestMillis();
            received = silent.readUntilClosed(IDLE_TIMEOUT.multipliedBy(10));
        }
        assertNotEquals(RawConnection.End.STILL_OPEN, received.end());
        assertEquals(0, received.bytes().length, "a truncated request is not answered: " + received.text());
        assertClosedAtIdleTimeout(received.millis());
        server.finish("half a request, then silence", "closed after " + received.millis() + " ms");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void silentConnectionIsClosedAtIdleTimeout(Transport transport) throws Exception {
        start(transport);
        RawConnection.Received received;
        try (RawConnection silent = RawConnection.open(server.address())) {
            received = silent.readUntilClosed(IDLE_TIMEOUT.multipliedBy(10));
        }
        assertEquals(RawConnection.End.EOF, received.end());
        assertEquals(0, received.bytes().length);
        assertClosedAtIdleTimeout(received.millis());
        server.finish("connect, then silence", "closed after " + received.millis() + " ms");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void resetMidRequestLeavesTheServerServing(Transport transport) throws Exception {
        start(transport);
        RawConnection c = RawConnection.open(server.address());
        c.send(ascii(HALF_REQUEST));
        Thread.sleep(50); // the server is now waiting for the rest
        c.reset();
        server.finish("reset mid-request", "reset after 50 ms");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void resetBeforeReadingTheAnswersLeavesTheServerServing(Transport transport) throws Exception {
        start(transport);
        ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
        for (int i = 0; i < 200; i++) {
            pipelined.writeBytes(RequestEncoder.encode(new Request(i, Operator.MULTIPLY, i, true)));
        }
        RawConnection c = RawConnection.open(server.address());
        c.send(pipelined.toByteArray());
        c.reset(); // the server is answering into a connection that is gone
        server.finish("reset while the server answers 200 requests", "reset at once");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void clientThatSendsWithoutReadingIsHeldBackNotBuffered(Transport transport) throws Exception {
        start(transport);
        byte[] request = RequestEncoder.encode(new Request(1, Operator.ADD, 1, true));
        byte[] chunk = new byte[request.length * 800];
        for (int i = 0; i < 800; i++) {
            System.arraycopy(request, 0, chunk, i * request.length, request.length);
        }
        long floodBytes = 64L << 20;
        AtomicLong written = new AtomicLong();
        RawConnection c = RawConnection.open(server.address());
        Thread writer = new Thread(() -> {
            while (written.get() < floodBytes && c.send(chunk).sendFailure() == null) {
                written.addAndGet(chunk.length);
            }
        }, "flooding-client");
        writer.setDaemon(true);
        writer.start();
        // Wait until the server stops taking requests (or takes them all, which is the bug).
        long last = -1;
        while (writer.isAlive() && written.get() != last) {
            last = written.get();
            Thread.sleep(300);
        }
        long serverHeld = ProcessResources.nettyDirect() - server.resourcesBefore().nettyDirectBytes();
        long heapHeld = ProcessResources.heapAfterGc() - server.resourcesBefore().heapBytes();
        c.reset();
        writer.join(PROMPTLY.toMillis());
        assertTrue(serverHeld < ProcessResources.DIRECT_SLACK_BYTES && heapHeld < ProcessResources.HEAP_SLACK_BYTES,
                "the server buffered answers: direct +" + ProcessResources.mb(serverHeld) + ", heap +"
                        + ProcessResources.mb(heapHeld));
        assertTrue(written.get() < floodBytes, "the server read all " + floodBytes + " bytes of requests from a "
                + "client that reads no answers: it must stop reading instead");
        server.finish("requests sent, answers never read", "client got " + ProcessResources.mb(written.get())
                + " of " + ProcessResources.mb(floodBytes) + " in before the server stopped reading; server held "
                + "direct +" + ProcessResources.mb(serverHeld) + ", heap +" + ProcessResources.mb(heapHeld));
    }

    // ---- harness ----

    private void start(Transport transport) throws Exception {
        server = ServerUnderTest.start(ServerConfig.plain(transport).withBind(Loopback.fresh())
                .withIdleTimeout(IDLE_TIMEOUT).withThreads(transport == Transport.NATIVE ? 2 : 1), "hostile-input");
    }

    private static void assertClosedAtIdleTimeout(long millis) {
        assertTrue(millis >= IDLE_TIMEOUT.toMillis() - 100 && millis < IDLE_TIMEOUT.toMillis() + 2_000,
                "closed after " + millis + " ms, idle timeout " + IDLE_TIMEOUT.toMillis() + " ms");
    }

    private static BadInput bad(String name, String wire, Status status, String errorContains) {
        return new BadInput(name, ascii(wire), status, errorContains);
    }

    private static String request(String... headers) {
        StringBuilder s = new StringBuilder("CALCULATE MATH/1.1\n");
        for (String h : headers) {
            s.append(h).append('\n');
        }
        return s.append('\n').toString();
    }

    private static byte[] manyHeaders(int count) {
        StringBuilder s = new StringBuilder("CALCULATE MATH/1.1\nOperand1: 1\nOperator: +\n");
        for (int i = 0; i < count; i++) {
            s.append("X-Pad-").append(i).append(": y\n");
        }
        return ascii(s.append("Operand2: 1\n\n").toString());
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
