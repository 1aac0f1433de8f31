package tfobench.testing;

import com.google.gson.GsonBuilder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes run folders with known answers, shaped as the launcher writes them: {@code jmh-result.json} (the fields the
 * tools read), {@code environment.json}, and per fork an {@code .hlog} with one untagged interval per iteration
 * (every operation) and one tagged {@code retransmitted}. Each iteration holds {@value #OPS} operations spread evenly
 * from 0.9 to 1.1 times its median, plus any slow retransmitted ones asked for: so a fork's median is known exactly
 * (to HdrHistogram's precision) and the tests' verdicts follow from the medians chosen.
 */
public final class SyntheticRun {
    /** Operations per iteration. */
    public static final int OPS = 1001;

    private final Path dir;
    private final List<Map<String, Object>> entries = new ArrayList<>();
    private String kernel = "6.18.44-test";

    private SyntheticRun(Path dir) {
        this.dir = dir;
    }

    public static SyntheticRun in(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SyntheticRun(dir);
    }

    public SyntheticRun kernel(String release) {
        this.kernel = release;
        return this;
    }

    /**
     * A FirstRequest-like result: {@code forkMedians[f][i]} is iteration i of fork f's median in microseconds.
     *
     * @param benchmark    e.g. {@code tfobench.bench.FirstRequestBenchmark.firstRequest}
     * @param params       JMH parameters, in the order JMH writes them (sorted by name)
     * @param retransmitted slow operations (210 ms, a retransmission timeout) added to each fork's first iteration
     */
    public SyntheticRun result(String benchmark, Map<String, String> params, double[][] forkMedians,
                               int retransmitted) {
        Map<String, String> sorted = new TreeMap<>(params);
        String stem = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
        StringBuilder name = new StringBuilder(stem);
        sorted.forEach((k, v) -> name.append('-').append(k).append('=').append(v));
        long ops = 0;
        for (int f = 0; f < forkMedians.length; f++) {
            ops += writeFork(dir.resolve(name + "-fork" + (f + 1) + ".hlog"), forkMedians[f], retransmitted);
        }
        boolean fastOpen = "tfo".equals(params.get("handshake")) || "tfo-connect".equals(params.get("handshake"));
        boolean cookie = benchmark.contains("CookieRequest");
        Map<String, Object> secondary = new LinkedHashMap<>();
        secondary.put("tfo.ops", score(ops));
        secondary.put("tfo.synDataAcked", score(fastOpen ? 1.0 : 0.0));
        secondary.put("tfo.fallback", score(0.0));
        secondary.put("tfo.cookieRequested", score(cookie ? 1.0 : 0.0));
        secondary.put("tcp.retransmitted", score((double) retransmitted * forkMedians.length));
        secondary.put("tcp.timeWait", score(1000.0));
        secondary.put("netns.fresh", score(1.0));
        secondary.put("tcpext.TCPFastOpenActive", score(fastOpen ? ops : 0));
        secondary.put("tcpext.TCPFastOpenPassive", score(fastOpen ? ops : 0));
        secondary.put("tcpext.TCPFastOpenCookieReqd", score(cookie ? ops : 0));
        secondary.put("tcpext.TCPTimeouts", score((double) retransmitted * forkMedians.length));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("benchmark", benchmark);
        entry.put("mode", "sample");
        entry.put("forks", forkMedians.length);
        entry.put("warmupIterations", 1);
        entry.put("warmupTime", "1 s");
        entry.put("measurementIterations", forkMedians[0].length);
        entry.put("measurementTime", "1 s");
        entry.put("params", sorted);
        entry.put("primaryMetric", Map.of("scoreUnit", "us/op",
                "scorePercentiles", Map.of("50.0", forkMedians[0][0] * 1.02, "99.0", forkMedians[0][0] * 1.5)));
        entry.put("secondaryMetrics", secondary);
        entries.add(entry);
        return this;
    }

    /** A result without retransmissions. */
    public SyntheticRun result(String benchmark, Map<String, String> params, double[][] forkMedians) {
        return result(benchmark, params, forkMedians, 0);
    }

    /** Writes {@code jmh-result.json} and {@code environment.json}; returns the folder. */
    public Path write() {
        try {
            GsonBuilder gson = new GsonBuilder().setPrettyPrinting();
            Files.writeString(dir.resolve("jmh-result.json"), gson.create().toJson(entries), StandardCharsets.UTF_8);
            Map<String, Object> env = new LinkedHashMap<>();
            env.put("capturedAt", "2026-11-29T00:00:00Z");
            env.put("kernel", Map.of("release", kernel, "version", "#1 test"));
            env.put("namespace", "private (test)");
            env.put("emulation", "none: timings are this machine's");
            Files.writeString(dir.resolve("environment.json"), gson.create().toJson(env), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** {@code n} forks of {@code iterations} iterations, every iteration's median {@code micros}. */
    public static double[][] forks(int n, int iterations, double... forkMedians) {
        double[][] out = new double[n][iterations];
        for (int f = 0; f < n; f++) {
            for (int i = 0; i < iterations; i++) {
                out[f][i] = forkMedians[f % forkMedians.length];
            }
        }
        return out;
    }

    private static long writeFork(Path file, double[] iterationMedians, int retransmitted) {
        long ops = 0;
        try (PrintStream out = new PrintStream(file.toFile(), StandardCharsets.US_ASCII)) {
            HistogramLogWriter log = new HistogramLogWriter(out);
            log.outputLogFormatVersion();
            log.outputStartTime(1_795_996_510_000L);
            log.setBaseTime(1_795_996_510_000L);
            log.outputLegend();
            long start = 1_795_996_510_000L;
            for (int i = 0; i < iterationMedians.length; i++) {
                Histogram all = new Histogram(3);
                Histogram slow = new Histogram(3);
                long median = Math.round(iterationMedians[i] * 1000);
                for (int k = 0; k < OPS; k++) {
                    all.recordValue(Math.round(median * (0.9 + 0.2 * k / (OPS - 1))));
                }
                if (i == 0) {
                    for (int k = 0; k < retransmitted; k++) {
                        all.recordValue(210_000_000L);
                        slow.recordValue(210_000_000L);
                    }
                }
                for (Histogram h : List.of(all, slow)) {
                    h.setStartTimeStamp(start + i * 1000L);
                    h.setEndTimeStamp(start + i * 1000L + 1000);
                }
                slow.setTag("retransmitted");
                log.outputIntervalHistogram(all);
                log.outputIntervalHistogram(slow);
                ops += all.getTotalCount();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ops;
    }

    private static Map<String, Object> score(double value) {
        return Map.of("score", value);
    }
}
