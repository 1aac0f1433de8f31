package tfobench.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import tfobench.Settings;
import tfobench.testing.FastOpenNamespace;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every benchmark once, tiny, through JMH's Runner API with forks (as users run them), and checks the JSON:
 * every benchmark and parameter combination is there, with percentiles and the evidence that each measured what
 * its name says.
 */
class SuiteRunTest {
    private static JsonArray results;
    private static Path runDir;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    static void runEveryBenchmarkOnce(@TempDir Path dir) throws Exception {
        FastOpenNamespace.require();
        // A functional check, not a measurement: another JMH run on a shared machine must not block it.
        System.setProperty("jmh.ignoreLock", "true");
        runDir = dir;
        Path json = dir.resolve("jmh-result.json");
        Options options = new OptionsBuilder()
                .include("tfobench\\.bench\\..*")
                .forks(1)
                .warmupIterations(1).warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(300))
                .addProfiler(FastOpenEvidenceProfiler.class)
                .addProfiler(CpuCostProfiler.class)
                .jvmArgsAppend("-D" + Settings.RUN_DIR.property() + "=" + dir.toAbsolutePath())
                .resultFormat(ResultFormatType.JSON).result(json.toString())
                .build();
        new Runner(options).run();
        results = JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8)).getAsJsonArray();
    }

    @Test
    void everyBenchmarkAndParameterCombinationHasAResult() {
        Set<String> expected = new TreeSet<>();
        for (String method : List.of("protocolRoundTrip", "tcpInfoRead")) {
            expected.add("Baseline." + method + " {}");
        }
        expected.add("Baseline.cpuClockRead {clock=this-thread}");
        expected.add("Baseline.cpuClockRead {clock=other-thread}");
        expected.add("Baseline.cookieMiss {cookieMiss=fresh-address}");
        for (String placement : List.of("same-cpu", "cross-cpu")) {
            for (String transport : List.of("native", "netty")) {
                for (String handshake : List.of("cold", "tfo", "tfo-connect")) {
                    expected.add("FirstRequestBenchmark.firstRequest {allowFallback=false, family=ipv4, handshake="
                            + handshake + ", host=loopback, placement=" + placement + ", requestBytes=79, rtt=0, "
                            + "transport=" + transport + "}");
                }
                expected.add("KeepAliveBenchmark.keepAliveRequest {family=ipv4, host=loopback, placement=" + placement
                        + ", requestBytes=79, rtt=0, transport=" + transport + "}");
                expected.add("CookieRequestBenchmark.cookieRequest {cookieMiss=fresh-address, family=ipv4, "
                        + "host=loopback, placement=" + placement + ", requestBytes=79, rtt=0, transport=" + transport
                        + "}");
            }
        }
        Set<String> actual = new TreeSet<>();
        for (JsonElement e : results) {
            actual.add(key(e.getAsJsonObject()));
        }
        assertEquals(expected, actual);
    }

    @Test
    void everyResultIsSampleTimeInMicrosecondsWithPercentiles() {
        for (JsonElement e : results) {
            JsonObject r = e.getAsJsonObject();
            assertEquals("sample", r.get("mode").getAsString(), key(r));
            JsonObject primary = r.getAsJsonObject("primaryMetric");
            assertEquals("us/op", primary.get("scoreUnit").getAsString(), key(r));
            JsonObject percentiles = primary.getAsJsonObject("scorePercentiles");
            for (String p : List.of("0.0", "50.0", "90.0", "99.0", "99.9", "100.0")) {
                assertTrue(percentiles.has(p), key(r) + " lacks p" + p);
            }
            double median = percentiles.get("50.0").getAsDouble();
            assertTrue(median > 0 && median <= percentiles.get("99.0").getAsDouble(), key(r) + " median " + median);
        }
    }

    @Test
    void fastOpenResultsProveEveryRequestTravelledInTheSyn() {
        for (JsonObject r : firstRequests()) {
            String handshake = r.getAsJsonObject("params").get("handshake").getAsString();
            double acked = secondary(r, "tfo.synDataAcked");
            long ops = (long) secondary(r, "tfo.ops");
            assertTrue(ops > 0, key(r) + " measured no operations");
            if (handshake.equals("cold")) {
                assertEquals(0.0, acked, key(r));
                assertEquals(0.0, secondary(r, "tcpext.TCPFastOpenActive"), key(r));
                assertEquals(0.0, secondary(r, "tcpext.TCPFastOpenPassive"), key(r));
            } else {
                assertEquals(1.0, acked, key(r));
                assertEquals(0.0, secondary(r, "tfo.fallback"), key(r));
                // The kernel counted exactly the connections the benchmark counted as acked.
                assertEquals(ops, (long) secondary(r, "tcpext.TCPFastOpenActive"), key(r));
                assertEquals(ops, (long) secondary(r, "tcpext.TCPFastOpenPassive"), key(r));
                assertEquals(0.0, secondary(r, "tcpext.TCPFastOpenActiveFail"), key(r));
            }
        }
    }

    @Test
    void cookieRequestBenchmarkRequestsACookieEveryTime() {
        List<JsonObject> cookie = byBenchmark("CookieRequestBenchmark.cookieRequest");
        assertEquals(4, cookie.size());
        for (JsonObject r : cookie) {
            long ops = (long) secondary(r, "tfo.ops");
            assertTrue(secondary(r, "tcpext.TCPFastOpenCookieReqd") > 0, key(r));
            assertEquals(ops, (long) secondary(r, "tcpext.TCPFastOpenCookieReqd"), key(r));
            assertEquals(1.0, secondary(r, "tfo.cookieRequested"), key(r));
            assertEquals(0.0, secondary(r, "tfo.synDataAcked"), key(r));
            assertEquals(0.0, secondary(r, "tfo.fallback"), key(r) + ": a cookie request is this benchmark's aim");
        }
    }

    @Test
    void keepAliveResultsOpenNoNewConnections() {
        for (JsonObject r : byBenchmark("KeepAliveBenchmark.keepAliveRequest")) {
            assertEquals(0.0, secondary(r, "tfo.synDataAcked"), key(r));
            assertEquals(0.0, secondary(r, "tcpext.TCPFastOpenPassive"), key(r));
            assertTrue(secondary(r, "tfo.ops") > 0, key(r));
        }
    }

    @Test
    void everyNetworkResultCarriesTheCpuPerOperationOfClientAndServerApartFromItsLatency() {
        for (JsonElement e : results) {
            JsonObject r = e.getAsJsonObject();
            JsonObject secondary = r.getAsJsonObject("secondaryMetrics");
            if (r.get("benchmark").getAsString().contains(".Baseline.")) {
                assertTrue(secondary.keySet().stream().noneMatch(k -> k.startsWith("cpu.")), key(r) + " " + secondary);
                continue;
            }
            double client = secondary(r, "cpu.client");
            double server = secondary(r, "cpu.server");
            assertTrue(client > 0 && server > 0, key(r) + " client " + client + " server " + server);
            assertTrue(secondary(r, "cpu.otherThreads") >= 0, key(r));
            assertEquals("us/op", secondary.getAsJsonObject("cpu.client").get("scoreUnit").getAsString(), key(r));
            // On one CPU, client and server threads cannot together use more CPU time than the wall time the
            // operations took (mean latency times operations, plus JMH's thin loop around them).
            if (r.getAsJsonObject("params").get("placement").getAsString().equals("same-cpu")) {
                double mean = r.getAsJsonObject("primaryMetric").get("score").getAsDouble();
                assertTrue(client + server <= 1.1 * mean, key(r) + ": CPU " + (client + server) + " us/op, latency "
                        + mean + " us/op");
            }
        }
    }

    @Test
    void everyNetworkBenchmarkWroteItsPercentileSpectrumAndIntervalLog() throws Exception {
        Set<String> files;
        try (Stream<Path> list = Files.list(runDir)) {
            files = list.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        for (JsonElement e : results) {
            JsonObject r = e.getAsJsonObject();
            if (r.get("benchmark").getAsString().contains(".Baseline.")) {
                continue;
            }
            String stem = stem(r);
            assertTrue(files.contains(stem + "-fork1.hgrm"), stem + " .hgrm missing from " + files);
            assertTrue(files.contains(stem + "-fork1.hlog"), stem + " .hlog missing from " + files);
            String hgrm = Files.readString(runDir.resolve(stem + "-fork1.hgrm"));
            assertTrue(hgrm.contains("Value     Percentile TotalCount 1/(1-Percentile)"), hgrm);
            assertTrue(hgrm.contains("#[Mean"), hgrm);
        }
    }

    @Test
    void hdrHistogramsOwnLogProcessorCountsExactlyTheOperationsMeasured() throws Exception {
        // HdrHistogram's HistogramLogProcessor with its default options, as a user runs it on a downloaded run folder.
        Path hdrJar = Path.of(org.HdrHistogram.HistogramLogProcessor.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        Pattern total = Pattern.compile("Total count\\s*=\\s*(\\d+)");
        int checked = 0;
        for (JsonElement e : results) {
            JsonObject r = e.getAsJsonObject();
            if (r.get("benchmark").getAsString().contains(".Baseline.")) {
                continue;
            }
            Path hlog = runDir.resolve(stem(r) + "-fork1.hlog");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    hdrJar.toString(), "org.HdrHistogram.HistogramLogProcessor", "-i", hlog.toString())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), output);
            Matcher m = total.matcher(output);
            assertTrue(m.find(), "no total count from HistogramLogProcessor for " + hlog + ":\n" + output);
            long fork1Ops = 0;
            for (JsonElement iteration : r.getAsJsonObject("secondaryMetrics").getAsJsonObject("tfo.ops")
                    .getAsJsonArray("rawData").get(0).getAsJsonArray()) {
                fork1Ops += iteration.getAsLong();
            }
            assertTrue(fork1Ops > 0, key(r));
            assertEquals(fork1Ops, Long.parseLong(m.group(1)), key(r) + ": " + output);
            checked++;
        }
        assertEquals(20, checked);
    }

    @Test
    void everyNetworkTrialRanInAFreshNamespaceAndRecordedItsTimeWaitSockets() {
        for (JsonElement e : results) {
            JsonObject r = e.getAsJsonObject();
            if (r.get("benchmark").getAsString().contains(".Baseline.")) {
                continue;
            }
            assertEquals(1.0, secondary(r, "netns.fresh"), key(r));
            assertTrue(secondary(r, "tcp.timeWait") >= 0, key(r));
            assertEquals(0.0, secondary(r, "tcpext.TCPTimeWaitOverflow"), key(r));
            assertTrue(secondary(r, "tcp.retransmitted") >= 0, key(r));
        }
    }

    private static String stem(JsonObject r) {
        String benchmark = r.get("benchmark").getAsString().replace("tfobench.bench.", "");
        StringBuilder stem = new StringBuilder(benchmark);
        new TreeSet<>(r.getAsJsonObject("params").keySet()).forEach(k ->
                stem.append('-').append(k).append('=').append(r.getAsJsonObject("params").get(k).getAsString()));
        return stem.toString();
    }

    private static List<JsonObject> firstRequests() {
        return byBenchmark("FirstRequestBenchmark.firstRequest");
    }

    private static List<JsonObject> byBenchmark(String name) {
        return results.asList().stream().map(JsonElement::getAsJsonObject)
                .filter(r -> r.get("benchmark").getAsString().endsWith(name)).collect(Collectors.toList());
    }

    private static double secondary(JsonObject r, String metric) {
        JsonObject secondary = r.getAsJsonObject("secondaryMetrics");
        assertTrue(secondary.has(metric), key(r) + " lacks " + metric + ": " + secondary.keySet());
        return secondary.getAsJsonObject(metric).get("score").getAsDouble();
    }

    private static String key(JsonObject r) {
        String benchmark = r.get("benchmark").getAsString().replace("tfobench.bench.", "");
        Map<String, String> params = new HashMap<>();
        if (r.has("params")) {
            r.getAsJsonObject("params").entrySet().forEach(p -> params.put(p.getKey(), p.getValue().getAsString()));
        }
        return benchmark + " " + new java.util.TreeMap<>(params);
    }
}
