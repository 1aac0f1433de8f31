package tfobench.load;

import com.google.gson.GsonBuilder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An open-loop run's files in its run folder: per point {@code load-<placement>-<handshake>-<rate>.hlog} (one-second
 * intervals: untagged from intended start, tagged {@code service} from actual start) and {@code .hgrm} (latency from
 * intended start, microseconds), plus {@code load-summary.json} and {@code load-summary.md} over all points.
 */
public final class LoadResultsWriter {
    public static final String SUMMARY_JSON = "load-summary.json";
    public static final String SUMMARY_MD = "load-summary.md";

    private final Path dir;
    private final List<LoadResult> results = new ArrayList<>();

    public LoadResultsWriter(Path dir) {
        this.dir = dir;
    }

    /** An interval log for one point; close it after the point ran. */
    public IntervalLog openLog(LoadPoint point) throws IOException {
        return new IntervalLog(dir.resolve("load-" + point.name() + ".hlog"), point);
    }

    public void add(LoadResult result) throws IOException {
        results.add(result);
        try (PrintStream out = new PrintStream(dir.resolve("load-" + result.point().name() + ".hgrm").toFile(),
                StandardCharsets.US_ASCII)) {
            result.response().outputPercentileDistribution(out, 1000.0);
        }
        try (PrintStream out = new PrintStream(dir.resolve("load-" + result.point().name() + "-service.hgrm")
                .toFile(), StandardCharsets.US_ASCII)) {
            result.service().outputPercentileDistribution(out, 1000.0);
        }
        writeSummaries();
    }

    private void writeSummaries() throws IOException {
        List<Map<String, Object>> points = new ArrayList<>();
        for (LoadResult r : results) {
            points.add(toMap(r));
        }
        Files.writeString(dir.resolve(SUMMARY_JSON), new GsonBuilder().setPrettyPrinting().create()
                .toJson(Map.of("model", "open loop: latency from each connection's intended start (wrk2)",
                        "points", points)) + "\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(SUMMARY_MD), table(results), StandardCharsets.UTF_8);
    }

    static Map<String, Object> toMap(LoadResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("placement", r.point().placement());
        m.put("handshake", r.point().handshake().label());
        m.put("transport", r.point().transport().label());
        m.put("targetRate", r.point().ratePerSecond());
        m.put("achievedRate", round(r.achievedRate()));
        m.put("keptSchedule", r.keptSchedule());
        m.put("startLagLimitMicros", micros(r.startLagLimitNanos()));
        m.put("lagged", r.lagged());
        m.put("scheduled", r.scheduled());
        m.put("completed", r.completed());
        m.put("notStarted", r.notStarted());
        m.put("errors", r.errors());
        m.put("threads", r.point().threads());
        m.put("durationSeconds", r.point().duration().toMillis() / 1000.0);
        m.put("warmupSeconds", r.point().warmup().toMillis() / 1000.0);
        m.put("responseMicros", percentiles(r.response()));
        m.put("serviceMicros", percentiles(r.service()));
        m.put("startLagMicros", percentiles(r.startLag()));
        m.put("synDataAcked", round(r.synDataAckedShare()));
        Map<String, Long> outcomes = new LinkedHashMap<>();
        r.outcomes().forEach((k, v) -> outcomes.put(k.name(), v));
        m.put("synData", outcomes);
        m.put("fallbacks", r.fallbacks());
        m.put("evidenceContradictsHandshake", r.evidenceContradicts());
        m.put("retransmitted", r.retransmitted());
        Map<String, Long> counters = new LinkedHashMap<>(r.counters().fastOpen());
        counters.putAll(r.counters().tail());
        m.put("tcpext", counters);
        return m;
    }

    static Map<String, Double> percentiles(Histogram h) {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("p50", micros(h.getValueAtPercentile(50)));
        p.put("p90", micros(h.getValueAtPercentile(90)));
        p.put("p99", micros(h.getValueAtPercentile(99)));
        p.put("p99.9", micros(h.getValueAtPercentile(99.9)));
        p.put("max", micros(h.getMaxValue()));
        return p;
    }

    /** The run's points as a Markdown table (also printed by the tool). */
    public static String table(List<LoadResult> results) {
        StringBuilder s = new StringBuilder();
        s.append("| placement | handshake | target /s | achieved /s | p50 us | p99 us | p99.9 us | max us | service p50 us "
                + "| syn data acked | errors | schedule |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (LoadResult r : results) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.3f | %d | %s |%n",
                    r.point().placement(), r.point().handshake().label(), r.point().ratePerSecond(),
                    r.achievedRate(),
                    micros(r.response().getValueAtPercentile(50)), micros(r.response().getValueAtPercentile(99)),
                    micros(r.response().getValueAtPercentile(99.9)), micros(r.response().getMaxValue()),
                    micros(r.service().getValueAtPercentile(50)), r.synDataAckedShare(), r.errorCount(),
                    status(r)));
        }
        return s.toString();
    }

    static String status(LoadResult r) {
        if (r.evidenceContradicts()) {
            return "EVIDENCE CONTRADICTS " + r.point().handshake().label().toUpperCase(Locale.ROOT);
        }
        if (!r.keptSchedule()) {
            String lag = r.lagged() ? String.format(Locale.ROOT, ", start lag p50 %s ms > %s ms",
                    round(r.startLagMedianNanos() / 1e6), round(r.startLagLimitNanos() / 1e6)) : "";
            return String.format(Locale.ROOT, "MISSED (%.0f%% of target, %d not started%s)",
                    100 * r.achievedRate() / r.point().ratePerSecond(), r.notStarted(), lag);
        }
        return "kept";
    }

    private static double micros(long nanos) {
        return round(nanos / 1000.0);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** An HdrHistogram interval log file. */
    public static final class IntervalLog implements Closeable {
        private final PrintStream stream;
        final HistogramLogWriter writer;

        IntervalLog(Path file, LoadPoint point) throws IOException {
            stream = new PrintStream(file.toFile(), StandardCharsets.US_ASCII);
            writer = new HistogramLogWriter(stream);
            long now = System.currentTimeMillis();
            writer.outputLogFormatVersion();
            writer.outputComment("tfo-bench open-loop load, " + point.handshake().label() + ", nanoseconds; untagged: "
                    + "from intended start, tag " + OpenLoopRunner.SERVICE_TAG + ": from actual start");
            writer.outputComment("target " + point.ratePerSecond() + " connections/s, " + point.threads()
                    + " client threads, transport " + point.transport().label());
            writer.outputStartTime(now);
            writer.setBaseTime(now);
            writer.outputLegend();
        }

        public HistogramLogWriter writer() {
            return writer;
        }

        @Override
        public void close() {
            stream.close();
        }
    }
}
