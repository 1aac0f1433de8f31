package tfobench.client;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tfobench.AddressFamily;
import tfobench.Transport;
import tfobench.linux.TcpExtCounters;
import tfobench.protocol.Operator;
import tfobench.protocol.Request;
import tfobench.protocol.Response;
import tfobench.server.CalcServer;
import tfobench.server.ServerConfig;
import tfobench.server.Servers;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.Loopback;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every address family x server transport x client transport x handshake, end to end on loopback in the private
 * namespace (127.0.N.M, or fd74:666f:0:2::N routed to lo): the answers are right, the per-connection evidence says
 * what the handshake claims, and the kernel's TcpExt counters agree with the evidence.
 */
class HandshakeEvidenceTest {
    private static final int EXCHANGES = 5;
    private static final Request ONE_PLUS_ONE = new Request(1, Operator.ADD, 1, true);

    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    static Stream<Arguments> pairs() {
        List<Arguments> all = new ArrayList<>();
        for (AddressFamily family : AddressFamily.values()) {
            for (Transport server : Transport.values()) {
                for (Transport client : Transport.values()) {
                    for (Handshake handshake : Handshake.values()) {
                        all.add(Arguments.of(family, server, client, handshake));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, {1} server, {2} client, {3}")
    @MethodSource("pairs")
    void evidenceMatchesHandshakeAndKernelCounters(AddressFamily family, Transport serverTransport,
                                                   Transport clientTransport, Handshake handshake) throws Exception {
        ServerConfig config = ServerConfig.fastOpen(serverTransport).withBind(Loopback.fresh(family));
        try (CalcServer server = Servers.start(config);
             CalcClient client = Clients.create(clientTransport, handshake, server.address())) {
            TcpExtCounters before = TcpExtCounters.read();
            List<SynData> seen = new ArrayList<>();
            for (int i = 0; i < EXCHANGES; i++) {
                Exchange exchange = client.exchange(ONE_PLUS_ONE);
                Response response = exchange.response();
                assertEquals(Response.ok(2, true), response, "exchange " + i);
                seen.add(exchange.synData());
            }
            client.close();
            TcpExtCounters delta = TcpExtCounters.read().minus(before);

            assertEquals(expectedEvidence(handshake), seen);
            Map<SynData, Integer> counts = count(seen);
            int acked = counts.getOrDefault(SynData.ACKED, 0);
            int cookieRequests = counts.getOrDefault(SynData.COOKIE_REQUESTED, 0);
            assertEquals(acked, delta.get("TCPFastOpenActive"), "TCPFastOpenActive vs acked connections " + delta);
            assertEquals(acked, delta.get("TCPFastOpenPassive"), "TCPFastOpenPassive vs acked connections " + delta);
            assertEquals(cookieRequests, delta.get("TCPFastOpenCookieReqd"), "cookie requests " + delta);
            assertEquals(0, delta.get("TCPFastOpenActiveFail"), "TCPFastOpenActiveFail " + delta);
            assertEquals(0, delta.get("TCPFastOpenPassiveFail"), "TCPFastOpenPassiveFail " + delta);
        }
    }

    /** First connection to a fresh address has no cookie; from the second on, fast open handshakes are acked. */
    private static List<SynData> expectedEvidence(Handshake handshake) {
        List<SynData> expected = new ArrayList<>();
        for (int i = 0; i < EXCHANGES; i++) {
            switch (handshake) {
                case COLD:
                    expected.add(SynData.NOT_SENT);
                    break;
                case TFO:
                case TFO_CONNECT:
                    expected.add(i == 0 ? SynData.COOKIE_REQUESTED : SynData.ACKED);
                    break;
                case KEEPALIVE:
                    expected.add(i == 0 ? SynData.NOT_SENT : SynData.REUSED);
                    break;
                default:
                    throw new AssertionError(handshake);
            }
        }
        return expected;
    }

    private static Map<SynData, Integer> count(List<SynData> seen) {
        Map<SynData, Integer> counts = new EnumMap<>(SynData.class);
        seen.forEach(s -> counts.merge(s, 1, Integer::sum));
        return counts;
    }
}
