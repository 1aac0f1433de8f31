package tfobench.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
            assertTrue(output.contains("can run tfo                yes"), output);
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

        String key = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_fastopen_key")).trim();
        for (Path file : list(folder)) {
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            assertFalse(text.contains("tcp_fastopen_key"), file + " names the key");
            for (String part : key.split("[,-]")) {
                if (part.length() >= 8) {
                    assertFalse(text.contains(part), file + " contains part of the fast open key");
                }
            }
        }
    }

    @Test
    void aBenchmarkThatCannotRunFailsTheRunWithItsReason(@TempDir Path dir) throws Exception {
        try (JarTool run = JarTool.start(List.of("taskset", "-c", "0"), List.of("-Dtfobench.results=" + dir), dir,
                concat(new String[] {"KeepAlive", "-p", "transport=native", "-p", "placement=cross-cpu"}, TINY))) {
            assertEquals(1, run.awaitExit(), String.join("\n", run.lines()));
            String output = String.join("\n", run.lines());
            assertTrue(output.contains("placement cross-cpu needs two CPUs"), output);
            assertTrue(output.contains("FAILED: tfobench.bench.KeepAliveBenchmark.keepAliveRequest (host=loopback, "
                    + "placement=cross-cpu, transport=native)"), output);
            assertTrue(output.contains("0 benchmark(s) measured, 1 failed"), output);
        }
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
            assertEquals(List.of("Benchmarks: ", "tfobench.bench.Baseline.protocolRoundTrip",
                    "tfobench.bench.Baseline.tcpInfoRead", "tfobench.bench.Baseline.tcpMetricsDelete",
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
