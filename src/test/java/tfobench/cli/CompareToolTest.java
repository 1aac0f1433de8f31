package tfobench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import tfobench.testing.RunFixtures;
import tfobench.testing.SyntheticRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code compare} on the run folder fixtures (src/test/resources/runs) and on synthetic runs with known fork medians
 * ({@link SyntheticRun}): tables, verdicts and when there can be none, flags, bad input.
 */
class CompareToolTest {
    private static final String COLD = "allowFallback=false handshake=cold placement=same-cpu transport=native";
    private static final String TFO = "allowFallback=false handshake=tfo placement=same-cpu transport=native";
    private static final String KEEPALIVE = "placement=same-cpu transport=native";
    private static final String FIRST = "tfobench.bench.FirstRequestBenchmark.firstRequest";
    private static final Map<String, String> COLD_PARAMS = Map.of("allowFallback", "false", "handshake", "cold",
            "placement", "same-cpu", "transport", "native");
    private static final Map<String, String> TFO_PARAMS = Map.of("allowFallback", "false", "handshake", "tfo",
            "placement", "same-cpu", "transport", "native");

    private static ToolRun compare(String... fixtures) {
        String[] dirs = new String[fixtures.length];
        for (int i = 0; i < fixtures.length; i++) {
            dirs[i] = RunFixtures.path(fixtures[i]).toString();
        }
        return ToolRun.of("compare", dirs);
    }

    @Test
    void oneOrTwoForksGetARatioButNeverAVerdict() {
        // reference: 2 forks; slower-kernel: 1 fork with cold 1.25 times slower. Two against one fork can never give
        // p below 2/3: the design cannot tell, and says so instead of "slower".
        ToolRun run = compare("reference", "slower-kernel");

        assertEquals(0, run.status(), run.err());
        assertEquals("", run.err());
        String[] cold = run.row(COLD, 2);
        assertEquals("1", cold[4], "forks");
        assertTrue(cold[7].matches("1\\.2\\d\\d \\[unbounded]"), "ratio about 1.25, no interval: " + cold[7]);
        assertEquals("n/a (too few forks)", cold[10]);
        String[] tfo = run.row(TFO, 2);
        assertEquals("ok", tfo[5]);
        assertEquals("n/a (too few forks)", tfo[10]);
        assertEquals("1 (reference)", run.row(TFO, 1)[7]);
        assertEquals("n/a (too few forks)", run.row(KEEPALIVE, 2)[10]);
    }

    @Test
    void twoFreshThreeIterationRunsGiveNoFasterOrSlowerVerdict(@TempDir Path tmp) {
        // Quick mode (-f 1 -i 3), twice, with medians 20% apart: iterations are not replicates, forks are.
        Path a = SyntheticRun.in(tmp.resolve("a")).result(FIRST, COLD_PARAMS, SyntheticRun.forks(1, 3, 25.0))
                .result(FIRST, TFO_PARAMS, SyntheticRun.forks(1, 3, 22.0)).write();
        Path b = SyntheticRun.in(tmp.resolve("b")).result(FIRST, COLD_PARAMS, SyntheticRun.forks(1, 3, 30.0))
                .result(FIRST, TFO_PARAMS, SyntheticRun.forks(1, 3, 18.0)).write();

        ToolRun run = ToolRun.of("compare", a.toString(), b.toString());

        assertEquals(0, run.status(), run.err());
        assertFalse(run.out().contains("| faster |") || run.out().contains("| slower |")
                || run.out().contains(") faster |") || run.out().contains(") slower |"), run.out());
        assertEquals("n/a (too few forks)", run.row(COLD, 2)[10]);
    }

    @Test
    void sixForksASideTellASlowerColdFromAnUnchangedTfo(@TempDir Path tmp) {
        double[][] cold = SyntheticRun.forks(6, 3, 25.0, 25.4, 24.8, 25.9, 25.2, 24.6);
        double[][] tfo = SyntheticRun.forks(6, 3, 22.0, 22.3, 21.8, 22.6, 22.1, 21.7);
        double[][] tfoAgain = SyntheticRun.forks(6, 3, 22.2, 21.9, 22.4, 21.8, 22.5, 22.0);
        double[][] slowerCold = SyntheticRun.forks(6, 3, 31.2, 31.9, 30.8, 32.1, 31.5, 30.9);
        Path a = SyntheticRun.in(tmp.resolve("a")).result(FIRST, COLD_PARAMS, cold).result(FIRST, TFO_PARAMS, tfo)
                .write();
        Path b = SyntheticRun.in(tmp.resolve("b")).result(FIRST, COLD_PARAMS, slowerCold)
                .result(FIRST, TFO_PARAMS, tfoAgain).write();

        ToolRun run = ToolRun.of("compare", a.toString(), b.toString());

        String[] c = run.row(COLD, 2);
        assertTrue(c[7].matches("1\\.2\\d\\d \\[1\\.\\d{3}, 1\\.\\d{3}]"), c[7]);
        assertEquals("0.002", c[8], "every fork of run 2 above every fork of run 1: 2/924");
        assertEquals("0.004", c[9], "Holm over the table's two comparisons");
        assertEquals("slower", c[10]);
        String[] t = run.row(TFO, 2);
        assertEquals("~", t[10], "interleaved forks: within noise, and six forks could have told");
    }

    @Test
    void headerNamesWhatDiffersBetweenTheEnvironments() {
        ToolRun run = compare("reference", "slower-kernel");

        assertTrue(run.out().contains("> **The runs differ in: kernel, kernel build, JVM, measurement.**"),
                run.out());
        assertTrue(run.out().contains("| kernel | 6.18.44-fc-v669 | 6.1.0-99-amd64 | **differs** |"), run.out());
    }

    @Test
    void differentPlacementPlansAreFlagged() {
        ToolRun run = compare("reference", "different-set");

        assertTrue(run.out().contains("> **The runs differ in: placement plans, measurement.**"), run.out());
    }

    @Test
    void perRunSavingsShowTheMediansAndTheSavingTakenApart() {
        ToolRun run = compare("reference", "slower-kernel");

        String savings = run.out().substring(run.out().indexOf("## TFO and keep-alive against cold"));
        assertTrue(savings.contains("### run 1: reference\n\n| setting | cold p50 us | cookie-request p50 us | "
                + "tfo p50 us | tfo-connect p50 us | keepalive p50 us |"), savings);
        assertTrue(savings.contains("| native same-cpu | 25.8 | – | 22.4 | – | 5.51 |"), savings);
        assertTrue(savings.contains("| setting | TFO saving: cold - tfo | system-call path: cold - cookie-request | "
                + "data in SYN: cookie-request - tfo | data in SYN, connect path: cold - tfo-connect | "
                + "keep-alive: cold - keepalive |"), savings);
        assertTrue(savings.contains("| native same-cpu | 3.39 us (13.2%) [unbounded] n/a (too few forks) | – | – | – | "
                + "20.3 us (78.6%) [unbounded] n/a (too few forks) |"), savings);
        assertTrue(savings.contains("| native same-cpu | 10.4 us (31.7%) [unbounded] n/a (too few forks) |"), savings);
    }

    @Test
    void fallenBackTfoIsFlaggedAndGetsNoRatioOrVerdict() {
        ToolRun run = compare("reference", "fallback");

        assertEquals(0, run.status(), run.err());
        String[] tfo = run.row(TFO, 2);
        assertEquals("FALLBACK", tfo[5]);
        assertEquals("– (FALLBACK)", tfo[7]);
        assertEquals("", tfo[8]);
        assertEquals("", tfo[10]);
        assertTrue(run.out().contains("| native same-cpu | 26.2 | – | 22.4 (FALLBACK) | – | – |"), run.out());
        assertTrue(run.out().contains("| native same-cpu | FALLBACK | – | – | – | – |"), run.out());
        String[] cold = run.row(COLD, 2);
        assertTrue(cold[7].matches("\\d\\.\\d{3} \\[unbounded]"), "cold is compared: " + String.join(" | ", cold));
    }

    @Test
    void fallenBackReferenceGivesNoRatioToAnyRun() {
        ToolRun run = compare("fallback", "reference");

        assertEquals("– (FALLBACK)", run.row(TFO, 1)[7]);
        assertEquals("– (run 1 FALLBACK)", run.row(TFO, 2)[7]);
        assertEquals("", run.row(TFO, 2)[10]);
    }

    @Test
    void benchmarksMissingFromARunAreListedNotCompared() {
        ToolRun run = compare("reference", "different-set");

        assertEquals(0, run.status(), run.err());
        String only = run.out().substring(run.out().indexOf("## Only in some runs"));
        assertTrue(only.contains("| FirstRequestBenchmark.firstRequest | " + TFO + " | 1 | 2 |"), only);
        assertTrue(only.contains("| CookieRequestBenchmark.cookieRequest | " + KEEPALIVE + " | 2 | 1 |"), only);
        assertTrue(only.contains("| Baseline.tcpInfoRead |  | 1 | 2 |"), only);
        assertFalse(run.out().contains("### CookieRequestBenchmark"), run.out());
        assertTrue(run.row(COLD, 2)[7].matches("\\d\\.\\d{3} \\[.*]"), "cold is in both: compared");
    }

    @Test
    void resultsWithoutLatencyLogsUseJmhSamplesAndSaySo() {
        ToolRun run = compare("reference", "slower-kernel");

        String[] baseline = run.row("(none)", 2);
        assertEquals("jmh samples", baseline[11]);
        assertEquals("hlog", run.row(COLD, 2)[11]);
    }

    @Test
    void outputOptionWritesTheMarkdownToAFile(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("compare.md");
        ToolRun run = ToolRun.of("compare", "--output", file.toString(),
                RunFixtures.path("reference").toString(), RunFixtures.path("fallback").toString());

        assertEquals(0, run.status(), run.err());
        assertTrue(Files.readString(file).startsWith("# tfo-bench comparison"));
    }

    @Test
    void runWithoutEnvironmentIsComparedWithItsEnvironmentUnknown(@TempDir Path tmp) throws IOException {
        Path run = RunFixtures.copy("slower-kernel", tmp);
        Files.delete(run.resolve("environment.json"));

        ToolRun result = ToolRun.of("compare", RunFixtures.path("reference").toString(), run.toString());

        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("> **slower-kernel has no environment.json:** its environment is unknown."),
                result.out());
        assertTrue(result.out().contains("| kernel | 6.18.44-fc-v669 | unknown | **differs** |"), result.out());
        assertEquals("n/a (too few forks)", result.row(COLD, 2)[10]);
    }

    @Test
    void truncatedJsonIsOneLineNamingTheFile() {
        ToolRun run = compare("reference", "truncated-json");

        assertFailsWithOneLine(run, 1, "compare: " + RunFixtures.path("truncated-json").resolve("jmh-result.json")
                + " is not a complete JMH JSON result (truncated or edited?): ");
    }

    @Test
    void folderWithoutResultsIsOneLine() {
        ToolRun run = compare("reference", "no-json");

        assertFailsWithOneLine(run, 1, "compare: " + RunFixtures.path("no-json")
                + " has no jmh-result.json (not a run folder, or the run did not finish)");
    }

    @Test
    void emptyFolderIsOneLine(@TempDir Path empty) {
        ToolRun run = ToolRun.of("compare", RunFixtures.path("reference").toString(), empty.toString());

        assertFailsWithOneLine(run, 1, "compare: " + empty + " has no jmh-result.json");
    }

    @Test
    void fileInsteadOfFolderIsOneLine() {
        Path file = RunFixtures.path("reference").resolve("environment.json");
        ToolRun run = ToolRun.of("compare", RunFixtures.path("reference").toString(), file.toString());

        assertFailsWithOneLine(run, 1, "compare: " + file + " is not a folder");
    }

    @Test
    void missingFolderIsOneLine(@TempDir Path tmp) {
        Path missing = tmp.resolve("no-such-run");
        ToolRun run = ToolRun.of("compare", RunFixtures.path("reference").toString(), missing.toString());

        assertFailsWithOneLine(run, 1, "compare: " + missing + ": no such folder");
    }

    @Test
    void oneFolderIsAUsageError() {
        ToolRun run = compare("reference");

        assertFailsWithOneLine(run, 2, "compare: expected two or more run folders, got 1");
    }

    /**
     * The gate's fixtures: five forks of five iterations each, enough for the exact fork test to find the difference
     * after Holm over the table's two comparisons; the candidate's cold is 20% slower, its tfo the same.
     */
    private static Path[] gateRuns(Path tmp) throws IOException {
        double[][] tfo = SyntheticRun.forks(5, 5, 50.0, 50.5, 49.5, 51.0, 49.0);
        double[][] tfoAgain = SyntheticRun.forks(5, 5, 50.2, 49.8, 50.7, 49.3, 50.1);
        Path base = SyntheticRun.in(tmp.resolve("base"))
                .result(FIRST, COLD_PARAMS, SyntheticRun.forks(5, 5, 99.0, 100.0, 101.0, 102.0, 98.0))
                .result(FIRST, TFO_PARAMS, tfo).write();
        Path slower = SyntheticRun.in(tmp.resolve("cold-20-percent-slower"))
                .result(FIRST, COLD_PARAMS, SyntheticRun.forks(5, 5, 120.0, 121.0, 119.0, 122.0, 118.5))
                .result(FIRST, TFO_PARAMS, tfoAgain).write();
        Path same = SyntheticRun.in(tmp.resolve("same"))
                .result(FIRST, COLD_PARAMS, SyntheticRun.forks(5, 5, 100.5, 99.5, 101.5, 98.5, 100.2))
                .result(FIRST, TFO_PARAMS, tfoAgain).write();
        return new Path[] {base, slower, same};
    }

    private static final String GATE_COLD = "allowFallback=false handshake=cold placement=same-cpu transport=native";

    @Test
    void failOnSlowerExitsThreeAndNamesTheResultWhenACommonResultIsSlowerByMoreThanThePercentage(@TempDir Path tmp)
            throws IOException {
        Path[] runs = gateRuns(tmp);
        ToolRun run = ToolRun.of("compare", "--fail-on-slower", "5", runs[0].toString(), runs[1].toString());

        assertEquals(CompareTool.SLOWER_EXIT, run.status(), run.err());
        assertEquals("slower", run.row(GATE_COLD, 2)[10], "the table's own verdict");
        List<String> lines = run.err().lines().toList();
        assertEquals(2, lines.size(), run.err());
        assertTrue(lines.get(0).startsWith("compare: SLOWER by 2"), lines.get(0));
        assertTrue(lines.get(0).contains("(more than 5%): FirstRequestBenchmark.firstRequest " + GATE_COLD
                + " in cold-20-percent-slower (ratio 1.2"), lines.get(0));
        assertEquals("compare: 1 of 2 result(s) slower by more than 5%", lines.get(1));
    }

    @Test
    void failOnSlowerExitsZeroWhenNothingIsSlower(@TempDir Path tmp) throws IOException {
        Path[] runs = gateRuns(tmp);
        ToolRun run = ToolRun.of("compare", "--fail-on-slower", "5", runs[0].toString(), runs[2].toString());

        assertEquals(0, run.status(), run.err());
        assertEquals("compare: 0 of 2 result(s) slower by more than 5%\n", run.err());
    }

    @Test
    void failOnSlowerExitsZeroWhenTheSlowdownIsBelowThePercentage(@TempDir Path tmp) throws IOException {
        Path[] runs = gateRuns(tmp);
        ToolRun run = ToolRun.of("compare", "--fail-on-slower", "25", runs[0].toString(), runs[1].toString());

        assertEquals(0, run.status(), run.err());
        assertEquals("slower", run.row(GATE_COLD, 2)[10], "slower, but by 20%, not more than 25%");
    }

    @Test
    void failOnSlowerIgnoresAResultThatGotFaster(@TempDir Path tmp) throws IOException {
        Path[] runs = gateRuns(tmp);
        ToolRun run = ToolRun.of("compare", "--fail-on-slower", "0", runs[1].toString(), runs[0].toString());

        assertEquals(0, run.status(), run.err());
        assertEquals("faster", run.row(GATE_COLD, 2)[10]);
    }

    @Test
    void failOnSlowerRejectsAPercentageThatIsNotANumber() {
        ToolRun run = ToolRun.of("compare", "--fail-on-slower", "five", RunFixtures.path("reference").toString(),
                RunFixtures.path("slower-kernel").toString());

        assertFailsWithOneLine(run, 2, "compare: --fail-on-slower takes a percentage from 0 to 1000 (e.g. 5), got "
                + "'five'");
    }

    @Test
    void jsonCarriesEveryComparisonWithItsVerdictAndTheGate(@TempDir Path tmp) throws IOException {
        Path[] runs = gateRuns(tmp);
        ToolRun run = ToolRun.of("compare", "--json", "--fail-on-slower", "5", runs[0].toString(), runs[1].toString());

        assertEquals(CompareTool.SLOWER_EXIT, run.status(), run.err());
        JsonObject doc = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals(2, doc.getAsJsonArray("runs").size());
        assertEquals(2, doc.getAsJsonArray("results").size());
        JsonObject cold = doc.getAsJsonArray("results").get(0).getAsJsonObject();
        assertEquals("FirstRequestBenchmark.firstRequest", cold.get("benchmark").getAsString());
        assertEquals("cold", cold.getAsJsonObject("params").get("handshake").getAsString());
        assertEquals(2, cold.get("run").getAsInt());
        assertEquals("slower", cold.get("verdict").getAsString());
        assertEquals(1.2, cold.get("ratio").getAsDouble(), 0.01);
        assertTrue(cold.get("ciLow").getAsDouble() > 1.0, cold.toString());
        assertEquals(120, cold.get("p50Micros").getAsDouble(), 1.0);
        JsonObject tfo = doc.getAsJsonArray("results").get(1).getAsJsonObject();
        assertEquals("confirmed", tfo.get("fastOpenCheck").getAsString());
        assertEquals("~", tfo.get("verdict").getAsString());
        JsonObject gate = doc.getAsJsonObject("failOnSlower");
        assertTrue(gate.get("failed").getAsBoolean());
        assertEquals(0, gate.getAsJsonArray("slower").get(0).getAsInt());
    }

    @Test
    void jsonSaysWhyAResultWasNotTested() {
        ToolRun run = ToolRun.of("compare", "--json", RunFixtures.path("reference").toString(),
                RunFixtures.path("fallback").toString());

        assertEquals(0, run.status(), run.err());
        JsonObject doc = JsonParser.parseString(run.out()).getAsJsonObject();
        JsonObject tfo = doc.getAsJsonArray("results").asList().stream().map(e -> e.getAsJsonObject())
                .filter(r -> r.getAsJsonObject("params").get("handshake").getAsString().equals("tfo")).findFirst()
                .orElseThrow();
        assertEquals("FALLBACK", tfo.get("untested").getAsString());
        assertTrue(tfo.get("ratio").isJsonNull());
        assertEquals("n/a", tfo.get("verdict").getAsString());
    }

    private static void assertFailsWithOneLine(ToolRun run, int status, String start) {
        assertEquals(status, run.status(), run.out() + run.err());
        assertEquals("", run.out());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith(start), run.err());
    }
}
