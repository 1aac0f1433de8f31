package tfobench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tfobench.testing.SyntheticRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java/C comparison only puts a Java result beside the C peers' figures when both ran in the same setting. */
class CalibrationSectionTest {
    private static final String FIRST = "tfobench.bench.FirstRequestBenchmark.firstRequest";
    private static final String C = "{\"c\": {\"same-cpu\": {\"cold\": {\"p50Micros\": 20.0}, "
            + "\"tfo\": {\"p50Micros\": 16.0}}}}";

    @Test
    void aLoopbackRunIsComparedWithTheCPeers(@TempDir Path tmp) throws IOException {
        Path dir = run(tmp.resolve("2026-11-30T000000Z-6.18-loopback"), Map.of());

        String section = CalibrationSection.render(RunReader.read(dir));

        assertTrue(section.contains("| same-cpu | cold | native | 25.01 | 20.00 | 1.25x | missed (1.15x) |"), section);
        assertTrue(section.contains("same-cpu native: Java 2.99 us, C 4.00 us (Java -25%)"), section);
    }

    @Test
    void anRttOrVethRunIsNotComparedWithLoopbackC(@TempDir Path tmp) throws IOException {
        Path dir = run(tmp.resolve("2026-11-30T000000Z-6.18-veth"), Map.of("host", "veth", "rtt", "50"));

        String section = CalibrationSection.render(RunReader.read(dir));

        assertFalse(section.contains("| same-cpu | cold |"), section);
        assertTrue(section.contains("Nothing compared: the C peers measured plain loopback, rtt=0, requestBytes=79, "
                + "family=ipv4, and no result of this run ran there"), section);
        assertTrue(CalibrationSection.table(RunReader.read(dir)).startsWith("Nothing compared"));
    }

    private static Path run(Path dir, Map<String, String> setting) throws IOException {
        Map<String, String> cold = new HashMap<>(Map.of("allowFallback", "false", "handshake", "cold",
                "placement", "same-cpu", "transport", "native"));
        Map<String, String> tfo = new HashMap<>(cold);
        tfo.put("handshake", "tfo");
        cold.putAll(setting);
        tfo.putAll(setting);
        SyntheticRun.in(dir)
                .result(FIRST, cold, SyntheticRun.forks(6, 2, 25.0))
                .result(FIRST, tfo, SyntheticRun.forks(6, 2, 22.0))
                .write();
        Files.writeString(dir.resolve(CalibrationSection.FILE), C);
        return dir;
    }
}
