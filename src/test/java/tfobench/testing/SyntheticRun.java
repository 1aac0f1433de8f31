package tfobench.testing;

import com.google.gson.GsonBuilder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A run folder written from known latencies, for tests that need a result whose difference from another is known
 * exactly and large enough for any sound test: {@code forks} forks of {@code iterations} measured iterations, each
 * iteration {@value #OPERATIONS} operations spread +-5% around the given median (seeded, so every build writes the
 * same folder). It holds what {@code compare} reads: {@code jmh-result.json} (one native same-cpu first-request
 * result per handshake, with fast open evidence for tfo) and one {@code .hlog} per fork.
 */
public final class SyntheticRun {
    static final int OPERATIONS = 2000;
    private static final String BENCHMARK = "tfobench.bench.FirstRequestBenchmark.firstRequest";

    private final Map<String, Double> medians = new LinkedHashMap<>();
    private int forks = 5;
    private int iterations = 5;
    private long seed = 1;

    /** Adds a first-request result for this handshake with this median (microseconds). */
    public SyntheticRun result(String handshake, double medianMicros) {
        medians.put(handshake, medianMicros);
        return this;
    }

    public SyntheticRun forks(int n) {
        forks = n;
        return this;
    }

    public SyntheticRun iterations(int n) {
        iterations = n;
        return this;
    }

    public SyntheticRun seed(long s) {
        seed = s;
        return this;
    }

    /** Writes the folder {@code name} under {@code parent}. */
    public Path write(Path parent, String name) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name));
        Random random = new Random(seed);
        List<Map<String, Object>> results = new ArrayList<>();
        for (Map.Entry<String, Double> r : medians.entrySet()) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("allowFallback", "false");
            params.put("handshake", r.getKey());
            params.put("placement", "same-cpu");
            params.put("transport", "native");
            String stem = "FirstRequestBenchmark.firstRequest-allowFallback=false-handshake=" + r.getKey()
                    + "-placement=same-cpu-transport=native";
            for (int f = 1; f <= forks; f++) {
                try (PrintStream log = new PrintStream(Files.newOutputStream(dir.resolve(stem + "-fork" + f + ".hlog")),
                        false, StandardCharsets.UTF_8)) {
                    HistogramLogWriter writer = new HistogramLogWriter(log);
                    writer.outputComment("synthetic: median " + r.getValue() + " us, +-5%, seed " + seed);
                    writer.outputLogFormatVersion();
                    writer.outputLegend();
                    for (int i = 0; i < iterations; i++) {
                        Histogram h = new Histogram(3);
                        for (int k = 0; k < OPERATIONS; k++) {
                            double us = r.getValue() * (0.95 + 0.1 * random.nextDouble());
                            h.recordValue(Math.round(us * 1000));
                        }
                        h.setStartTimeStamp(1_000L * (i + 1));
                        h.setEndTimeStamp(1_000L * (i + 2));
                        writer.outputIntervalHistogram(h);
                    }
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("jmhVersion", "1.37");
            result.put("benchmark", BENCHMARK);
            result.put("mode", "sample");
            result.put("threads", 1);
            result.put("forks", forks);
            result.put("warmupIterations", 1);
            result.put("warmupTime", "1 s");
            result.put("measurementIterations", iterations);
            result.put("measurementTime", "1 s");
            result.put("params", params);
            result.put("primaryMetric", Map.of("score", r.getValue(), "scoreUnit", "us/op",
                    "scorePercentiles", Map.of("50.0", r.getValue())));
            if (!r.getKey().equals("cold")) {
                result.put("secondaryMetrics", Map.of("tfo.synDataAcked", metric(1.0), "tfo.fallback", metric(0.0),
                        "tfo.ops", metric(forks * iterations * (double) OPERATIONS)));
            }
            results.add(result);
        }
        Files.writeString(dir.resolve("jmh-result.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(results), StandardCharsets.UTF_8);
        return dir;
    }

    private static Map<String, Object> metric(double score) {
        return Map.of("score", score, "scoreUnit", "ratio");
    }
}
