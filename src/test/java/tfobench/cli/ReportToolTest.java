package tfobench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tfobench.testing.RunFixtures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
                "## Evidence", "## Plots")) {
            assertTrue(summary.contains("\n" + section + "\n"), section + " missing:\n" + summary);
        }
        assertTrue(summary.contains("| kernel | 6.18.44-fc-v669 |"), summary);
        assertTrue(summary.contains("| FirstRequestBenchmark.firstRequest | allowFallback=false handshake=tfo "
                + "placement=same-cpu transport=native | 22.4 | 28.9 | 50.0 | 16,769 | 22.5 | 66.8 | 409,633 | 1 | ok "
                + "| hlog |"), summary);
        assertTrue(summary.contains("| 409,633 | 1 | 0 | 0 | 409,633 | 409,633 | yes: TCPFastOpenActive = ops |"),
                summary);
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
        assertTrue(summary.contains("| 0.9700 | FALLBACK | hlog |"), summary);
        assertTrue(summary.contains("| native same-cpu | 26.2 | 22.4 | FALLBACK |"), summary);
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
