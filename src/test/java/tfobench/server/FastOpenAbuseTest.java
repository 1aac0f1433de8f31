package tfobench.server;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tfobench.Transport;
import tfobench.linux.TcpExtCounters;
import tfobench.protocol.Operator;
import tfobench.protocol.Request;
import tfobench.protocol.RequestEncoder;
import tfobench.protocol.Response;
import tfobench.protocol.ResponseEncoder;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.Figures;
import tfobench.testing.Loopback;
import tfobench.testing.SpoofedTcpPeer;
import tfobench.testing.SpoofedTcpPeer.Segment;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tfobench.testing.SpoofedTcpPeer.ACK;
import static tfobench.testing.SpoofedTcpPeer.PSH;
import static tfobench.testing.SpoofedTcpPeer.RST;
import static tfobench.testing.SpoofedTcpPeer.SYN;

/**
 * Fast open abuse, as an attacker does it: a SYN that carries a request and a made-up cookie, from a raw socket (see
 * {@link SpoofedTcpPeer} for how its half-open connection survives). RFC 7413 (section 4.2.2) has a server that
 * receives data with an invalid cookie drop the data and acknowledge only the SYN; so the request must not reach the
 * application, which only learns of the connection when the three-way handshake completes, and then without the data.
 * The control case sends the cookie the server itself handed out, and sees the application answer before the
 * handshake completes: proof that the check would see a request that got through.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FastOpenAbuseTest {
    /** Longer than the application needs to answer a request it has: silence for this long means it has none. */
    private static final Duration QUIET = Duration.ofMillis(500);
    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    private static final AtomicInteger NEXT_HOST = new AtomicInteger(1);
    private static final Request REQUEST = new Request(20, Operator.ADD, 22, true);
    private static final byte[] ANSWER = ResponseEncoder.encode(Response.ok(42, true));

    @BeforeAll
    static void privateNamespace() {
        FastOpenNamespace.require();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void synDataWithAnInvalidCookieReachesTheApplicationOnlyAsDataAfterTheHandshake(Transport transport)
            throws Exception {
        byte[] request = RequestEncoder.encode(REQUEST);
        byte[] madeUpCookie = new byte[8];
        ThreadLocalRandom.current().nextBytes(madeUpCookie);
        try (CalcServer server = Servers.start(ServerConfig.fastOpen(transport).withBind(Loopback.fresh()));
             SpoofedTcpPeer peer = SpoofedTcpPeer.open(NEXT_HOST.getAndIncrement(), server.address())) {
            TcpExtCounters before = TcpExtCounters.read();
            long isn = 1_000;
            peer.send(SYN, isn, 0, SpoofedTcpPeer.synOptions(madeUpCookie), request);
            Segment synAck = peer.await(SYN | ACK, PROMPTLY);
            assertNotNull(synAck, "no SYN-ACK");
            assertEquals(isn + 1, synAck.ack(), "the SYN-ACK acknowledges the SYN only, not its " + request.length
                    + " bytes of data");
            List<Segment> meanwhile = peer.collect(QUIET);
            assertTrue(meanwhile.stream().allMatch(s -> s.payload().length == 0), "the server sent data before "
                    + "the handshake completed: " + meanwhile);
            assertEquals(0, server.acceptedConnections(), "the application saw the connection before the handshake "
                    + "completed");
            TcpExtCounters delta = TcpExtCounters.read().minus(before);
            assertEquals(1, delta.get("TCPFastOpenPassiveFail"), "the kernel refused the cookie");
            assertEquals(0, delta.get("TCPFastOpenPassive"), "no fast open was accepted");

            long serverNext = synAck.seq() + 1;
            peer.send(ACK, isn + 1, serverNext, new byte[0], new byte[0]);
            awaitAccepted(server, 1);
            List<Segment> afterHandshake = peer.collect(QUIET);
            assertTrue(afterHandshake.stream().allMatch(s -> s.payload().length == 0), "the application answered "
                    + "the SYN's data, which the kernel should have dropped: " + afterHandshake);

            peer.send(ACK | PSH, isn + 1, serverNext, new byte[0], request);
            Segment answer = peer.await(ACK | PSH, PROMPTLY);
            assertNotNull(answer, "the request sent after the handshake was not answered");
            assertArrayEquals(ANSWER, answer.payload(), answer.text());
            peer.send(RST, isn + 1 + request.length, 0, new byte[0], new byte[0]);
            Figures.record("fast-open-abuse", transport.label() + " | SYN with " + request.length + " bytes and a "
                    + "made-up cookie | SYN-ACK acked the SYN only, nothing accepted for " + QUIET.toMillis()
                    + " ms, TCPFastOpenPassiveFail +1; accepted at the ACK, no answer until the request came as data");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void synDataWithTheServersOwnCookieIsAnsweredBeforeTheHandshakeCompletes(Transport transport) throws Exception {
        byte[] request = RequestEncoder.encode(REQUEST);
        int host = NEXT_HOST.getAndIncrement(); // the cookie is for this source address
        try (CalcServer server = Servers.start(ServerConfig.fastOpen(transport).withBind(Loopback.fresh()))) {
            byte[] cookie;
            try (SpoofedTcpPeer asking = SpoofedTcpPeer.open(host, server.address())) {
                asking.send(SYN, 5_000, 0, SpoofedTcpPeer.synOptions(new byte[0]), new byte[0]);
                Segment handedOut = asking.await(SYN | ACK, PROMPTLY);
                assertNotNull(handedOut, "no SYN-ACK to the cookie request");
                cookie = handedOut.fastOpenCookie();
                assertNotNull(cookie, "the server sent no cookie");
                asking.send(RST, 5_001, 0, new byte[0], new byte[0]);
            }
            TcpExtCounters before = TcpExtCounters.read();
            try (SpoofedTcpPeer peer = SpoofedTcpPeer.open(host, server.address())) {
                long isn = 9_000;
                peer.send(SYN, isn, 0, SpoofedTcpPeer.synOptions(cookie), request);
                Segment synAck = peer.await(SYN | ACK, PROMPTLY);
                assertNotNull(synAck, "no SYN-ACK");
                assertEquals(isn + 1 + request.length, synAck.ack(), "the SYN-ACK acknowledges the SYN's data");
                Segment answer = peer.await(ACK | PSH, PROMPTLY);
                assertNotNull(answer, "no answer to the SYN's request before the handshake completed");
                assertArrayEquals(ANSWER, answer.payload(), answer.text());
                assertEquals(1, server.acceptedConnections(), "accepted with the SYN, before any ACK");
                assertEquals(1, TcpExtCounters.read().minus(before).get("TCPFastOpenPassive"));
                peer.send(RST, isn + 1 + request.length, 0, new byte[0], new byte[0]);
            }
            Figures.record("fast-open-abuse", transport.label() + " | SYN with the server's own cookie (control) | "
                    + "data acked in the SYN-ACK and answered before the handshake's ACK");
        }
    }

    private static void awaitAccepted(CalcServer server, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + PROMPTLY.toNanos();
        while (server.acceptedConnections() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(expected, server.acceptedConnections(), "accepted once the handshake completed");
    }
}
