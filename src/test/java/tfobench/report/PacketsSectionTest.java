package tfobench.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tfobench.testing.CaptureFixture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Packets section on a real capture (taken on this machine by the capture step: two connections of each
 * scenario in each transport, {@code src/test/resources/captures/loopback}) whose record was altered: every
 * contradiction between packets, {@code TCP_INFO}, scenario and TcpExt is a problem.
 */
class PacketsSectionTest {

    @Test
    void theCaptureAsTakenHasNoProblem(@TempDir Path tmp) throws Exception {
        PacketsSection section = PacketsSection.of(runWithCapture(tmp));
        assertEquals(java.util.List.of(), section.problems());
        assertFalse(section.markdown().contains("**NO**"));
    }

    @Test
    void packetsThatContradictTcpInfoAreAProblem(@TempDir Path tmp) throws Exception {
        Path run = runWithCapture(tmp);
        CaptureFixture.editExchanges(run, exchanges -> CaptureFixture.first(exchanges, "cold").addProperty("tcpInfo", "ACKED"));

        String problems = String.join("\n", PacketsSection.of(run).problems());

        assertTrue(problems.contains("cold native rtt 0, connection 1: the packets show SYN data not sent, "
                + "TCP_INFO said acked"), problems);
        assertEquals(1, PacketsSection.of(run).problems().size(), problems);
        assertTrue(PacketsSection.of(run).markdown().contains("| **NO** |"));
    }

    @Test
    void aColdSynPassedOffAsFastOpenIsCaughtByTheScenarioRules(@TempDir Path tmp) throws Exception {
        Path run = runWithCapture(tmp);
        // relabel the cold block as tfo (and its TCP_INFO too): only the packets can tell
        CaptureFixture.editExchanges(run, exchanges -> {
            for (JsonElement e : exchanges) {
                JsonObject o = e.getAsJsonObject();
                if (o.get("scenario").getAsString().equals("cold") && o.get("transport").getAsString().equals("native")) {
                    o.addProperty("scenario", "tfo");
                    o.addProperty("tcpInfo", "ACKED");
                }
            }
        });

        String problems = String.join("\n", PacketsSection.of(run).problems());

        assertTrue(problems.contains("a fast open SYN must carry a cookie; this one carries no fast open option, "
                + "no data"), problems);
        assertTrue(problems.contains("a fast open SYN must carry the 79-byte request; it carries 0 bytes"),
                problems);
    }

    @Test
    void aCookieRequestThatCarriedACookieOrDataIsAnError(@TempDir Path tmp) throws Exception {
        Path run = runWithCapture(tmp);
        CaptureFixture.editExchanges(run, exchanges -> {
            for (JsonElement e : exchanges) {
                JsonObject o = e.getAsJsonObject();
                if (o.get("scenario").getAsString().equals("tfo") && o.get("transport").getAsString().equals("netty")) {
                    o.addProperty("scenario", "cookie-request");
                    o.addProperty("tcpInfo", "COOKIE_REQUESTED");
                }
            }
        });

        String problems = String.join("\n", PacketsSection.of(run).problems());

        assertTrue(problems.contains("a cookie-request SYN must carry the fast open option without a cookie; "
                + "this one carries TFO cookie (8 bytes), 79 bytes of data"), problems);
        assertTrue(problems.contains("a cookie-request SYN must carry no data; it carries 79 bytes"), problems);
        // the kernel's counters over the two blocks disagree with the relabelling too
        assertTrue(problems.contains("cookie-request netty rtt 0: TcpExt counted TCPFastOpenActive 0, "
                + "TCPFastOpenCookieReqd 2 for 4 connection(s)"), problems);
    }

    @Test
    void aConnectionMissingFromTheCaptureIsAnError(@TempDir Path tmp) throws Exception {
        Path run = runWithCapture(tmp);
        CaptureFixture.editExchanges(run, exchanges -> CaptureFixture.first(exchanges, "tfo-connect").addProperty("server", "127.0.90.99:9"));

        String problems = String.join("\n", PacketsSection.of(run).problems());

        assertTrue(problems.contains("connection 1 to 127.0.90.99:9 is not in the capture"), problems);
    }

    private static Path runWithCapture(Path tmp) throws IOException {
        return CaptureFixture.copyInto(tmp);
    }
}
