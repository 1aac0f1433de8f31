package tfobench.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tfobench.testing.RunFixtures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CPU per operation sections of summary.md and compare, from the profiler's secondary metrics. */
class CpuCostTableTest {

    @Test
    void summaryShowsClientServerAndTheirSumPerResultAndRemoteWhereTheServerWasElsewhere(@TempDir Path tmp)
            throws IOException {
        Path run = withCpu(RunFixtures.copy("reference", tmp), 1.0);
        withoutServer(run, "handshake", "tfo");
        String section = CpuCostTable.summary(List.of(RunReader.read(run)));
        assertTrue(section.startsWith("## CPU per operation\n"), section);
        // cold: client 10 + server 20 per operation; the tfo result's server was remote: no server side
        assertTrue(section.contains("| FirstRequestBenchmark.firstRequest | allowFallback=false handshake=cold "
                + "placement=same-cpu transport=native | 10.0 | 20.0 | 30.0 | 1.50 |"), section);
        assertTrue(section.contains("| remote | – |"), section);
        assertTrue(!section.contains("Baseline"), "the baseline has no CPU metrics: " + section);
    }

    @Test
    void aRunWithoutCpuMetricsHasNoSection(@TempDir Path tmp) throws IOException {
        assertEquals("", CpuCostTable.summary(List.of(RunReader.read(RunFixtures.copy("reference", tmp)))));
    }

    @Test
    void compareSetsEachRunsSumAgainstRunOnesAsARatioWithoutAVerdict(@TempDir Path tmp) throws IOException {
        Path one = withCpu(RunFixtures.copy("reference", tmp.resolve("a")), 1.0);
        Path two = withCpu(RunFixtures.copy("reference", tmp.resolve("b")), 2.0);
        String section = CpuCostTable.comparison(List.of(RunReader.read(one), RunReader.read(two)));
        assertTrue(section.contains("| KeepAliveBenchmark.keepAliveRequest | placement=same-cpu transport=native | 2 "
                + "| 20.0 | 40.0 | 60.0 | 2.000 | – | n/a (no test) |"), section);
        assertTrue(section.contains("iterations of one fork are not independent replicates"), section);
    }

    /** Adds cpu.* metrics to every network result: client 10, server 20, other 1.5 us/op, times scale. */
    private static Path withCpu(Path run, double scale) throws IOException {
        Path file = run.resolve(RunFolder.JMH_JSON);
        JsonArray results = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonArray();
        for (JsonElement e : results) {
            JsonObject r = e.getAsJsonObject();
            if (r.get("benchmark").getAsString().contains("Baseline")) {
                continue;
            }
            JsonObject secondary = r.getAsJsonObject("secondaryMetrics");
            secondary.add("cpu.client", metric(10 * scale));
            secondary.add("cpu.server", metric(20 * scale));
            secondary.add("cpu.otherThreads", metric(1.5 * scale));
        }
        Files.writeString(file, results.toString(), StandardCharsets.UTF_8);
        return run;
    }

    /** As a run with -p host= writes it: the server's threads ran elsewhere, so there is no cpu.server. */
    private static void withoutServer(Path run, String param, String value) throws IOException {
        Path file = run.resolve(RunFolder.JMH_JSON);
        JsonArray results = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonArray();
        for (JsonElement e : results) {
            JsonObject r = e.getAsJsonObject();
            JsonObject params = r.getAsJsonObject("params");
            if (params != null && params.has(param) && params.get(param).getAsString().equals(value)) {
                r.getAsJsonObject("secondaryMetrics").remove("cpu.server");
            }
        }
        Files.writeString(file, results.toString(), StandardCharsets.UTF_8);
    }

    /** A metric as JMH writes it: score and two forks of three iterations around it. */
    private static JsonObject metric(double score) {
        JsonObject m = new JsonObject();
        m.addProperty("score", score);
        m.addProperty("scoreUnit", "us/op");
        JsonArray raw = new JsonArray();
        for (int fork = 0; fork < 2; fork++) {
            JsonArray iterations = new JsonArray();
            for (double f : new double[] {0.99, 1.0, 1.01}) {
                iterations.add(score * f);
            }
            raw.add(iterations);
        }
        m.add("rawData", raw);
        return m;
    }
}
