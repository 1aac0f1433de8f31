package tfobench.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.JarTool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code check}: every handshake's evidence on this kernel, one line each, and the JSON the kernel matrix reads. */
class FunctionalCheckToolTest {
    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    @Test
    void passesCookieRequestSynDataFallbackCountersAndTheKernelBehavioursForBothTransports(@TempDir Path dir)
            throws Exception {
        Path json = dir.resolve("check.json");
        try (JarTool check = JarTool.start("check", "--json", json.toString())) {
            assertEquals(0, check.awaitExit(), String.join("\n", check.lines()));
            List<String> lines = check.lines();
            String output = String.join("\n", lines);
            for (String transport : List.of("native", "netty")) {
                for (String name : List.of("cold-sends-no-syn-data", "first-tfo-requests-cookie", "tfo-syn-data-acked",
                        "tfo-connect-syn-data-acked", "fallback-reported-not-acked")) {
                    assertTrue(output.contains(String.format("PASS %-7s %s", transport, name)), output);
                }
            }
            assertTrue(output.contains("TcpExt TCPFastOpenActive=+1 TCPFastOpenPassive=+1"), output);
            assertTrue(output.contains("TcpExt TCPFastOpenActiveFail=+1"), output);
            assertTrue(output.contains("PASS kernel  fast-open-not-blackholed"), output);
            // Behaviours every kernel the suite supports has (5.5+): they must pass here.
            for (String name : List.of("client-fail-reasons", "fastopen-connect", "backup-key", "blackhole-default",
                    "blackhole-detection")) {
                assertTrue(output.contains(String.format("PASS %-7s %s", "kernel", name)), output);
            }
            assertTrue(output.contains("blackhole detection fired (TCPFastOpenBlackhole +1"), output);
            assertTrue(lines.get(lines.size() - 1).matches("18 passed, 0 failed(, [12] not on this kernel)?"),
                    lines.get(lines.size() - 1));
        }
        JsonObject doc = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(0, doc.get("failed").getAsInt());
        assertEquals(18, doc.getAsJsonArray("checks").size());
        Map<String, JsonObject> behaviours = new LinkedHashMap<>();
        doc.getAsJsonArray("checks").forEach(c -> {
            if (c.getAsJsonObject().has("behaviour")) {
                behaviours.put(c.getAsJsonObject().get("check").getAsString(), c.getAsJsonObject());
            }
        });
        assertEquals(List.of("client-fail-reasons", "fastopen-connect", "backup-key", "tw-reuse-delay",
                "tfo-child-flag", "blackhole-default", "blackhole-detection"), List.copyOf(behaviours.keySet()));
        assertEquals("1 cookie unavailable, 2 data not acked, 3 SYN retransmitted",
                behaviours.get("client-fail-reasons").get("observed").getAsString());
        // tcp_tw_reuse_delay is 6.13+: where this namespace has the sysctl, the check must have measured it.
        String twStatus = behaviours.get("tw-reuse-delay").get("status").getAsString();
        assertEquals(Files.exists(Path.of("/proc/sys/net/ipv4/tcp_tw_reuse_delay")) ? "pass" : "not on this kernel",
                twStatus, behaviours.get("tw-reuse-delay").toString());
        assertTrue(List.of("pass", "not on this kernel").contains(
                behaviours.get("tfo-child-flag").get("status").getAsString()), behaviours.get("tfo-child-flag")
                .toString());
    }

    @Test
    void packetRoundTripsAllowTheEmulatorsLatenessButNeverAnExtraRoundTrip() {
        assertTrue(FunctionalCheckTool.roundTrips(2.06, 2)); // cold at 50 ms plus 3 ms of emulated CPU
        assertTrue(FunctionalCheckTool.roundTrips(1.02, 1));
        assertTrue(FunctionalCheckTool.roundTrips(0.95, 1)); // netem's timer may release a little early
        assertFalse(FunctionalCheckTool.roundTrips(2.0, 1)); // a "fast open" that took two round trips
        assertFalse(FunctionalCheckTool.roundTrips(1.0, 2)); // a cold answer one round trip early is impossible
        assertFalse(FunctionalCheckTool.roundTrips(1.5, 1));
    }

    @Test
    void rejectsABadRttWithOneLine() throws Exception {
        try (JarTool check = JarTool.start("check", "--rtt", "fast")) {
            assertEquals(2, check.awaitExit());
            assertEquals(List.of("check: --rtt expects a whole number, got 'fast'"), check.lines());
        }
    }

    @Test
    void matrixNeedsARunFolder() throws Exception {
        try (JarTool matrix = JarTool.start("matrix")) {
            assertEquals(2, matrix.awaitExit());
            assertEquals(List.of("matrix: name at least one run folder (try --help)"), matrix.lines());
        }
    }
}
