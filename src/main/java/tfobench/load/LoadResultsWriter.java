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
 * An open-loop run's files in its run folder: per point {@code load-<handshake>-<rate>.hlog} (one-second
 * intervals, tags {@code <handshake>} and {@code <handshake>.service}) and {@code .hgrm} (latency from intended
 * start, microseconds), plus {@code load-summary.json} and {@code load-summary.md} over all points.
 */
public final class LoadResultsWriter {
    public static final String SUMMARY_JSON = "load-summary.json";
    public static final String SUMMARY_MD = "load-summary.md";

    private final Path dir;
    private final List<LoadResult> results = new ArrayList<>();
    private final List<Map<String, Object>> capacities = new ArrayList<>();

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

    /** Adds a capacity search's outcome to the summaries. */
    public void addCapacity(LoadPoint like, CapacitySearch.Result found, java.time.Duration maxP99) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("placement", like.placement());
        m.put("transport", like.transport().label());
        m.put("handshake", like.handshake().label());
        m.put("sustainedRate", found.sustained());
        m.put("failedRate", found.failedAt());
        if (found.whyFailed() != null) {
            m.put("whyFailed", found.whyFailed());
        }
        m.put("sustainedMeans", "kept its schedule (>= " + Math.round(LoadResult.KEPT_SCHEDULE_SHARE * 100)
                + "% of target, every connection started), no error, evidence agrees, p99 from intended start <= "
                + maxP99.toMillis() + " ms");
        m.put("precision", CapacitySearch.PRECISION);
        LoadResult at = found.sustainedPoint();
        if (at != null && at.cpu() != null) {
            m.put("cpuAtSustainedRate", cpu(at.cpu()));
        }
        capacities.add(m);
        writeSummaries();
    }

    private void writeSummaries() throws IOException {
        List<Map<String, Object>> points = new ArrayList<>();
        for (LoadResult r : results) {
            points.add(toMap(r));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", "open loop: latency from each connection's intended start (wrk2)");
        doc.put("points", points);
        if (!capacities.isEmpty()) {
            doc.put("capacity", capacities);
        }
        Files.writeString(dir.resolve(SUMMARY_JSON), new GsonBuilder().setPrettyPrinting().create().toJson(doc)
                + "\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(SUMMARY_MD), table(results), StandardCharsets.UTF_8);
    }

    /** The CPU figures of a point (absent ones left out: JSON has no NaN). */
    static Map<String, Object> cpu(LoadCpu cpu) {
        Map<String, Object> m = new LinkedHashMap<>();
        putFinite(m, "serverMicrosPerConnection", cpu.serverMicrosPerConnection());
        putFinite(m, "clientMicrosPerConnection", cpu.clientMicrosPerConnection());
        putFinite(m, "serverThreadsShareOfCore", cpu.serverUtilization());
        putFinite(m, "clientThreadsShareOfCore", cpu.clientUtilization());
        putFinite(m, "serverCoreBusy", cpu.serverCoreBusy());
        m.put("windowSeconds", round(cpu.windowNanos() / 1e9));
        return m;
    }

    private static void putFinite(Map<String, Object> m, String key, double value) {
        if (Double.isFinite(value)) {
            m.put(key, round(value));
        }
    }

    static Map<String, Object> toMap(LoadResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("placement", r.point().placement());
        m.put("handshake", r.point().handshake().label());
        m.put("transport", r.point().transport().label());
        m.put("targetRate", r.point().ratePerSecond());
        m.put("achievedRate", round(r.achievedRate()));
        m.put("keptSchedule", r.keptSchedule());
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
        m.put("tcpext", r.counters().fastOpen());
        if (r.cpu() != null) {
            m.put("cpu", cpu(r.cpu()));
        }
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
        s.append("| placement | transport | handshake | target /s | achieved /s | p50 us | p99 us | p99.9 us | max us "
                + "| service p50 us | server CPU us/conn | server threads % core | syn data acked | errors | schedule |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (LoadResult r : results) {
            double serverCpu = r.cpu() == null ? Double.NaN : r.cpu().serverMicrosPerConnection();
            double serverShare = r.cpu() == null ? Double.NaN : r.cpu().serverUtilization();
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %s "
                    + "| %.3f | %d | %s |%n",
                    r.point().placement(), r.point().transport().label(), r.point().handshake().label(),
                    r.point().ratePerSecond(),
                    r.achievedRate(),
                    micros(r.response().getValueAtPercentile(50)), micros(r.response().getValueAtPercentile(99)),
                    micros(r.response().getValueAtPercentile(99.9)), micros(r.response().getMaxValue()),
                    micros(r.service().getValueAtPercentile(50)),
                    Double.isNaN(serverCpu) ? "–" : String.format(Locale.ROOT, "%.1f", serverCpu),
                    Double.isNaN(serverShare) ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * serverShare),
                    r.synDataAckedShare(), r.errorCount(), status(r)));
        }
        return s.toString();
    }

    static String status(LoadResult r) {
        if (r.evidenceContradicts()) {
            return "EVIDENCE CONTRADICTS " + r.point().handshake().label().toUpperCase(Locale.ROOT);
        }
        if (!r.keptSchedule()) {
            return String.format(Locale.ROOT, "MISSED (%.0f%% of target, %d not started)",
                    100 * r.achievedRate() / r.point().ratePerSecond(), r.notStarted());
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
            writer.outputComment("tfo-bench open-loop load, nanoseconds; tag " + point.handshake().label()
                    + ": from intended start, tag " + point.handshake().label() + ".service: from actual start");
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
