package tfobench.capture;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tfobench.AddressFamily;
import tfobench.Transport;
import tfobench.client.SynData;
import tfobench.testing.CaptureFixture;
import tfobench.testing.FastOpenNamespace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every handshake captured for real in the private namespace, decoded, and held to what it must look like. */
class HandshakeCaptureTest {
    private static final int REQUEST = 79;

    @BeforeAll
    static void fastOpenNamespaceAndDumpcap() {
        FastOpenNamespace.require();
        CaptureFixture.requireDumpcap();
    }

    @Test
    void eachScenarioInEachTransportLooksOnTheWireAsItsEvidenceSays(@TempDir Path dir) throws Exception {
        List<HandshakeCapture.Block> blocks = HandshakeCapture.everyScenario(List.of(Transport.values()), 0);
        HandshakeCapture.Result result = HandshakeCapture.run(blocks, 2, dir.resolve("capture.pcapng"),
                dir.resolve("capture.json"));
        assertEquals(List.of(), result.problems());
        // 2 connections per one-shot block, 1 for keep-alive: 4 x 2 + 1 = 9 per transport
        assertEquals(18, result.matches().size());
        for (ExchangeMatch m : result.matches()) {
            Connection c = m.connection().orElseThrow();
            TcpSegment syn = c.syn();
            TcpSegment synAck = c.synAck().orElseThrow();
            String what = m.first().scenario() + " " + m.first().transport() + ": " + Ladder.text(
                    Ladder.rows(c, m.origin()), "");
            assertTrue(syn.options().stream().anyMatch(o -> o.mss() > 0), what);
            assertTrue(c.firstAnswer().isPresent(), what);
            switch (m.first().scenario()) {
                case "cold":
                    assertEquals(SynData.NOT_SENT, m.first().tcpInfo(), what);
                    assertTrue(syn.fastOpen().isEmpty(), what);
                    assertEquals(0, syn.payloadLength(), what);
                    assertTrue(synAck.fastOpen().isEmpty(), what);
                    break;
                case "tfo":
                case "tfo-connect":
                    assertEquals(SynData.ACKED, m.first().tcpInfo(), what);
                    assertEquals(REQUEST, syn.payloadLength(), what);
                    assertEquals(8, syn.fastOpen().orElseThrow().fastOpenCookieBytes(), what);
                    assertEquals(syn.sequence() + 1 + REQUEST, synAck.acknowledgment(), what);
                    // the request is not sent again after the handshake
                    assertEquals(1, c.clientData().size(), what);
                    break;
                case "cookie-request":
                    assertEquals(SynData.COOKIE_REQUESTED, m.first().tcpInfo(), what);
                    assertTrue(syn.fastOpen().orElseThrow().fastOpenCookieRequest(), what);
                    assertEquals(0, syn.payloadLength(), what);
                    assertEquals(8, synAck.fastOpen().orElseThrow().fastOpenCookieBytes(), what);
                    assertEquals(REQUEST, c.clientData().get(0).payloadLength(), what);
                    break;
                case "keepalive":
                    assertEquals(2, m.requests().size(), what);
                    assertEquals(SynData.REUSED, m.requests().get(1).tcpInfo(), what);
                    assertEquals(1, c.synsSent(), what);
                    assertEquals(2, c.clientData().size(), what);
                    break;
                default:
                    throw new AssertionError(what);
            }
        }
        assertTrue(Files.size(dir.resolve("capture.pcapng")) > 0);
        CaptureIndex index = CaptureIndex.read(dir.resolve("capture.json"));
        assertEquals(result.index().exchanges(), index.exchanges());
        assertFalse(index.tcpExt().isEmpty());
    }

    @Test
    void anIpv6RunWithLargerRequestsIsCapturedInItsOwnFamilyAndSize(@TempDir Path dir) throws Exception {
        int bytes = 2000;
        List<HandshakeCapture.Block> blocks = List.of(
                new HandshakeCapture.Block("tfo", Transport.NATIVE, 0, AddressFamily.IPV6, bytes),
                new HandshakeCapture.Block("cookie-request", Transport.NETTY, 0, AddressFamily.IPV6, bytes));
        HandshakeCapture.Result result = HandshakeCapture.run(blocks, 2, dir.resolve("capture.pcapng"),
                dir.resolve("capture.json"));
        assertEquals(List.of(), result.problems());
        assertEquals(4, result.matches().size());
        for (ExchangeMatch m : result.matches()) {
            Connection c = m.connection().orElseThrow();
            String what = m.first().scenario() + ": " + Ladder.text(Ladder.rows(c, m.origin()), "");
            assertEquals(AddressFamily.IPV6, AddressFamily.of(m.first().server().getAddress()), what);
            assertEquals(bytes, m.first().requestBytes(), what);
            if (m.first().scenario().equals("tfo")) {
                // loopback's MTU leaves room for the whole request in the SYN
                assertEquals(bytes, c.syn().payloadLength(), what);
            } else {
                assertEquals(0, c.syn().payloadLength(), what);
                assertEquals(bytes, c.clientData().get(0).payloadLength(), what);
            }
        }
        assertEquals(List.of(bytes), result.index().facts().get("requestBytes"));
        assertEquals(result.index().exchanges(), CaptureIndex.read(dir.resolve("capture.json")).exchanges());
    }
}
