package tfobench.client;

import com.sun.jna.Memory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tfobench.Transport;
import tfobench.linux.Errno;
import tfobench.linux.ErrnoException;
import tfobench.linux.PrivateNetns;
import tfobench.linux.SockAddrIn;
import tfobench.linux.Syscalls;
import tfobench.linux.TcpExtCounters;
import tfobench.linux.TcpMetrics;
import tfobench.protocol.Operator;
import tfobench.protocol.Request;
import tfobench.protocol.RequestEncoder;
import tfobench.protocol.Response;
import tfobench.server.CalcServer;
import tfobench.server.ListenerOptions;
import tfobench.server.ServerConfig;
import tfobench.server.Servers;
import tfobench.testing.AckDropper;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.Figures;
import tfobench.testing.Loopback;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Each way a fast open can fail, caused for real, and what the client's evidence says about it: never
 * {@code acked}, always the reason, and the kernel's TcpExt counters agree. (A server that lost fast open while
 * the client still holds its cookie is {@code FallbackEvidenceTest}.)
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FastOpenFaultTest {
    private static final Request ONE_PLUS_ONE = new Request(1, Operator.ADD, 1, true);

    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    @ParameterizedTest(name = "{0} client")
    @EnumSource(Transport.class)
    void serverWithoutFastOpenIsLabelledCookieRequestedOnEveryConnection(Transport transport) throws Exception {
        try (CalcServer server = Servers.start(ServerConfig.plain(Transport.NATIVE).withBind(Loopback.fresh()));
             CalcClient client = Clients.create(transport, Handshake.TFO, server.address())) {
            TcpExtCounters before = TcpExtCounters.read();
            List<SynData> seen = exchanges(client, 3);
            TcpExtCounters delta = TcpExtCounters.read().minus(before);
            // The server never sends a cookie, so the client asks again every time and sends the data after.
            assertEquals(List.of(SynData.COOKIE_REQUESTED, SynData.COOKIE_REQUESTED, SynData.COOKIE_REQUESTED), seen);
            assertEquals(0, delta.get("TCPFastOpenActive") + delta.get("TCPFastOpenPassive"), delta.toString());
            record("server without fast open", transport, seen, delta);
        }
    }

    @ParameterizedTest(name = "{0} client")
    @EnumSource(Transport.class)
    void fullFastOpenQueueIsLabelledNotAckedAndCountedAsListenOverflow(Transport transport) throws Exception {
        ServerConfig config = ServerConfig.fastOpen(Transport.NATIVE).withBind(Loopback.fresh()).withFastOpenQueue(1);
        try (CalcServer server = Servers.start(config);
             CalcClient client = Clients.create(transport, Handshake.TFO, server.address())) {
            assertEquals(List.of(SynData.COOKIE_REQUESTED, SynData.ACKED), exchanges(client, 2));
            int held = -1;
            try (AckDropper dropper = AckDropper.to(server.address())) {
                // One fast open connection whose handshake never completes on the server's side: it fills the
                // queue of length 1 until its final ACK arrives, which the dropper prevents.
                held = fastOpenWithoutClosing(server);
                TcpExtCounters before = TcpExtCounters.read();
                List<SynData> seen = exchanges(client, 1);
                TcpExtCounters delta = TcpExtCounters.read().minus(before);
                assertEquals(List.of(SynData.NOT_ACKED), seen);
                assertEquals(1, delta.get("TCPFastOpenListenOverflow"), delta.toString());
                assertEquals(1, delta.get("TCPFastOpenActiveFail"), delta.toString());
                assertEquals(0, delta.get("TCPFastOpenActive"), delta.toString());
                record("fast open queue full (length 1)", transport, seen, delta);
            } finally {
                Syscalls.closeQuietly(held);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void rotatedServerKeyInvalidatesTheCookieAndIsLabelledNotAcked(Transport transport) throws Exception {
        try (CalcServer server = Servers.start(ServerConfig.fastOpen(transport).withBind(Loopback.fresh()));
             CalcClient client = Clients.create(transport, Handshake.TFO, server.address())) {
            ListenerOptions.setFastOpenKey(server, key(0x5A), null);
            assertEquals(List.of(SynData.COOKIE_REQUESTED, SynData.ACKED), exchanges(client, 2));
            ListenerOptions.setFastOpenKey(server, key(0xC3), null); // the old key is gone
            TcpExtCounters before = TcpExtCounters.read();
            List<SynData> seen = exchanges(client, 2);
            TcpExtCounters delta = TcpExtCounters.read().minus(before);
            // Rejected once; the server's answer carried a cookie made with the new key, which works next time.
            assertEquals(List.of(SynData.NOT_ACKED, SynData.ACKED), seen);
            assertEquals(1, delta.get("TCPFastOpenPassiveFail"), delta.toString());
            assertEquals(1, delta.get("TCPFastOpenActiveFail"), delta.toString());
            assertEquals(1, delta.get("TCPFastOpenActive"), delta.toString());
            record("server key rotated, no backup", transport, seen, delta);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void rotatedServerKeyWithTheOldOneAsBackupStillAcceptsTheCookie(Transport transport) throws Exception {
        try (CalcServer server = Servers.start(ServerConfig.fastOpen(transport).withBind(Loopback.fresh()));
             CalcClient client = Clients.create(transport, Handshake.TFO, server.address())) {
            ListenerOptions.setFastOpenKey(server, key(0x5A), null);
            assertEquals(List.of(SynData.COOKIE_REQUESTED, SynData.ACKED), exchanges(client, 2));
            ListenerOptions.setFastOpenKey(server, key(0xC3), key(0x5A));
            TcpExtCounters before = TcpExtCounters.read();
            List<SynData> seen = exchanges(client, 1);
            TcpExtCounters delta = TcpExtCounters.read().minus(before);
            assertEquals(List.of(SynData.ACKED), seen, "a cookie of the backup key is a real fast open");
            assertEquals(1, delta.get("TCPFastOpenPassiveAltKey"), delta.toString());
            assertEquals(0, delta.get("TCPFastOpenPassiveFail"), delta.toString());
            record("server key rotated, old key as backup", transport, seen, delta);
        }
    }

    @ParameterizedTest(name = "{0} client")
    @EnumSource(Transport.class)
    void flushedCookieCacheIsLabelledCookieRequested(Transport transport) throws Exception {
        try (CalcServer server = Servers.start(ServerConfig.fastOpen(Transport.NATIVE).withBind(Loopback.fresh()));
             CalcClient client = Clients.create(transport, Handshake.TFO, server.address());
             TcpMetrics metrics = TcpMetrics.open()) {
            assertEquals(List.of(SynData.COOKIE_REQUESTED, SynData.ACKED), exchanges(client, 2));
            if (!PrivateNetns.inInitialUserNamespace()) {
                // A non-root user's tests: the kernel refuses the flush (CAP_NET_ADMIN in the initial user
                // namespace), and the cookie stays: the next fast open is acked, never mislabelled.
                assertEquals(Errno.EPERM, assertThrows(ErrnoException.class, metrics::flush).errno());
                assertEquals(List.of(SynData.ACKED), exchanges(client, 1));
                return;
            }
            metrics.flush(); // as ip tcp_metrics flush
            TcpExtCounters before = TcpExtCounters.read();
            List<SynData> seen = exchanges(client, 2);
            TcpExtCounters delta = TcpExtCounters.read().minus(before);
            assertEquals(List.of(SynData.COOKIE_REQUESTED, SynData.ACKED), seen);
            assertEquals(1, delta.get("TCPFastOpenCookieReqd"), delta.toString());
            assertEquals(1, delta.get("TCPFastOpenActive"), delta.toString());
            record("client cookie cache flushed", transport, seen, delta);
        }
    }

    /** Exchanges, checking every answer, and returns what each connection's evidence said. */
    private static List<SynData> exchanges(CalcClient client, int count) throws Exception {
        List<SynData> seen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Exchange exchange = client.exchange(ONE_PLUS_ONE);
            assertEquals(Response.ok(2, true), exchange.response(), "the request is answered whatever the SYN did");
            seen.add(exchange.synData());
        }
        return seen;
    }

    /** A fast open connection (the request in the SYN, cookie cached) left open; returns its descriptor. */
    private static int fastOpenWithoutClosing(CalcServer server) throws Exception {
        byte[] request = RequestEncoder.encode(ONE_PLUS_ONE);
        Memory bytes = new Memory(request.length);
        bytes.write(0, request, 0, request.length);
        int fd = Syscalls.tcpSocket();
        try {
            Syscalls.setTimeout(fd, Syscalls.SO_SNDTIMEO, 5_000);
            Syscalls.sendTo(fd, bytes, request.length, Syscalls.MSG_FASTOPEN, new SockAddrIn(server.address()));
            return fd;
        } catch (Exception e) {
            Syscalls.closeQuietly(fd);
            throw e;
        }
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[16];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    private static void record(String fault, Transport transport, List<SynData> seen, TcpExtCounters delta) {
        StringBuilder nonZero = new StringBuilder();
        delta.fastOpen().forEach((name, value) -> {
            if (value != 0) {
                nonZero.append(nonZero.length() == 0 ? "" : ", ").append(name).append('=').append(value);
            }
        });
        List<String> evidence = new ArrayList<>();
        seen.forEach(s -> evidence.add(s.description()));
        Figures.record("fast-open-faults", fault + " | " + transport.label() + " | " + evidence + " | " + nonZero);
    }
}
