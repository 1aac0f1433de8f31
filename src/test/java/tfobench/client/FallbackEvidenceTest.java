package tfobench.client;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A fast open that did not happen is never reported as one. */
class FallbackEvidenceTest {
    private static final Request ONE_PLUS_ONE = new Request(1, Operator.ADD, 1, true);

    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    @ParameterizedTest(name = "{0} client")
    @EnumSource(Transport.class)
    void dataSentInSynToServerWithoutFastOpenIsReportedNotAcked(Transport clientTransport) throws Exception {
        InetSocketAddress address = Loopback.fresh();
        // A fast open server on the address gives the client a cookie...
        try (CalcServer tfoServer = Servers.start(ServerConfig.fastOpen(Transport.NATIVE).withBind(address));
             CalcClient client = Clients.create(clientTransport, Handshake.TFO, tfoServer.address())) {
            assertEquals(SynData.COOKIE_REQUESTED, client.exchange(ONE_PLUS_ONE).synData());
            assertEquals(SynData.ACKED, client.exchange(ONE_PLUS_ONE).synData());
        }
        // ...then a plain server takes the address: the client sends data with its cookie, the server ignores it.
        try (CalcServer plainServer = Servers.start(ServerConfig.plain(Transport.NATIVE).withBind(address));
             CalcClient client = Clients.create(clientTransport, Handshake.TFO, plainServer.address())) {
            TcpExtCounters before = TcpExtCounters.read();
            Exchange exchange = client.exchange(ONE_PLUS_ONE);
            TcpExtCounters delta = TcpExtCounters.read().minus(before);

            assertEquals(Response.ok(2, true), exchange.response(), "the request still gets its answer");
            assertEquals(SynData.NOT_ACKED, exchange.synData());
            assertFalse(exchange.synData().acked());
            assertEquals(1, delta.get("TCPFastOpenActiveFail"), delta.toString());
            assertEquals(0, delta.get("TCPFastOpenActive"), delta.toString());
        }
    }

    @ParameterizedTest(name = "{0} client")
    @EnumSource(Transport.class)
    void coldHandshakeToFastOpenServerSendsNoSynData(Transport clientTransport) throws Exception {
        try (CalcServer server = Servers.start(ServerConfig.fastOpen(Transport.NATIVE).withBind(Loopback.fresh()));
             CalcClient tfo = Clients.create(clientTransport, Handshake.TFO, server.address());
             CalcClient cold = Clients.create(clientTransport, Handshake.COLD, server.address())) {
            tfo.exchange(ONE_PLUS_ONE); // a cookie is now cached for the address
            TcpExtCounters before = TcpExtCounters.read();
            assertEquals(SynData.NOT_SENT, cold.exchange(ONE_PLUS_ONE).synData());
            TcpExtCounters delta = TcpExtCounters.read().minus(before);
            assertEquals(0, delta.get("TCPFastOpenActive") + delta.get("TCPFastOpenPassive"), delta.toString());
        }
    }
}
