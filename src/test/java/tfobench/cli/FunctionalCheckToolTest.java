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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code check}: every handshake's evidence on this kernel, one line each, and the JSON the kernel matrix reads. */
class FunctionalCheckToolTest {
    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    @Test
    void passesCookieRequestSynDataFallbackAndCountersForBothTransports(@TempDir Path dir) throws Exception {
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
            assertEquals("10 passed, 0 failed", lines.get(lines.size() - 1));
        }
        JsonObject doc = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(10, doc.get("passed").getAsInt());
        assertEquals(0, doc.get("failed").getAsInt());
        assertEquals(10, doc.getAsJsonArray("checks").size());
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
