package tfobench.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tfobench.Transport;
import tfobench.protocol.Operator;
import tfobench.protocol.Request;
import tfobench.protocol.RequestEncoder;
import tfobench.protocol.Response;
import tfobench.protocol.ResponseEncoder;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.Loopback;
import tfobench.testing.RawConnection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that send their requests slowly, against both servers: they must not keep a well-behaved client from its
 * answer, and each request must be complete within the request timeout of its first byte or get 408 and a close
 * (docs/PROTOCOL.md, "Request deadline"). The native server is the one at risk: its threads block on connections.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowClientsTest {
    private static final int THREADS = 2;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
    /** What "answered at once" means here: far beyond a good request's time, far below a blocked server's. */
    private static final Duration GOOD_CLIENT_BOUND = Duration.ofSeconds(1);
    private static final byte[] REQUEST = RequestEncoder.encode(new Request(6, Operator.MULTIPLY, 7, true));

    private ServerUnderTest server;
    private final List<Trickler> tricklers = new ArrayList<>();

    @BeforeAll
    static void privateNamespace() {
        FastOpenNamespace.require();
    }

    @AfterEach
    void stop() throws Exception {
        for (Trickler t : tricklers) {
            t.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void goodClientIsAnsweredWhileThreadsPlusOneClientsTrickleOneByteASecondUntilTheirDeadline(Transport transport)
            throws Exception {
        start(transport, ServerConfig.DEFAULT_IDLE_TIMEOUT);
        for (int i = 0; i < THREADS + 1; i++) {
            tricklers.add(Trickler.start(server.address(), REQUEST, Duration.ofSeconds(1), "trickler-" + i));
        }
        Thread.sleep(1_500); // every trickler has sent two bytes, and a blocking server would be stuck on them
        long goodMillis = server.goodRequestMillis();
        assertTrue(goodMillis < GOOD_CLIENT_BOUND.toMillis(), "a good client waited " + goodMillis + " ms");

        Response timedOut = CalcSession.requestTimeoutAnswer(REQUEST_TIMEOUT);
        List<Long> closedAfter = new ArrayList<>();
        for (Trickler t : tricklers) {
            long readFrom = System.nanoTime();
            RawConnection.Received received = t.connection.readUntilClosed(REQUEST_TIMEOUT.plusSeconds(5));
            long sinceFirstByte = (readFrom - t.firstByteNanos) / 1_000_000 + received.millis();
            assertNotEquals(RawConnection.End.STILL_OPEN, received.end(), "trickling connection still open after "
                    + sinceFirstByte + " ms");
            assertEquals(List.of(timedOut), received.responses(), received.text());
            assertClosedAtDeadline(sinceFirstByte);
            closedAfter.add(sinceFirstByte);
        }
        stopTricklers();
        server.finish(THREADS + 1 + " clients trickling 1 byte/s, threads=" + THREADS, "good client answered in "
                + goodMillis + " ms; each trickler got 408 and was closed " + closedAfter + " ms after its first byte");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void eachRequestOnAKeptAliveConnectionHasItsOwnDeadlineAndIdlenessBetweenIsBounded(Transport transport)
            throws Exception {
        Duration idle = Duration.ofMillis(1_500);
        start(transport, idle);
        Duration slow = REQUEST_TIMEOUT.multipliedBy(2).dividedBy(3); // each request well within its own deadline
        long start = System.nanoTime();
        RawConnection.Received afterIdle;
        try (RawConnection c = RawConnection.open(server.address())) {
            byte[] answer = ResponseEncoder.encode(Response.ok(42, true));
            for (int i = 0; i < 2; i++) {
                trickle(c, REQUEST, slow);
                assertEquals(new String(answer), new String(c.readExactly(answer.length, ServerUnderTest.PROMPTLY)),
                        "request " + (i + 1));
                Thread.sleep(idle.toMillis() / 3);
            }
            long total = (System.nanoTime() - start) / 1_000_000;
            assertTrue(total > REQUEST_TIMEOUT.toMillis(), "the two requests took together more than one deadline: "
                    + total + " ms");
            afterIdle = c.readUntilClosed(idle.multipliedBy(4));
        }
        assertNotEquals(RawConnection.End.STILL_OPEN, afterIdle.end());
        assertEquals(0, afterIdle.bytes().length, "an idle connection is closed without an answer: "
                + afterIdle.text());
        long idleMillis = afterIdle.millis() + idle.toMillis() / 3;
        assertTrue(idleMillis >= idle.toMillis() - 100 && idleMillis < idle.toMillis() + 1_500,
                "closed " + idleMillis + " ms after the last answer, idle timeout " + idle.toMillis() + " ms");
        server.finish("two slow requests on one kept-alive connection, then idle", "both answered, "
                + (slow.toMillis() * 2) + " ms of trickling against a " + REQUEST_TIMEOUT.toMillis()
                + " ms deadline; closed about " + idleMillis + " ms after the last answer");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void clientsTricklingFasterThanAThreadWaitsDoNotHoldTheThreads(Transport transport) throws Exception {
        start(transport, ServerConfig.DEFAULT_IDLE_TIMEOUT);
        // A byte every 0.3 ms never leaves a blocking read waiting long: only the time since a request's first byte
        // shows that such a client holds a thread.
        for (int i = 0; i < THREADS + 1; i++) {
            tricklers.add(Trickler.start(server.address(), endlessRequests(), Duration.ofNanos(300_000),
                    "fast-trickler-" + i));
        }
        Thread.sleep(500);
        long worst = 0;
        for (int i = 0; i < 5; i++) {
            worst = Math.max(worst, server.goodRequestMillis());
        }
        assertTrue(worst < GOOD_CLIENT_BOUND.toMillis(), "a good client waited " + worst + " ms");
        for (Trickler t : tricklers) {
            assertFalse(t.failed(), "a fast trickler's connection was cut: it sends whole requests in time");
        }
        stopTricklers();
        server.finish(THREADS + 1 + " clients sending requests a byte every 0.3 ms, threads=" + THREADS,
                "good client answered in at most " + worst + " ms (5 tries)");
    }

    /** HostileInputTest has the other case: an idle timeout shorter than the deadline closes without an answer. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void halfARequestThenSilenceGets408WhenTheIdleTimeoutIsNotShorterThanTheDeadline(Transport transport)
            throws Exception {
        Duration both = Duration.ofSeconds(1);
        start(transport, both, both);
        RawConnection.Received received;
        try (RawConnection c = RawConnection.open(server.address())) {
            received = c.send(Arrays.copyOf(REQUEST, REQUEST.length / 2))
                    .readUntilClosed(both.multipliedBy(5));
        }
        assertNotEquals(RawConnection.End.STILL_OPEN, received.end());
        assertEquals(List.of(CalcSession.requestTimeoutAnswer(both)), received.responses(), received.text());
        assertTrue(received.millis() >= both.toMillis() - 100 && received.millis() < both.toMillis() + 1_500,
                "closed after " + received.millis() + " ms");
        server.finish("half a request, then silence; idle timeout = request timeout", "408 after "
                + received.millis() + " ms");
    }

    // ---- harness ----

    private void start(Transport transport, Duration idle) throws Exception {
        start(transport, idle, REQUEST_TIMEOUT);
    }

    private void start(Transport transport, Duration idle, Duration requestTimeout) throws Exception {
        server = ServerUnderTest.start(ServerConfig.plain(transport).withBind(Loopback.fresh()).withThreads(THREADS)
                .withIdleTimeout(idle).withRequestTimeout(requestTimeout), "slow-clients");
    }

    private void stopTricklers() throws Exception {
        for (Trickler t : tricklers) {
            t.close();
        }
        tricklers.clear();
    }

    private static void assertClosedAtDeadline(long millisSinceFirstByte) {
        assertTrue(millisSinceFirstByte >= REQUEST_TIMEOUT.toMillis() - 100
                        && millisSinceFirstByte < REQUEST_TIMEOUT.toMillis() + 1_500,
                "closed " + millisSinceFirstByte + " ms after the first byte, deadline " + REQUEST_TIMEOUT.toMillis()
                        + " ms");
    }

    /** Sends the bytes one at a time, evenly spread over {@code total}. */
    private static void trickle(RawConnection c, byte[] bytes, Duration total) throws IOException {
        long gap = total.toNanos() / bytes.length;
        for (byte b : bytes) {
            c.sendOneByteAtATime(new byte[] {b});
            LockSupport.parkNanos(gap);
        }
    }

    private static byte[] endlessRequests() {
        byte[] many = new byte[REQUEST.length * 1_000];
        for (int i = 0; i < 1_000; i++) {
            System.arraycopy(REQUEST, 0, many, i * REQUEST.length, REQUEST.length);
        }
        return many;
    }

    /**
     * A client on its own thread that sends its bytes one at a time with a gap between them, until they run out, the
     * server ends the connection, or the test closes it. Its answers are left unread until the test reads them.
     */
    private static final class Trickler implements AutoCloseable {
        final RawConnection connection;
        final long firstByteNanos;
        private final Thread thread;
        private volatile boolean stopped;
        private volatile boolean failed;

        private Trickler(RawConnection connection, byte[] bytes, Duration gap, String name) {
            this.connection = connection;
            this.firstByteNanos = System.nanoTime();
            this.thread = new Thread(() -> {
                for (int i = 0; i < bytes.length && !stopped; i++) {
                    if (connection.send(new byte[] {bytes[i]}).sendFailure() != null) {
                        failed = !stopped;
                        return;
                    }
                    LockSupport.parkNanos(gap.toNanos());
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
        }

        static Trickler start(InetSocketAddress server, byte[] bytes, Duration gap, String name) throws IOException {
            return new Trickler(RawConnection.open(server), bytes, gap, name);
        }

        boolean failed() {
            return failed;
        }

        @Override
        public void close() throws Exception {
            stopped = true;
            connection.close();
            thread.join(5_000);
        }
    }
}
