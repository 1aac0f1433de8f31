package tfobench.client;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tfobench.Transport;
import tfobench.server.CalcServer;
import tfobench.server.ServerConfig;
import tfobench.server.Servers;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.Loopback;

import java.net.InetSocketAddress;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The load generator counts every connection's fate, failures by kind, and does not stop at the first. */
class ConnectionLoadTest {

    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    @Test
    void countsFailedConnectionsByCallAndErrnoInsteadOfStopping() throws Exception {
        InetSocketAddress nobody = new InetSocketAddress(Loopback.fresh().getAddress(), 9);
        ConnectionLoad.Result result = ConnectionLoad.run(Transport.NATIVE, Handshake.COLD, nobody, 50, 2, 0, n -> { });
        assertEquals(50, result.connections());
        assertEquals(0, result.completed());
        assertEquals(Map.of("connect: ECONNREFUSED", 50L), result.errors());
    }

    @Test
    void splitsConnectionsOverThreadsAndCountsTheEvidence() throws Exception {
        try (CalcServer server = Servers.start(ServerConfig.fastOpen(Transport.NATIVE).withBind(Loopback.fresh()))) {
            ConnectionLoad.Result result = ConnectionLoad.run(Transport.NATIVE, Handshake.TFO, server.address(), 301,
                    3, 100, n -> { });
            assertEquals(301, result.completed());
            assertEquals(0, result.errorCount());
            long cookieRequests = result.synData().getOrDefault(SynData.COOKIE_REQUESTED, 0L);
            assertEquals(301, result.synData().getOrDefault(SynData.ACKED, 0L) + cookieRequests);
            assertEquals(301, result.latency().getTotalCount());
            assertEquals(true, cookieRequests >= 1 && cookieRequests <= 3, "one cookie request per client at most: "
                    + result.synData());
        }
    }
}
