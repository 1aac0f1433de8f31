package tfobench.server;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
import tfobench.testing.Figures;
import tfobench.testing.Loopback;
import tfobench.testing.ProcessResources;
import tfobench.testing.RawConnection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * What each server promises about many clients at once. Netty: every open connection is served, up to
 * {@code maxConnections}. Native: {@code threads} connections are served at the same moment, and a connection that
 * has nothing to read does not hold a thread (it waits in the server's poller), so idle keep-alive connections do not
 * stop new ones. Both: a connection over {@code maxConnections} is closed unanswered and counted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrentConnectionsTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @BeforeAll
    static void privateNamespace() {
        FastOpenNamespace.require();
    }

    @Test
    void nettyServesAThousandConcurrentKeepAliveConnections() throws Exception {
        assertAllServedConcurrently(ServerConfig.plain(Transport.NETTY).withBind(Loopback.fresh()), 1_000);
    }

    @Test
    void nativeServesAsManyConcurrentKeepAliveConnectionsAsItHasThreads() throws Exception {
        assertAllServedConcurrently(ServerConfig.plain(Transport.NATIVE).withBind(Loopback.fresh()).withThreads(64),
                64);
    }

    @Test
    void nativeAnswersANewConnectionWhileEveryThreadHasAnIdleKeepAliveConnection() throws Exception {
        try (CalcServer server = Servers.start(ServerConfig.plain(Transport.NATIVE).withBind(Loopback.fresh())
                .withThreads(2));
             RawConnection first = RawConnection.open(server.address());
             RawConnection second = RawConnection.open(server.address())) {
            assertAnswered(first, 1, 0);
            assertAnswered(second, 2, 0);
            // Both threads served a connection that now says nothing: they hand them to the poller and take the next.
            try (RawConnection third = RawConnection.open(server.address())) {
                long start = System.nanoTime();
                assertAnswered(third, 3, 0);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(3, server.openConnections());
                assertAnswered(first, 1, 1);
                assertAnswered(second, 2, 1);
                Figures.record("concurrent-connections", "native | threads=2, two idle keep-alive connections open, "
                        + "a third | answered in " + millis + " ms; the idle two answered again after");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void connectionOverTheLimitIsClosedUnansweredAndCounted(Transport transport) throws Exception {
        ServerConfig config = ServerConfig.plain(transport).withBind(Loopback.fresh()).withThreads(4)
                .withMaxConnections(3);
        try (CalcServer server = Servers.start(config)) {
            List<RawConnection> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                RawConnection c = RawConnection.open(server.address());
                assertAnswered(c, i, 1);
                held.add(c);
            }
            try (RawConnection over = RawConnection.open(server.address())) {
                RawConnection.Received refused = over.readUntilClosed(PROMPTLY);
                assertNotEquals(RawConnection.End.STILL_OPEN, refused.end());
                assertEquals(0, refused.bytes().length);
            }
            assertEquals(1, server.refusedConnections());
            assertEquals(3, server.openConnections());
            held.remove(0).close();
            awaitOpenConnections(server, 2);
            try (RawConnection next = RawConnection.open(server.address())) {
                assertAnswered(next, 9, 1);
            }
            for (RawConnection c : held) {
                c.close();
            }
            Figures.record("concurrent-connections", transport.label() + " | maxConnections=3, a fourth | refused "
                    + server.refusedConnections() + ", served again once one closed");
        }
    }

    /**
     * Opens {@code count} connections and keeps them all open while each gets three requests, round-robin, so the
     * server has every one of them open at the same moment; then descriptors and threads go back to what they were.
     */
    private static void assertAllServedConcurrently(ServerConfig config, int count) throws Exception {
        try (CalcServer server = Servers.start(config)) {
            try (RawConnection warm = RawConnection.open(server.address())) {
                assertAnswered(warm, 0, 0);
            }
            awaitOpenConnections(server, 0);
            ProcessResources before = ProcessResources.snapshot();
            long start = System.nanoTime();
            List<RawConnection> connections = new ArrayList<>(count);
            try {
                for (int i = 0; i < count; i++) {
                    connections.add(RawConnection.open(server.address()));
                }
                for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < count; i++) {
                        connections.get(i).send(request(i, round, true));
                    }
                    for (int i = 0; i < count; i++) {
                        byte[] expected = answer(i, round, true);
                        assertArrayEquals(expected, connections.get(i).readExactly(expected.length, PROMPTLY),
                                "connection " + i + ", round " + round);
                    }
                }
                assertEquals(count, server.openConnections());
            } finally {
                for (RawConnection c : connections) {
                    c.close();
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            awaitOpenConnections(server, 0);
            ProcessResources after = ProcessResources.awaitSame(before, Duration.ofSeconds(5));
            Figures.record("concurrent-connections", config.transport().label() + " | " + count
                    + " keep-alive connections open at once, 3 requests each | " + millis + " ms | "
                    + after.comparedTo(before));
        }
    }

    private static void assertAnswered(RawConnection c, long operand, long round) throws Exception {
        c.send(request(operand, round, true));
        byte[] expected = answer(operand, round, true);
        assertArrayEquals(expected, c.readExactly(expected.length, PROMPTLY));
    }

    private static void awaitOpenConnections(CalcServer server, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + PROMPTLY.toNanos();
        while (server.openConnections() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, server.openConnections(), "open connections");
    }

    private static byte[] request(long operand, long round, boolean keepAlive) {
        return RequestEncoder.encode(new Request(operand, Operator.ADD, round, keepAlive));
    }

    private static byte[] answer(long operand, long round, boolean keepAlive) {
        return ResponseEncoder.encode(Response.ok(operand + round, keepAlive));
    }
}
