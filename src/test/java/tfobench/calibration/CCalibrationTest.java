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
    void fastOpenSavingDeviationComparesJavasSavingWithCs() {
        List<JavaToCRatios.Row> rows = List.of(
                new JavaToCRatios.Row("same-cpu", "cold", "native", 30, 25),
                new JavaToCRatios.Row("same-cpu", "tfo", "native", 26, 21));
        assertEquals(Map.of("same-cpu native", 0.0), JavaToCRatios.savingDeviation(rows));
        List<JavaToCRatios.Row> smaller = List.of(
                new JavaToCRatios.Row("same-cpu", "cold", "native", 30, 25),
                new JavaToCRatios.Row("same-cpu", "tfo", "native", 28, 21));
        assertEquals(-0.5, JavaToCRatios.savingDeviation(smaller).get("same-cpu native"), 1e-9);
        assertEquals(1.2, rows.get(0).ratio(), 1e-9);
        assertTrue(JavaToCRatios.table(rows).contains("| same-cpu | cold | native | 30.00 | 25.00 | 1.20x | MISSED 1.15x |"));
    }
}
