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

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that abuse connections rather than the protocol, many at a time, against both servers. Each case has the
 * outcome docs/HOSTILE-CLIENTS.md gives it (an answer, a status or a close, never a hang), a good client is still
 * answered during or after it, and afterwards the server holds none of its connections and has given back every
 * descriptor, thread and byte it took (see {@link ServerUnderTest}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionAbuseTest {
    private static final int THREADS = 2;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration PROMPTLY = ServerUnderTest.PROMPTLY;
    private static final byte[] HALF_REQUEST = "CALCULATE MATH/1.1\nOperand1: 1\nOpera"
            .getBytes(StandardCharsets.US_ASCII);

    private ServerUnderTest server;
    private final List<RawConnection> clients = new ArrayList<>();

    @BeforeAll
    static void privateNamespace() {
        FastOpenNamespace.require();
    }

    @AfterEach
    void stop() throws Exception {
        for (RawConnection c : clients) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void floodPastMaxConnectionsIsClosedUnansweredAndCountedWhileTheAdmittedAreServed(Transport transport)
            throws Exception {
        int max = 20;
        int flood = 300;
        // Idle timeout well beyond the case: admitted connections stay open until the test closes them.
        start(ServerConfig.plain(transport).withMaxConnections(max).withIdleTimeout(Duration.ofSeconds(30)));
        for (int i = 0; i < flood; i++) {
            RawConnection c = RawConnection.open(server.address());
            clients.add(c);
            c.send(request(i, true));
        }
        int answered = 0;
        int refused = 0;
        for (int i = 0; i < flood; i++) {
            // Admitted ones keep their connection open after the answer: the wait runs out on them.
            RawConnection.Received r = clients.get(i).readUntilClosed(Duration.ofMillis(200));
            if (r.end() == RawConnection.End.STILL_OPEN) {
                assertEquals(List.of(Response.ok(i, true)), r.responses(), "an admitted connection, " + i);
                answered++;
            } else {
                assertEquals(0, r.bytes().length, "a refused connection gets no answer: " + r.text());
                refused++;
            }
        }
        assertEquals(max, answered, "admitted and answered");
        assertEquals(flood - max, refused, "closed unanswered");
        assertEquals(flood - max, server.server.refusedConnections());
        assertEquals(max, server.server.openConnections());
        closeClients();
        server.awaitOpenConnections(0, PROMPTLY);
        server.finish(flood + " connections, maxConnections=" + max, answered + " admitted and answered, "
                + refused + " closed unanswered and counted; served again once they closed");
    }

    /**
     * A silent connection costs a native thread one wait of {@link NativeServer#PATIENCE} (a clock tick, as the
     * kernel rounds it): a good client arriving behind {@code silent} of them waits about {@code silent / threads}
     * ticks, far less than the idle timeout; threads held until the idle timeout would keep it waiting
     * {@code silent / threads} idle timeouts.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void manySilentConnectionsHoldNoThreadAndAreClosedAtTheIdleTimeout(Transport transport) throws Exception {
        int silent = 100;
        Duration idle = Duration.ofSeconds(3);
        start(ServerConfig.plain(transport).withIdleTimeout(idle));
        long opened = System.nanoTime();
        for (int i = 0; i < silent; i++) {
            clients.add(RawConnection.open(server.address()));
        }
        long goodMillis = server.goodRequestMillis();
        assertTrue(goodMillis < idle.toMillis() / 2, "a good client waited " + goodMillis + " ms behind " + silent
                + " silent connections");
        long latest = 0;
        for (RawConnection c : clients) {
            RawConnection.Received r = c.readUntilClosed(idle.multipliedBy(3));
            assertEquals(RawConnection.End.EOF, r.end(), "a silent connection is closed");
            assertEquals(0, r.bytes().length, r.text());
            latest = (System.nanoTime() - opened) / 1_000_000;
        }
        assertTrue(latest >= idle.toMillis() - 100 && latest < idle.toMillis() + 2_500,
                "the last silent connection was closed " + latest + " ms after the first opened, idle timeout "
                        + idle.toMillis() + " ms");
        closeClients();
        server.finish(silent + " connections that send nothing, threads=" + THREADS, "good client answered in "
                + goodMillis + " ms; all closed (EOF, no answer) by " + latest + " ms, idle timeout "
                + idle.toMillis() + " ms");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void connectionsAbandonedMidRequestAreClosedWithoutAnAnswer(Transport transport) throws Exception {
        int abandoned = 100;
        start(ServerConfig.plain(transport).withIdleTimeout(IDLE_TIMEOUT));
        for (int i = 0; i < abandoned; i++) {
            RawConnection c = RawConnection.open(server.address());
            clients.add(c);
            c.send(HALF_REQUEST);
        }
        Thread.sleep(50); // the server has read the halves
        for (int i = 0; i < abandoned; i++) {
            RawConnection c = clients.get(i);
            if (i % 2 == 0) {
                RawConnection.Received r = c.halfClose().readUntilClosed(PROMPTLY);
                assertEquals(RawConnection.End.EOF, r.end(), "closed at once, not at the idle timeout");
                assertEquals(0, r.bytes().length, "a truncated request is not answered: " + r.text());
                assertTrue(r.millis() < IDLE_TIMEOUT.toMillis() / 2, "closed after " + r.millis() + " ms");
            } else {
                c.reset();
            }
        }
        closeClients();
        server.awaitOpenConnections(0, PROMPTLY);
        server.finish(abandoned + " connections abandoned mid-request", abandoned / 2 + " ended with FIN: closed at "
                + "once without an answer; " + abandoned / 2 + " reset; none left open");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void connectionsAbandonedMidResponseAreClosed(Transport transport) throws Exception {
        int abandoned = 20;
        int pipelined = 5_000; // ~400 KB of requests, ~250 KB of answers: more than the socket buffers hold at first
        start(ServerConfig.plain(transport).withIdleTimeout(IDLE_TIMEOUT));
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        for (int i = 0; i < pipelined; i++) {
            requests.writeBytes(request(i, true));
        }
        byte[] firstAnswer = ResponseEncoder.encode(Response.ok(0, true));
        for (int i = 0; i < abandoned; i++) {
            RawConnection c = RawConnection.open(server.address());
            clients.add(c);
            Thread writer = new Thread(() -> c.send(requests.toByteArray()), "abandoning-writer-" + i);
            writer.setDaemon(true);
            writer.start();
            assertArrayEquals(firstAnswer, c.readExactly(firstAnswer.length, PROMPTLY), "answering had begun, "
                    + "in order");
            if (i % 2 == 0) {
                c.close(); // FIN with answers unread: the kernel makes it a reset
            } else {
                c.reset();
            }
            writer.join(PROMPTLY.toMillis());
        }
        clients.clear();
        server.awaitOpenConnections(0, PROMPTLY);
        server.finish(abandoned + " connections closed or reset while " + pipelined + " answers were being sent",
                "all closed by the server, none left open");
    }

    // ---- harness ----

    private void start(ServerConfig config) throws Exception {
        server = ServerUnderTest.start(config.withBind(Loopback.fresh()).withThreads(THREADS), "connection-abuse");
    }

    private void closeClients() throws Exception {
        for (RawConnection c : clients) {
            c.close();
        }
        clients.clear();
    }

    private static byte[] request(long operand, boolean keepAlive) {
        return RequestEncoder.encode(new Request(operand, Operator.ADD, 0, keepAlive));
    }
}
