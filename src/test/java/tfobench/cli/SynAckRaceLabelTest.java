package tfobench.cli;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tfobench.report.SynAckRace;
import tfobench.testing.RunFixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fast open results whose iterations counted retransmission timeouts (the data-before-SYN-ACK race) are labelled
 * in summary and compare, and open-loop points in the load report; other results, and runs older than the metric,
 * are not.
 */
class SynAckRaceLabelTest {
    private static final String COLD = "allowFallback=false handshake=cold placement=same-cpu transport=native";
    private static final String TFO = "allowFallback=false handshake=tfo placement=same-cpu transport=native";

    @Test
    void labelsOnlyFastOpenWithTimeouts() {
        assertEquals("3 RTO", SynAckRace.label(true, 3.0));
        assertEquals("", SynAckRace.label(true, 0L), "no timeout, no label");
        assertEquals("", SynAckRace.label(false, 3L), "a cold result's timeouts are not this race");
        assertEquals("", SynAckRace.label(true, null), "a run older than the metric");
    }

    @Test
    void summaryLabelsTheTfoResultAndExplainsTheLabel(@TempDir Path tmp) throws IOException {
        Path run = withTimeouts(RunFixtures.copy("reference", tmp), 3, 2);

        ToolRun report = ToolRun.of("report", run.toString());

        assertEquals(0, report.status(), report.err());
        String summary = Files.readString(run.resolve("summary.md"));
        assertTrue(summary.contains("| ok, 3 RTO | hlog |"), summary);
        assertTrue(summary.contains(SynAckRace.NOTE), "the label is explained under the table");
        assertFalse(summary.contains("| ok, 2 RTO |") || summary.contains("| , 2 RTO |"), "cold is not labelled");
    }

    @Test
    void compareLabelsTheAffectedRunOnly(@TempDir Path tmp) throws IOException {
        Path affected = withTimeouts(RunFixtures.copy("reference", tmp.resolve("a")), 5, 0);

        ToolRun compare = ToolRun.of("compare", RunFixtures.path("reference").toString(), affected.toString());

        assertEquals(0, compare.status(), compare.err());
        assertEquals("ok", compare.row(TFO, 1)[5], "the fixture predates the metric: no label");
        assertEquals("ok, 5 RTO", compare.row(TFO, 2)[5]);
        assertEquals("", compare.row(COLD, 2)[5]);
        assertTrue(compare.out().contains(SynAckRace.NOTE), compare.out());
    }

    @Test
    void noTimeoutsNoNote(@TempDir Path tmp) throws IOException {
        Path run = withTimeouts(RunFixtures.copy("reference", tmp), 0, 0);

        assertEquals(0, ToolRun.of("report", run.toString()).status());

        String summary = Files.readString(run.resolve("summary.md"));
        assertTrue(summary.contains("| ok | hlog |"), summary);
        assertFalse(summary.contains("RTO"), summary);
    }

    @Test
    void loadReportLabelsTheFastOpenPointWithTimeoutsOnly(@TempDir Path tmp) throws IOException {
        Path run = RunFixtures.copy("load-rps", tmp);

        ToolRun report = ToolRun.of("report", run.toString());

        assertEquals(0, report.status(), report.err());
        String summary = Files.readString(run.resolve("summary.md"));
        assertEquals("1 RTO", rtos(summary, "cross-cpu", "tfo"));
        assertEquals("0", rtos(summary, "cross-cpu", "cold"), "cold shows its count, unlabelled");
        assertEquals("0", rtos(summary, "cross-cpu+rps", "tfo"), "the steered point had no timeout");
        assertTrue(summary.contains(SynAckRace.NOTE), "the label is explained under the table");
    }

    @Test
    void loadFolderOlderThanTheMetricShowsNoCountAndNoNote(@TempDir Path tmp) throws IOException {
        Path run = RunFixtures.copy("load-rps", tmp);
        Path json = run.resolve("load-summary.json");
        JsonObject summaryJson = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        for (JsonElement point : summaryJson.getAsJsonArray("points")) {
            point.getAsJsonObject().remove("tcpTimeouts");
        }
        Files.writeString(json, new Gson().toJson(summaryJson));

        assertEquals(0, ToolRun.of("report", run.toString()).status());

        String summary = Files.readString(run.resolve("summary.md"));
        assertEquals("–", rtos(summary, "cross-cpu", "tfo"), "unknown, not zero");
        assertFalse(summary.contains(SynAckRace.NOTE), summary);
    }

    /** The RTOs cell of the open-loop table's row for this placement and handshake. */
    private static String rtos(String summary, String placement, String handshake) {
        String[] header = summary.lines().filter(l -> l.startsWith("| placement |")).map(ToolRun::cells)
                .findFirst().orElseThrow(() -> new AssertionError("no points table in:\n" + summary));
        int column = java.util.Arrays.asList(header).indexOf("RTOs");
        int handshakeColumn = java.util.Arrays.asList(header).indexOf("handshake");
        return summary.lines().filter(l -> l.startsWith("| ")).map(ToolRun::cells)
                .filter(c -> c[0].equals(placement) && c[handshakeColumn].equals(handshake)).findFirst()
                .map(c -> c[column])
                .orElseThrow(() -> new AssertionError("no row " + placement + " " + handshake + " in:\n" + summary));
    }

    /** Adds the profiler's {@code tcpext.TCPTimeouts} metric to the tfo and cold results of a copied fixture. */
    private static Path withTimeouts(Path run, long tfo, long cold) throws IOException {
        Path json = run.resolve("jmh-result.json");
        JsonArray results = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
        for (JsonElement e : results) {
            JsonObject r = e.getAsJsonObject();
            JsonObject params = r.getAsJsonObject("params");
            String handshake = params == null || !params.has("handshake") ? "" : params.get("handshake").getAsString();
            if (handshake.equals("tfo") || handshake.equals("cold")) {
                JsonObject metric = new JsonObject();
                metric.addProperty("score", (double) (handshake.equals("tfo") ? tfo : cold));
                metric.addProperty("scoreUnit", "#");
                r.getAsJsonObject("secondaryMetrics").add("tcpext.TCPTimeouts", metric);
            }
        }
        Files.writeString(json, new Gson().toJson(results));
        return run;
    }
}
