package tfobench.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tfobench.testing.CaptureFixture;
import tfobench.testing.RunFixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code report} on a run folder holding a real capture (taken on this machine by the capture step: two
 * connections of each scenario in each transport, {@code src/test/resources/captures/loopback}): the Packets
 * section and its ladders, and every contradiction between packets and evidence as an error with exit status 1.
 */
class PacketsReportTest {

    @Test
    void summaryShowsWhatThePacketsProveAndTheLadderOfEachScenario(@TempDir Path tmp) throws Exception {
        Path run = runWithCapture(tmp);

        ToolRun result = ToolRun.of("report", run.toString());

        assertEquals(0, result.status(), result.err());
        String summary = Files.readString(run.resolve("summary.md"));
        assertTrue(summary.contains("\n## Packets\n"), summary);
        assertTrue(summary.contains("Packets, `TCP_INFO` and TcpExt agree for every captured connection."), summary);
        assertFalse(summary.contains("ERROR"), summary);
        for (String transport : new String[] {"native", "netty"}) {
            assertTrue(summary.contains("| cold | " + transport + " | 0 | 2 | 2 | no fast open option, no data | plain |"),
                    summary);
            assertTrue(summary.contains("| tfo | " + transport + " | 0 | 2 | 2 | TFO cookie (8 bytes), 79 bytes of data "
                    + "| acknowledges the SYN's data |"), summary);
            assertTrue(summary.contains("| tfo-connect | " + transport + " | 0 | 2 | 2 | TFO cookie (8 bytes), 79 bytes "
                    + "of data | acknowledges the SYN's data |"), summary);
            assertTrue(summary.contains("| cookie-request | " + transport + " | 0 | 2 | 2 | TFO cookie request, no data "
                    + "| TFO cookie (8 bytes) |"), summary);
            assertTrue(summary.contains("| keepalive | " + transport + " | 0 | 1 | 2 | no fast open option, no data "
                    + "| plain |"), summary);
            for (String scenario : new String[] {"cold", "tfo", "tfo-connect", "cookie-request", "keepalive"}) {
                assertTrue(summary.contains("#### " + scenario + " · " + transport + " (server "), scenario);
            }
        }
        // a ladder row as the seed shows its fast open SYN: flags, options with the cookie, 79 bytes
        assertTrue(summary.matches("(?s).*\\| client → server \\| SYN \\| MSS 65495, SACK_PERM, TS val \\d+ ecr 0, "
                + "WS \\d+, TFO cookie [0-9a-f]{16} \\(8 bytes\\) \\| 79 \\|.*"), summary);
        assertTrue(summary.matches("(?s).*\\| client → server \\| SYN \\| MSS 65495, SACK_PERM, TS val \\d+ ecr 0, "
                + "WS \\d+, TFO cookie request \\| 0 \\|.*"), summary);
    }

    @Test
    void packetsThatContradictTcpInfoAreAnErrorAndTheReportExitsNonZero(@TempDir Path tmp) throws Exception {
        Path run = runWithCapture(tmp);
        CaptureFixture.editExchanges(run, exchanges -> CaptureFixture.first(exchanges, "cold").addProperty("tcpInfo", "ACKED"));

        ToolRun result = ToolRun.of("report", run.toString());

        assertEquals(1, result.status(), result.out());
        assertTrue(result.err().contains("report: ERROR: packets contradict the evidence: "), result.err());
        assertTrue(result.err().contains("cold native rtt 0, connection 1: the packets show SYN data not sent, "
                + "TCP_INFO said acked"), result.err());
        String summary = Files.readString(run.resolve("summary.md"));
        assertTrue(summary.contains("> **ERROR: the packets contradict the other evidence in 1 place(s); see Packets.**"),
                summary);
        assertTrue(summary.contains("| **NO** |"), summary);
    }

    @Test
    void aSkippedCaptureIsSaidInTheSummaryWithItsReason(@TempDir Path tmp) throws Exception {
        Path run = RunFixtures.copy("reference", tmp);
        Files.writeString(run.resolve("capture-skipped.txt"), "capture skipped: dumpcap not found on PATH: apt-get "
                + "install wireshark-common\n");

        ToolRun result = ToolRun.of("report", run.toString());

        assertEquals(0, result.status(), result.err());
        assertTrue(Files.readString(run.resolve("summary.md")).contains("## Packets\n\nNo capture: capture skipped: "
                + "dumpcap not found on PATH: apt-get install wireshark-common\n"));
    }

    @Test
    void aDamagedCaptureFileIsOneLineAndExitStatusOne(@TempDir Path tmp) throws Exception {
        Path run = runWithCapture(tmp);
        byte[] bytes = Files.readAllBytes(run.resolve("capture.pcapng"));
        Files.write(run.resolve("capture.pcapng"), java.util.Arrays.copyOf(bytes, bytes.length - 30));

        ToolRun result = ToolRun.of("report", run.toString());

        assertEquals(1, result.status(), result.out());
        assertTrue(result.err().startsWith("report: "), result.err());
        assertTrue(result.err().contains("damaged capture file"), result.err());
        assertEquals(1, result.err().lines().count(), result.err());
    }

    private static Path runWithCapture(Path tmp) throws IOException {
        return CaptureFixture.copyInto(RunFixtures.copy("reference", tmp));
    }
}
