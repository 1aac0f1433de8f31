package tfobench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tfobench.testing.RunFixtures;
import tfobench.testing.SyntheticRun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code report} on copies of the run folder fixtures: summary.md, plots written, bad input. */
class ReportToolTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final List<String> PLOTS = List.of("latency-spectrum-native-same-cpu", "medians");
    private static final String TFO_STEM =
            "FirstRequestBenchmark.firstRequest-allowFallback=false-handshake=tfo-placement=same-cpu-transport=native";

    @Test
    void writesSummaryWithEveryTableIntoTheRunFolder(@TempDir Path tmp) throws IOException {
        Path run = RunFixtures.copy("reference", tmp);

        ToolRun result = ToolRun.of("report", run.toString());

        assertEquals(0, result.status(), result.err());
        assertEquals("report: wrote " + run.resolve("summary.md") + " and its plots\n", result.out());
        String summary = Files.readString(run.resolve("summary.md"));
        assertTrue(summary.startsWith("# tfo-bench run reference\n"), summary);
        for (String section : List.of("## Environment", "## Results", "## TFO and keep-alive against cold",
                "## Retransmissions", "## Evidence", "## JMH's sampled percentiles (not used above)", "## Plots")) {
            assertTrue(summary.contains("\n" + section + "\n"), section + " missing:\n" + summary);
        }
        assertTrue(summary.contains("| kernel | 6.18.44-fc-v669 |"), summary);
        // All-operation percentiles only; this run predates the per-operation retransmission record (–).
        assertTrue(summary.contains("| FirstRequestBenchmark.firstRequest | allowFallback=false handshake=tfo "
                + "placement=same-cpu transport=native | 22.4 | 28.9 | 50.0 | 366.1 | 16,769 | 2 | 409,633 | 1 | – | ok "
                + "| hlog |"), summary);
        assertTrue(summary.contains("| 409,633 | 1 | 0 | 0 | 409,633 | 409,633 | – | – | yes: TCPFastOpenActive = ops |"),
                summary);
        // JMH's sampled p99 appears once, labelled, beside the all-operation one: 66.8 against 50.0 here.
        assertTrue(summary.contains("| FirstRequestBenchmark.firstRequest | allowFallback=false handshake=tfo "
                + "placement=same-cpu transport=native | 22.5 | 66.8 | 50.0 | 1.335 |"), summary);
        assertEquals(1, summary.split("66\\.8", -1).length - 1, "JMH's sampled p99 only in its own table");
        assertTrue(summary.contains("![Latency by percentile: native same-cpu, kernel 6.18.44-fc-v669]"
                + "(latency-spectrum-native-same-cpu.png)"), summary);
        assertTrue(summary.contains("Not plotted: Baseline.tcpInfoRead (no .hlog latency file)."), summary);
    }

    @Test
    void anEmulatedRunIsMarkedAsSuchAtTheTopOfItsSummary(@TempDir Path tmp) throws IOException {
        Path run = RunFixtures.copy("reference", tmp);
        Path env = run.resolve("environment.json");
        com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(Files.readString(env))
                .getAsJsonObject();
        com.google.gson.JsonObject emulation = new com.google.gson.JsonObject();
        emulation.addProperty("emulated", true);
        emulation.addProperty("how", "qemu TCG");
        json.add("emulation", emulation);
        Files.writeString(env, json.toString());

        ToolRun result = ToolRun.of("report", run.toString());

        assertEquals(0, result.status(), result.err());
        String summary = Files.readString(run.resolve("summary.md"));
        assertTrue(summary.contains("> **reference ran emulated (qemu TCG).** Only millisecond effects"), summary);
        assertTrue(summary.contains("| emulation | qemu TCG |"), summary);
    }

    @Test
    void writesEveryPlotAsPngAndSvg(@TempDir Path tmp) throws IOException {
        Path run = RunFixtures.copy("reference", tmp);

        assertEquals(0, ToolRun.of("report", run.toString()).status());

        for (String plot : PLOTS) {
            assertPng(run.resolve(plot + ".png"));
            assertSvg(run.resolve(plot + ".svg"));
        }
    }

    @Test
    void severalRunsWithOutputMakeOneReportWithARunColumn(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("kernels");

        ToolRun result = ToolRun.of("report", "--output", out.toString(), RunFixtures.path("reference").toString(),
                RunFixtures.path("slower-kernel").toString());

        assertEquals(0, result.status(), result.err());
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.startsWith("# tfo-bench report: 2 runs\n"), summary);
        assertTrue(summary.contains("> **The runs differ in: kernel, kernel build, JVM, measurement.**"), summary);
        assertTrue(summary.contains("| 2 | FirstRequestBenchmark.firstRequest | allowFallback=false handshake=cold "
                + "placement=same-cpu transport=native | 32.7 |"), summary);
        assertTrue(summary.contains("### run 2\n"), summary);
        for (String plot : PLOTS) {
            assertPng(out.resolve(plot + ".png"));
        }
        assertTrue(Files.notExists(RunFixtures.path("reference").resolve("summary.md")), "fixtures untouched");
    }

    @Test
    void fallenBackTfoIsFlaggedAndLeftOutOfThePlots(@TempDir Path tmp) throws IOException {
        Path run = RunFixtures.copy("fallback", tmp);

        assertEquals(0, ToolRun.of("report", run.toString()).status());

        String summary = Files.readString(run.resolve("summary.md"));
        assertTrue(summary.contains("| 0.9700 | – | FALLBACK | hlog |"), summary);
        assertTrue(summary.contains("| native same-cpu | FALLBACK | – | – | – | – |"), summary);
        assertTrue(summary.contains("Not plotted: FirstRequestBenchmark.firstRequest allowFallback=false "
                + "handshake=tfo placement=same-cpu transport=native (FALLBACK)."), summary);
    }

    @Test
    void benchmarkActionFileHasEachResultsAllOperationMedianAndLeavesOutAFallenBackTfo(@TempDir Path tmp)
            throws IOException {
        Path run = RunFixtures.copy("fallback", tmp);
        Path file = tmp.resolve("benchmark-action.json");
        ToolRun result = ToolRun.of("report", "--benchmark-action", file.toString(), run.toString());

        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("report: wrote " + file + " (left out, their numbers are not what they "
                + "claim: FirstRequestBenchmark.firstRequest allowFallback=false handshake=tfo placement=same-cpu "
                + "transport=native (FALLBACK))"), result.out());
        com.google.gson.JsonArray entries = com.google.gson.JsonParser.parseString(Files.readString(file))
                .getAsJsonArray();
        assertEquals(1, entries.size(), entries.toString());
        com.google.gson.JsonObject cold = entries.get(0).getAsJsonObject();
        assertEquals("FirstRequestBenchmark.firstRequest allowFallback=false handshake=cold placement=same-cpu "
                + "transport=native", cold.get("name").getAsString());
        assertEquals("us", cold.get("unit").getAsString());
        assertEquals(26.2, cold.get("value").getAsDouble(), 0.05, "the p50 compare shows for this fixture");
        assertTrue(cold.get("extra").getAsString().startsWith("median of "), cold.toString());
        assertTrue(cold.get("extra").getAsString().contains("operations (hlog)"), cold.toString());
    }

    @Test
    void benchmarkActionTakesOneRunFolder() {
        ToolRun result = ToolRun.of("report", "--benchmark-action", "x.json", RunFixtures.path("reference").toString(),
                RunFixtures.path("fallback").toString());

        assertEquals(2, result.status());
        assertEquals("report: --benchmark-action takes one run folder, got 2\n", result.err());
    }

    @Test
    void retransmissionsInTheTailAreCountedAndFlagged(@TempDir Path tmp) throws IOException {
        Map<String, String> tfo = Map.of("allowFallback", "false", "handshake", "tfo", "placement", "cross-cpu",
                "transport", "native");
        Map<String, String> cold = Map.of("allowFallback", "false", "handshake", "cold", "placement", "cross-cpu",
                "transport", "native");
        // Three forks of 2 x 1001 operations each; two operations per fork waited 210 ms for a retransmission.
        Path run = SyntheticRun.in(tmp.resolve("run"))
                .result("tfobench.bench.FirstRequestBenchmark.firstRequest", cold, SyntheticRun.forks(3, 2, 80.0))
                .result("tfobench.bench.FirstRequestBenchmark.firstRequest", tfo, SyntheticRun.forks(3, 2, 78.0), 2)
                .write();

        assertEquals(0, ToolRun.of("report", run.toString()).status());

        String summary = Files.readString(run.resolve("summary.md"));
        assertTrue(summary.contains("| 6 (100.0% of > p99.9) | ok, 6 RTO | hlog |"), summary);
        assertTrue(summary.contains("| 6,012 | 6 | 6 / 6 | 85.7 | 85.7 | **retransmissions in the tail** |"), summary);
        assertTrue(summary.contains("handshake=cold placement=cross-cpu transport=native | 6,006 | 0 | 0 / 6 | 87.9 | 87.9 |  |"),
                summary);
    }

    @Test
    void theTfoSavingIsTakenApartIntoTheSystemCallPathAndTheDataInTheSyn(@TempDir Path tmp) throws IOException {
        String first = "tfobench.bench.FirstRequestBenchmark.firstRequest";
        Map<String, String> setting = Map.of("host", "loopback", "placement", "same-cpu", "rtt", "0",
                "transport", "native");
        // Six forks each, the medians of the reference run's native same-cpu results.
        Path run = SyntheticRun.in(tmp.resolve("run"))
                .result(first, with(setting, "handshake", "cold"), SyntheticRun.forks(6, 3, 24.7, 24.9, 24.5))
                .result(first, with(setting, "handshake", "tfo"), SyntheticRun.forks(6, 3, 21.3, 21.4, 21.2))
                .result(first, with(setting, "handshake", "tfo-connect"), SyntheticRun.forks(6, 3, 23.5, 23.6, 23.4))
                .result("tfobench.bench.CookieRequestBenchmark.cookieRequest", with(setting, "cookieMiss",
                        "fresh-address"), SyntheticRun.forks(6, 3, 21.9, 22.0, 21.8))
                .write();

        assertEquals(0, ToolRun.of("report", run.toString()).status());

        String summary = Files.readString(run.resolve("summary.md"));
        assertTrue(summary.contains("| native same-cpu | 24.7 | 21.9 | 21.3 | 23.5 | – |"), summary);
        // 3.39 = 2.81 (system-call path) + 0.587 (data in SYN): every fork of one above every fork of the other.
        String row = summary.lines().filter(l -> l.startsWith("| native same-cpu | 3.")).findFirst().orElseThrow();
        String[] cells = row.split(" \\| ");
        assertTrue(cells[1].matches("3\\.\\d\\d us \\(13\\.\\d%\\) \\[3\\.\\d\\d, 3\\.\\d\\d] faster"), cells[1]);
        assertTrue(cells[2].matches("2\\.\\d\\d us \\(11\\.\\d%\\) \\[.*] faster"), cells[2]);
        assertTrue(cells[3].matches("0\\.\\d{3} us \\(2\\.\\d%\\) \\[.*] faster"), cells[3]);
        assertTrue(cells[4].matches("1\\.\\d\\d us \\(4\\.\\d%\\) \\[.*] faster"), cells[4]);
        double total = Double.parseDouble(cells[1].split(" ")[0]);
        double path = Double.parseDouble(cells[2].split(" ")[0]);
        double data = Double.parseDouble(cells[3].split(" ")[0]);
        assertEquals(total, path + data, 0.011, "the two parts add up to the saving: " + row);
    }

    private static Map<String, String> with(Map<String, String> params, String key, String value) {
        Map<String, String> all = new java.util.HashMap<>(params);
        all.put(key, value);
        return all;
    }

    @Test
    void truncatedJsonIsOneLineAndWritesNothing(@TempDir Path tmp) {
        Path run = RunFixtures.copy("truncated-json", tmp);

        ToolRun result = ToolRun.of("report", run.toString());

        assertEquals(1, result.status());
        assertEquals(1, result.err().lines().count(), result.err());
        assertTrue(result.err().startsWith("report: " + run.resolve("jmh-result.json")
                + " is not a complete JMH JSON result"), result.err());
        assertTrue(Files.notExists(run.resolve("summary.md")));
    }

    @Test
    void truncatedLatencyLogIsOneLineNamingTheFile(@TempDir Path tmp) throws IOException {
        Path run = RunFixtures.copy("reference", tmp);
        Path log = run.resolve(TFO_STEM + "-fork2.hlog");
        byte[] bytes = Files.readAllBytes(log);
        Files.write(log, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        ToolRun result = ToolRun.of("report", run.toString());

        assertEquals(1, result.status());
        assertEquals(1, result.err().lines().count(), result.err());
        assertTrue(result.err().startsWith("report: " + log + " is not a readable HdrHistogram interval log"),
                result.err());
    }

    @Test
    void latencyLogsThatDoNotMatchTheResultAreOneLine(@TempDir Path tmp) throws IOException {
        Path run = RunFixtures.copy("reference", tmp);
        Files.delete(run.resolve(TFO_STEM + "-fork2.hlog"));

        ToolRun result = ToolRun.of("report", run.toString());

        assertEquals(1, result.status());
        assertEquals("report: " + run + ": the .hlog files of " + TFO_STEM + " hold 5 intervals where JMH measured "
                + "10 iterations (files from another run, or damaged?)\n", result.err());
    }

    @Test
    void emptyFolderIsOneLine(@TempDir Path empty) {
        ToolRun result = ToolRun.of("report", empty.toString());

        assertEquals(1, result.status());
        assertEquals("report: " + empty + " has no jmh-result.json (not a run folder, or the run did not finish)\n",
                result.err());
    }

    @Test
    void fileInsteadOfFolderIsOneLine() {
        Path file = RunFixtures.path("reference").resolve("jmh-result.json");

        ToolRun result = ToolRun.of("report", file.toString());

        assertEquals(1, result.status());
        assertEquals("report: " + file + " is not a folder (expected a run folder holding jmh-result.json)\n",
                result.err());
    }

    @Test
    void noFolderIsAUsageError() {
        ToolRun result = ToolRun.of("report");

        assertEquals(2, result.status());
        assertEquals("report: expected one or more run folders (try --help)\n", result.err());
    }

    private static void assertPng(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertTrue(bytes.length > 20_000, file + " is only " + bytes.length + " bytes");
        byte[] head = new byte[PNG_SIGNATURE.length];
        System.arraycopy(bytes, 0, head, 0, head.length);
        assertArrayEquals(PNG_SIGNATURE, head, file + " is not a PNG");
    }

    private static void assertSvg(Path file) throws IOException {
        String svg = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(svg.length() > 20_000, file + " is only " + svg.length() + " characters");
        assertTrue(svg.startsWith("<?xml") && svg.contains("<svg") && svg.trim().endsWith("</svg>"), file.toString());
    }
}
