package tfobench.calibration;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tfobench.bench.Placement;
import tfobench.linux.CpuAffinity;
import tfobench.testing.FastOpenNamespace;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The C peer builds from the jar's copy of its source and measures every scenario, with its own evidence. */
class CCalibrationTest {

    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    @Test
    void measuresEveryScenarioAndFastOpenReallyHappensInC(@TempDir Path dir) throws Exception {
        assertTrue(CPeer.whyNot().isEmpty(), "gcc needed: " + CPeer.whyNot().orElse(""));
        CPeer peer = CPeer.build(dir);
        assertEquals(64, peer.sourceSha256().length());
        Map<String, Map<String, JsonObject>> results = new CCalibration(peer, Duration.ofMillis(100),
                Duration.ofMillis(300)).run(List.of(Placement.SAME_CPU), CpuAffinity.currentThreadAffinity());

        Map<String, JsonObject> sameCpu = results.get("same-cpu");
        assertEquals(CCalibration.SCENARIOS, List.copyOf(sameCpu.keySet()));
        for (Map.Entry<String, JsonObject> e : sameCpu.entrySet()) {
            JsonObject r = e.getValue();
            assertTrue(r.get("count").getAsLong() > 10, e.getKey() + " " + r);
            double p50 = r.get("p50Micros").getAsDouble();
            assertTrue(p50 > 0 && p50 <= r.get("p99Micros").getAsDouble(), e.getKey() + " " + r);
            boolean fastOpen = e.getKey().startsWith("tfo");
            assertEquals(fastOpen ? 1.0 : 0.0, r.get("synDataAcked").getAsDouble(), e.getKey() + " " + r);
        }
    }

    @Test
    void theFloorMeasuresItsThreeScenariosWithTheKernelsCountersAsEvidenceAndBothSidesCpu(@TempDir Path dir)
            throws Exception {
        CPeer floor = CPeer.buildFloor(dir);
        assertEquals(dir.resolve("floor.c"), floor.source());
        Map<String, JsonObject> sameCpu = new CFloor(floor, Duration.ofMillis(100), Duration.ofMillis(300))
                .run(List.of(Placement.SAME_CPU), CpuAffinity.currentThreadAffinity()).get("same-cpu");
        assertEquals(CFloor.SCENARIOS, List.copyOf(sameCpu.keySet()));
        for (Map.Entry<String, JsonObject> e : sameCpu.entrySet()) {
            JsonObject r = e.getValue();
            long all = r.get("allOperations").getAsLong();
            assertTrue(r.get("count").getAsLong() > 10 && all > r.get("count").getAsLong(), e.getKey() + " " + r);
            assertTrue(r.get("clientCpuMicrosPerOp").getAsDouble() > 0, e.getKey() + " " + r);
            assertTrue(r.get("serverCpuMicrosPerOp").getAsDouble() > 0, e.getKey() + " " + r);
            long active = r.getAsJsonObject("tcpext").get("TCPFastOpenActive").getAsLong();
            if (e.getKey().equals("tfo")) {
                // every operation but at most the first (which may have had to ask for a cookie) went in the SYN
                assertTrue(active >= all - 1 && active <= all, r.toString());
            } else {
                assertEquals(0, active, r.toString());
            }
        }
    }

    @Test
    void fastOpenSavingDeviationComparesJavasSavingWithCs() {
        List<JavaToCRatios.Row> rows = List.of(
                new JavaToCRatios.Row("same-cpu", "cold", "native", 30, 25),
                new JavaToCRatios.Row("same-cpu", "tfo", "native", 26, 21));
        assertEquals(Map.of("same-cpu native", 0.0), JavaToCRatios.savingDeviation(rows));
        List<JavaToCRatios.Row> smaller = List.of(
                new JavaToCRatios.Row("same-cpu", "cold", "native", 30, 25),
                new JavaToCRatios.Row("same-cpu", "tfo", "native", 28, 21));
        assertEquals(-0.5, JavaToCRatios.savingDeviation(smaller).get("same-cpu native"), 1e-9);
        assertEquals("same-cpu native: Java 2.00 us, C 4.00 us (Java -50%)",
                JavaToCRatios.savings(smaller).get(0).describe());
        // C saving nothing (across CPUs on some machines): a percentage of it would be any number at all
        List<JavaToCRatios.Row> cSavesNothing = List.of(
                new JavaToCRatios.Row("cross-cpu", "cold", "native", 86.6, 57.8),
                new JavaToCRatios.Row("cross-cpu", "tfo", "native", 67.3, 60.5));
        assertEquals(Map.of(), JavaToCRatios.savingDeviation(cSavesNothing));
        assertEquals("cross-cpu native: Java 19.30 us, C -2.70 us (C saves nothing here: no ratio)",
                JavaToCRatios.savings(cSavesNothing).get(0).describe());
        assertEquals(1.2, rows.get(0).ratio(), 1e-9);
        assertTrue(JavaToCRatios.table(rows).contains("| same-cpu | cold | native | 30.00 | 25.00 | 1.20x | MISSED 1.15x |"));
    }
}
