package tfobench.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tfobench.calibration.JavaToFloor;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.JarTool;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar benchmarks.jar [JMH options]} as a user runs it: preflight, run folder, exit status. */
class LauncherTest {
    private static final String[] TINY = {"-f", "1", "-wi", "0", "-i", "1", "-r", "200ms"};

    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    @Test
    void runPrintsPreflightAndWritesACompleteRunFolderWithoutTheSecretKey(@TempDir Path dir) throws Exception {
        try (JarTool run = JarTool.start(List.of(), List.of("-Dtfobench.results=" + dir, "-Dtfobench.label=t1"),
                dir, concat(new String[] {"FirstRequest", "-p", "transport=native", "-p", "handshake=tfo", "-p",
                    "placement=same-cpu"}, TINY))) {
            assertEquals(0, run.awaitExit(), String.join("\n", run.lines()));
            String output = String.join("\n", run.lines());
            assertTrue(output.contains("# tfo-bench preflight"), output);
            assertTrue(output.matches("(?s).*can run tfo +yes \\(tried: native.*"), output);
            assertTrue(output.matches("(?s).*can run cookie-request +yes \\(tried: native.*"), output);
            // The namespace line says what the kernel says, not what the user name suggests.
            assertTrue(output.contains(tfobench.linux.PrivateNetns.inInitialUserNamespace()
                    ? "in the initial user namespace" : "in a private user namespace (uid "), output);
            assertTrue(output.contains("# tfo-bench: 1 benchmark(s) measured, 0 failed"), output);
        }
        List<Path> folders = list(dir);
        assertEquals(1, folders.size(), folders.toString());
        Path folder = folders.get(0);
        assertTrue(folder.getFileName().toString().endsWith("-" + Files.readString(
                Path.of("/proc/sys/kernel/osrelease")).trim() + "-t1"), folder.toString());
        List<String> names = list(folder).stream().map(p -> p.getFileName().toString()).collect(Collectors.toList());
        assertTrue(names.containsAll(List.of("jmh-result.json", "environment.json", "tcpext-delta.json")),
                names.toString());
        assertEquals(2, names.stream().filter(n -> n.endsWith("-fork1.hgrm") || n.endsWith("-fork1.hlog")).count(),
                names.toString());

        JsonArray results = JsonParser.parseString(Files.readString(folder.resolve("jmh-result.json")))
                .getAsJsonArray();
        assertEquals(1, results.size());
        JsonObject metrics = results.get(0).getAsJsonObject().getAsJsonObject("secondaryMetrics");
        // With -wi 0 trial setup (its cookie request included) runs inside the measured iteration: none of it may
        // be counted as measured.
        assertEquals(1.0, metrics.getAsJsonObject("tfo.synDataAcked").get("score").getAsDouble());
        assertEquals(metrics.getAsJsonObject("tfo.ops").get("score").getAsDouble(),
                metrics.getAsJsonObject("tcpext.TCPFastOpenActive").get("score").getAsDouble());
        assertEquals(0.0, metrics.getAsJsonObject("tcpext.TCPFastOpenCookieReqd").get("score").getAsDouble());

        JsonObject env = JsonParser.parseString(Files.readString(folder.resolve("environment.json")))
                .getAsJsonObject();
        assertEquals("3", env.getAsJsonObject("sysctls").get("net.ipv4.tcp_fastopen").getAsString());
        assertTrue(env.get("namespace").getAsString().startsWith("private network namespace"), env.toString());
        assertTrue(env.getAsJsonObject("placements").getAsJsonObject("plans").has("cross-cpu"), env.toString());
        assertEquals("[0]", env.getAsJsonObject("network").get("rttMillisRequested").toString());
        assertEquals("none (plain loopback)", env.getAsJsonObject("network").get("rttEmulation").getAsString());
        assertTrue(env.get("emulation").getAsString().startsWith("none"), env.toString());
        assertTrue(env.getAsJsonObject("provenance").has("jar"), env.toString());
        // Provenance: the commit the jar was built from and whether it had changes; Netty's version from its jars.
        assertTrue(env.getAsJsonObject("provenance").get("gitCommit").getAsString().matches("[0-9a-f]{40}"),
                env.toString());
        assertTrue(env.getAsJsonObject("provenance").get("gitDirty").getAsJsonPrimitive().isBoolean(), env.toString());
        assertTrue(env.get("nettyVersion").getAsString().matches("4\\.\\d+\\.\\d+\\.Final"), env.toString());
        // Each trial had a namespace of its own: the whole run's counters are summed from them.
        assertTrue(names.contains("tcpext-trials.jsonl"), names.toString());
        assertEquals(1.0, metrics.getAsJsonObject("netns.fresh").get("score").getAsDouble());
        assertEquals("0", results.get(0).getAsJsonObject().getAsJsonObject("params").get("rtt").getAsString());

        String key = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_fastopen_key")).trim();
        for (Path file : list(folder)) {
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            assertFalse(text.contains("tcp_fastopen_key"), file + " names the key");
            for (String part : key.split("[,-]")) {
                // An all-zero key was never set: each trial ran in a fresh namespace with a key of its own.
                if (part.length() >= 8 && !part.matches("0+")) {
                    assertFalse(text.contains(part), file + " contains part of the fast open key");
                }
            }
        }
    }

    @Test
    void runMeasuresTheCPeerBesideJavaAndWritesTheRatios(@TempDir Path dir) throws Exception {
        String output;
        try (JarTool run = JarTool.start(List.of(), List.of("-Dtfobench.results=" + dir,
                "-Dtfobench.calibration=true", "-Dtfobench.calibration.seconds=0.3"), dir,
                concat(new String[] {"KeepAlive", "-p", "transport=native", "-p", "placement=same-cpu"}, TINY))) {
            assertEquals(0, run.awaitExit(), String.join("\n", run.lines()));
            output = String.join("\n", run.lines());
            assertTrue(output.contains("| same-cpu | keepalive | native |"), output);
        }
        Path folder = list(dir).get(0);
        JsonObject calibration = JsonParser.parseString(Files.readString(folder.resolve("c-calibration.json")))
                .getAsJsonObject();
        assertTrue(calibration.getAsJsonObject("c").getAsJsonObject("same-cpu").has("keepalive"));
        JsonObject row = calibration.getAsJsonArray("javaOverC").get(0).getAsJsonObject();
        assertEquals("keepalive", row.get("scenario").getAsString());
        assertTrue(row.get("javaP50").getAsDouble() > 0 && row.get("cP50").getAsDouble() > 0, row.toString());
        assertTrue(Files.exists(folder.resolve("calib.c")));
        assertTrue(Files.exists(folder.resolve("floor.c")));
        assertTrue(output.contains("# Java against the minimal C floor"), output);
        JsonObject floorRow = calibration.getAsJsonArray("javaOverFloor").get(0).getAsJsonObject();
        assertEquals("keepalive", floorRow.get("scenario").getAsString());
        assertEquals(JavaToFloor.NATIVE_TARGET, floorRow.get("target").getAsDouble());
        assertTrue(floorRow.get("javaCpu").getAsDouble() > 0 && floorRow.get("floorCpu").getAsDouble() > 0,
                floorRow.toString());
        assertEquals("jna", calibration.get("linuxLayer").getAsString());
        assertTrue(calibration.get("jvm").getAsString().contains(System.getProperty("java.runtime.version")),
                calibration.get("jvm").toString());
    }

    @Test
    void aBenchmarkThatCannotRunFailsTheRunWithItsReason(@TempDir Path dir) throws Exception {
        try (JarTool run = JarTool.start(List.of("taskset", "-c", "0"), List.of("-Dtfobench.results=" + dir), dir,
                concat(new String[] {"KeepAlive", "-p", "transport=native", "-p", "placement=cross-cpu"}, TINY))) {
            assertEquals(1, run.awaitExit(), String.join("\n", run.lines()));
            String output = String.join("\n", run.lines());
            assertTrue(output.contains("placement cross-cpu needs two CPUs"), output);
            assertTrue(output.contains("FAILED: tfobench.bench.KeepAliveBenchmark.keepAliveRequest (family=ipv4, "
                    + "host=loopback, placement=cross-cpu, requestBytes=79, rtt=0, transport=native)"), output);
            assertTrue(output.contains("0 benchmark(s) measured, 1 failed"), output);
        }
    }

    @Test
    void rttAboveZeroRunsUnderNetemOrIsRefusedWithOneLineBeforeAnythingIsMeasured(@TempDir Path dir)
            throws Exception {
        boolean netem = tfobench.linux.LoopbackDelay.whyUnavailable().isEmpty();
        Path runs = dir.resolve("runs");
        try (JarTool run = JarTool.start(List.of(), List.of("-Dtfobench.results=" + runs), dir,
                concat(new String[] {"FirstRequest", "-p", "transport=native", "-p", "handshake=tfo", "-p",
                    "placement=same-cpu", "-p", "rtt=30"}, TINY))) {
            int status = run.awaitExit();
            String output = String.join("\n", run.lines());
            if (!netem) {
                assertEquals(1, status, output);
                assertTrue(output.matches("(?s).*#   netem +no \\(.*"), output);
                String refusal = run.lines().get(run.lines().size() - 1);
                assertTrue(refusal.startsWith("tfo-bench: -p rtt=30 needs netem on lo, which is not available here ("),
                        output);
                assertTrue(refusal.contains("scripts/kernel-matrix.sh"), refusal);
                assertFalse(output.contains("Exception") || output.contains("\tat "), "no stack trace: " + output);
                assertFalse(Files.exists(runs), "nothing may be written when refused");
                return;
            }
            assertEquals(0, status, output);
        }
        // netem here: the fast open request took about one 30 ms round trip
        JsonObject result = JsonParser.parseString(Files.readString(list(runs).get(0).resolve("jmh-result.json")))
                .getAsJsonArray().get(0).getAsJsonObject();
        assertEquals("30", result.getAsJsonObject("params").get("rtt").getAsString());
        double median = result.getAsJsonObject("primaryMetric").getAsJsonObject("scorePercentiles").get("50.0")
                .getAsDouble();
        assertTrue(median >= 29_000 && median < 60_000, "tfo median " + median + " us at rtt 30 ms");
    }

    @Test
    void aNegativeRttIsRefusedWithOneLine(@TempDir Path dir) throws Exception {
        try (JarTool run = JarTool.start(List.of(), List.of("-Dtfobench.results=" + dir.resolve("runs")), dir,
                concat(new String[] {"FirstRequest", "-p", "rtt=-5"}, TINY))) {
            assertEquals(1, run.awaitExit());
            assertEquals("tfo-bench: -p rtt takes round-trip times in whole milliseconds (0-10000), got '-5'",
                    run.lines().get(run.lines().size() - 1));
        }
    }

    @Test
    void aHarnessSwitchReachesTheForksAndNamesTheRunFolderAndTheEnvironment(@TempDir Path dir) throws Exception {
        try (JarTool run = JarTool.start(List.of(), List.of("-Dtfobench.results=" + dir, "-Dtfobench.label=t",
                "-Dtfobench.harness=latency-log-off"), dir, concat(new String[] {"KeepAlive", "-p",
                    "transport=native", "-p", "placement=same-cpu"}, TINY))) {
            assertEquals(0, run.awaitExit(), String.join("\n", run.lines()));
        }
        Path folder = list(dir).get(0);
        assertTrue(folder.getFileName().toString().endsWith("-t-harness-latency-log-off"), folder.toString());
        JsonObject env = JsonParser.parseString(Files.readString(folder.resolve("environment.json")))
                .getAsJsonObject();
        assertEquals("[\"latency-log-off\"]", env.getAsJsonObject("harnessSwitches").get("switches").toString());
        // The fork measured (JMH counted operations and their CPU) but recorded none: the switch was on in the fork.
        JsonObject metrics = JsonParser.parseString(Files.readString(folder.resolve("jmh-result.json")))
                .getAsJsonArray().get(0).getAsJsonObject().getAsJsonObject("secondaryMetrics");
        assertTrue(metrics.getAsJsonObject("cpu.client").get("score").getAsDouble() > 0, metrics.toString());
        // Without the switch the fork writes its .hlog and .hgrm (the first test); with it there is nothing to write.
        assertTrue(list(folder).stream().map(Path::toString).noneMatch(n -> n.endsWith(".hlog") || n.endsWith(".hgrm")),
                list(folder).toString());
    }

    @Test
    void anUnknownHarnessSwitchIsRefusedWithOneLineBeforeAnythingIsMeasured(@TempDir Path dir) throws Exception {
        try (JarTool run = JarTool.start(List.of(), List.of("-Dtfobench.results=" + dir.resolve("runs"),
                "-Dtfobench.harness=client-nodelay,fast"), dir, concat(new String[] {"KeepAlive"}, TINY))) {
            assertEquals(1, run.awaitExit());
            assertEquals("tfo-bench: -Dtfobench.harness: unknown switch 'fast' (known: client-nodelay, "
                    + "client-timeouts-off, server-workers-4, latency-log-off)", run.lines().get(run.lines().size() - 1));
        }
        assertFalse(Files.exists(dir.resolve("runs")), "no run folder");
    }

    @Test
    void userResultFileIsWrittenWhereAskedAndCopiedIntoTheRunFolder(@TempDir Path dir) throws Exception {
        try (JarTool run = JarTool.start(List.of(), List.of("-Dtfobench.results=" + dir.resolve("runs")), dir,
                concat(new String[] {"Baseline.protocolRoundTrip", "-rf", "json", "-rff", "mine.json"}, TINY))) {
            assertEquals(0, run.awaitExit(), String.join("\n", run.lines()));
        }
        assertTrue(Files.exists(dir.resolve("mine.json")));
        Path folder = list(dir.resolve("runs")).get(0);
        assertEquals(Files.readString(dir.resolve("mine.json")), Files.readString(folder.resolve("jmh-result.json")));
    }

    @Test
    void listingGoesStraightToJmhAndWritesNothing(@TempDir Path dir) throws Exception {
        try (JarTool run = JarTool.start(List.of(), List.of("-Dtfobench.results=" + dir.resolve("runs")), dir,
                "-l")) {
            assertEquals(0, run.awaitExit());
            assertEquals(List.of("Benchmarks: ", "tfobench.bench.Baseline.cookieMiss",
                    "tfobench.bench.Baseline.cpuClockRead", "tfobench.bench.Baseline.protocolRoundTrip", "tfobench.bench.Baseline.tcpInfoRead",
                    "tfobench.bench.CookieRequestBenchmark.cookieRequest",
                    "tfobench.bench.FirstRequestBenchmark.firstRequest",
                    "tfobench.bench.KeepAliveBenchmark.keepAliveRequest"), run.lines());
        }
        assertFalse(Files.exists(dir.resolve("runs")));
    }

    @Test
    void badJmhOptionIsJmhsErrorAndExitStatus1(@TempDir Path dir) throws Exception {
        try (JarTool run = JarTool.start(List.of(), List.of(), dir, "-f", "many")) {
            assertEquals(1, run.awaitExit());
            assertTrue(run.lines().get(0).startsWith("Error parsing command line:"), run.lines().toString());
        }
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().collect(Collectors.toList());
        }
    }
}
