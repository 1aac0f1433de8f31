package tfobench.linux;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tfobench.AddressFamily;
import tfobench.Transport;
import tfobench.client.CalcClient;
import tfobench.client.Clients;
import tfobench.client.Exchange;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Never-used loopback destinations: the unprivileged way to a cookie request, in both address families. */
class UnusedLoopbackAddressesTest {
    private static final Request ONE_PLUS_ONE = new Request(1, Operator.ADD, 1, true);

    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    @ParameterizedTest
    @EnumSource(AddressFamily.class)
    void everyConnectionToANeverUsedAddressRequestsACookieWithoutAnyPrivilege(AddressFamily family)
            throws Exception {
        UnusedLoopbackAddresses addresses = UnusedLoopbackAddresses.inThisNamespace(family);
        for (Transport transport : Transport.values()) {
            try (CalcServer server = Servers.start(ServerConfig.fastOpen(transport)
                    .withBind(new InetSocketAddress(family.wildcard(), 0)));
                 CalcClient client = Clients.create(transport, Handshake.TFO, server.address())) {
                TcpExtCounters before = TcpExtCounters.read();
                for (int i = 0; i < 5; i++) {
                    InetAddress fresh = addresses.next();
                    assertEquals(family, AddressFamily.of(fresh));
                    client.retarget(new InetSocketAddress(fresh, server.address().getPort()));
                    Exchange exchange = client.exchange(ONE_PLUS_ONE);
                    assertEquals(Response.ok(2, true), exchange.response());
                    assertEquals(SynData.COOKIE_REQUESTED, exchange.synData(), transport + " connection " + i);
                }
                assertEquals(5, TcpExtCounters.read().minus(before).get("TCPFastOpenCookieReqd"),
                        family + " " + transport);
                // The control: the same address again has its cookie now, so the request rides in the SYN.
                assertEquals(SynData.ACKED, client.exchange(ONE_PLUS_ONE).synData(),
                        family + " " + transport + ": the last address, met a second time");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(AddressFamily.class)
    void aCursorStartsAfterEveryAddressTheKernelCacheAlreadyHolds(AddressFamily family) throws Exception {
        UnusedLoopbackAddresses shared = UnusedLoopbackAddresses.inThisNamespace(family);
        InetAddress used;
        try (CalcServer server = Servers.start(ServerConfig.fastOpen(Transport.NATIVE)
                .withBind(new InetSocketAddress(family.wildcard(), 0)));
             CalcClient client = Clients.create(Transport.NATIVE, Handshake.TFO, server.address())) {
            used = shared.next();
            client.retarget(new InetSocketAddress(used, server.address().getPort()));
            assertEquals(SynData.COOKIE_REQUESTED, client.exchange(ONE_PLUS_ONE).synData());
        }
        // What a later JVM in this namespace does: read the cache, start above it.
        long first;
        try (TcpMetrics metrics = TcpMetrics.open()) {
            first = UnusedLoopbackAddresses.firstAfter(family, metrics.cachedDestinations());
        }
        assertEquals(UnusedLoopbackAddresses.indexOf(family, used) + 1, first, "starts right after the newest used");
    }

    @Test
    void firstAddressIgnoresCachedAddressesOutsideItsRange() throws Exception {
        List<InetAddress> cached = List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.4"),
                InetAddress.getByName("192.168.0.1"), InetAddress.getByName("::1"),
                InetAddress.getByName("fd74:666f::2"));
        assertEquals(UnusedLoopbackAddresses.FIRST_IPV4, UnusedLoopbackAddresses.firstAfter(AddressFamily.IPV4, cached));
        assertEquals(UnusedLoopbackAddresses.FIRST_IPV6, UnusedLoopbackAddresses.firstAfter(AddressFamily.IPV6, cached));
        List<InetAddress> used = List.of(InetAddress.getByName("127.128.1.4"), InetAddress.getByName("127.0.0.1"),
                InetAddress.getByName("127.128.0.2"), InetAddress.getByName("fd74:666f:0:1::7"));
        assertEquals(0x7f800105L, UnusedLoopbackAddresses.firstAfter(AddressFamily.IPV4, used));
        assertEquals(8, UnusedLoopbackAddresses.firstAfter(AddressFamily.IPV6, used));
    }

    @Test
    void addressesAreTheRangesNamedInTheDocs() {
        assertEquals("127.128.0.1", UnusedLoopbackAddresses.addressAt(AddressFamily.IPV4,
                UnusedLoopbackAddresses.FIRST_IPV4).getHostAddress());
        assertEquals("fd74:666f:0:1:0:0:0:1", UnusedLoopbackAddresses.addressAt(AddressFamily.IPV6,
                UnusedLoopbackAddresses.FIRST_IPV6).getHostAddress());
        assertEquals("fd74:666f:0:1:0:0:ffff:fffe", UnusedLoopbackAddresses.addressAt(AddressFamily.IPV6,
                UnusedLoopbackAddresses.LAST_IPV6).getHostAddress());
    }

    @Test
    void catchingUpSkipsAddressesOtherJvmsUsedSinceTheCursorWasMadeAndNeverGoesBack() throws Exception {
        UnusedLoopbackAddresses cursor = new UnusedLoopbackAddresses(AddressFamily.IPV4,
                UnusedLoopbackAddresses.FIRST_IPV4, false);
        assertEquals("127.128.0.1", cursor.next().getHostAddress());
        // another JVM went up to 127.128.0.16; an IPv6 entry is not this cursor's
        cursor.advancePast(List.of(InetAddress.getByName("127.128.0.1"), InetAddress.getByName("127.128.0.16"),
                InetAddress.getByName("fd74:666f:0:1::99")));
        assertEquals("127.128.0.17", cursor.next().getHostAddress());
        cursor.advancePast(List.of(InetAddress.getByName("127.128.0.5"))); // older entries: no step back
        assertEquals("127.128.0.18", cursor.next().getHostAddress());
    }

    @Test
    void runningOutIsOneClearErrorAndStaysOut() {
        UnusedLoopbackAddresses nearlyUsedUp = new UnusedLoopbackAddresses(AddressFamily.IPV4,
                UnusedLoopbackAddresses.LAST_IPV4, false);
        assertEquals("127.255.255.254", nearlyUsedUp.next().getHostAddress());
        IllegalStateException e = assertThrows(IllegalStateException.class, nearlyUsedUp::next);
        assertTrue(e.getMessage().contains("a new run (a new namespace) starts over"), e.getMessage());
        assertThrows(IllegalStateException.class, nearlyUsedUp::next);
        assertEquals(0, nearlyUsedUp.remaining());
    }

    @Test
    void scratchCursorStartsOverInsteadOfRunningOut() {
        assertEquals("127.128.0.1", UnusedLoopbackAddresses.scratch().next().getHostAddress());
        UnusedLoopbackAddresses nearEnd = new UnusedLoopbackAddresses(AddressFamily.IPV4,
                UnusedLoopbackAddresses.LAST_IPV4, true);
        assertEquals("127.255.255.254", nearEnd.next().getHostAddress());
        assertEquals("127.128.0.1", nearEnd.next().getHostAddress());
        assertNotEquals(0, nearEnd.remaining());
    }
}
