package tfobench.linux;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tfobench.Transport;
import tfobench.client.CalcClient;
import tfobench.client.Clients;
import tfobench.client.Handshake;
import tfobench.client.SynData;
import tfobench.protocol.Operator;
import tfobench.protocol.Request;
import tfobench.protocol.Response;
import tfobench.server.CalcServer;
import tfobench.server.ServerConfig;
import tfobench.server.Servers;
import tfobench.testing.FastOpenNamespace;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Never-used loopback destinations: the unprivileged way to a cookie request. */
class UnusedLoopbackAddressesTest {
    private static final Request ONE_PLUS_ONE = new Request(1, Operator.ADD, 1, true);

    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    @Test
    void everyConnectionToANeverUsedAddressRequestsACookieWithoutAnyPrivilege() throws Exception {
        InetSocketAddress wildcard = new InetSocketAddress(InetAddress.getByAddress(new byte[4]), 0);
        UnusedLoopbackAddresses addresses = UnusedLoopbackAddresses.inThisNamespace();
        for (Transport transport : Transport.values()) {
            try (CalcServer server = Servers.start(ServerConfig.fastOpen(transport).withBind(wildcard));
                 CalcClient client = Clients.create(transport, Handshake.TFO, server.address())) {
                TcpExtCounters before = TcpExtCounters.read();
                for (int i = 0; i < 5; i++) {
                    client.retarget(new InetSocketAddress(addresses.next(), server.address().getPort()));
                    var exchange = client.exchange(ONE_PLUS_ONE);
                    assertEquals(Response.ok(2, true), exchange.response());
                    assertEquals(SynData.COOKIE_REQUESTED, exchange.synData(), transport + " connection " + i);
                }
                assertEquals(5, TcpExtCounters.read().minus(before).get("TCPFastOpenCookieReqd"), transport.label());
                // The control: the same address again has its cookie now, so the request rides in the SYN.
                var again = client.exchange(ONE_PLUS_ONE);
                assertEquals(SynData.ACKED, again.synData(), transport + ": the last address, met a second time");
            }
        }
    }

    @Test
    void aCursorStartsAfterEveryAddressTheKernelCacheAlreadyHolds() throws Exception {
        InetSocketAddress wildcard = new InetSocketAddress(InetAddress.getByAddress(new byte[4]), 0);
        UnusedLoopbackAddresses shared = UnusedLoopbackAddresses.inThisNamespace();
        InetAddress used;
        try (CalcServer server = Servers.start(ServerConfig.fastOpen(Transport.NATIVE).withBind(wildcard));
             CalcClient client = Clients.create(Transport.NATIVE, Handshake.TFO, server.address())) {
            used = shared.next();
            client.retarget(new InetSocketAddress(used, server.address().getPort()));
            assertEquals(SynData.COOKIE_REQUESTED, client.exchange(ONE_PLUS_ONE).synData());
        }
        // What a later JVM in this namespace does: read the cache, start above it.
        int first;
        try (TcpMetrics metrics = TcpMetrics.open()) {
            first = UnusedLoopbackAddresses.firstAfter(metrics.cachedIpv4Destinations());
        }
        assertEquals(toInt(used) + 1, first, "starts right after the newest address used");
    }

    @Test
    void firstAddressIgnoresCachedAddressesOutsideItsRange() {
        assertEquals(UnusedLoopbackAddresses.FIRST, UnusedLoopbackAddresses.firstAfter(new int[0]));
        assertEquals(UnusedLoopbackAddresses.FIRST, UnusedLoopbackAddresses.firstAfter(new int[] {
            0x7f000001, 0x7f000004, 0xc0a80001 /* 192.168.0.1: negative as an int */}));
        assertEquals(0x7f800105, UnusedLoopbackAddresses.firstAfter(new int[] {0x7f800104, 0x7f000001, 0x7f800002}));
    }

    @Test
    void catchingUpSkipsAddressesOtherJvmsUsedSinceTheCursorWasMadeAndNeverGoesBack() {
        UnusedLoopbackAddresses cursor = new UnusedLoopbackAddresses(UnusedLoopbackAddresses.FIRST, false);
        assertEquals("127.128.0.1", cursor.next().getHostAddress());
        cursor.advancePast(new int[] {0x7f800001, 0x7f800010}); // another JVM went up to 127.128.0.16
        assertEquals("127.128.0.17", cursor.next().getHostAddress());
        cursor.advancePast(new int[] {0x7f800005}); // older entries: no step back
        assertEquals("127.128.0.18", cursor.next().getHostAddress());
    }

    @Test
    void runningOutIsOneClearErrorAndStaysOut() {
        UnusedLoopbackAddresses nearlyUsedUp = new UnusedLoopbackAddresses(UnusedLoopbackAddresses.LAST, false);
        assertEquals("127.255.255.254", nearlyUsedUp.next().getHostAddress());
        IllegalStateException e = assertThrows(IllegalStateException.class, nearlyUsedUp::next);
        assertTrue(e.getMessage().contains("a new run (a new namespace) starts over"), e.getMessage());
        assertThrows(IllegalStateException.class, nearlyUsedUp::next);
        assertEquals(0, nearlyUsedUp.remaining());
    }

    @Test
    void scratchCursorStartsOverInsteadOfRunningOut() {
        UnusedLoopbackAddresses scratch = UnusedLoopbackAddresses.scratch();
        assertEquals("127.128.0.1", scratch.next().getHostAddress());
        UnusedLoopbackAddresses nearEnd = new UnusedLoopbackAddresses(UnusedLoopbackAddresses.LAST, true);
        assertEquals("127.255.255.254", nearEnd.next().getHostAddress());
        assertEquals("127.128.0.1", nearEnd.next().getHostAddress());
        assertNotEquals(0, nearEnd.remaining());
    }

    private static int toInt(InetAddress address) {
        byte[] b = address.getAddress();
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }
}
