package tfobench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import tfobench.JsonFile;
import tfobench.linux.TcpExtCounters;
import tfobench.report.MarkdownTable;
import tfobench.report.SynAckRace;

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
        List<PointSummary> points = new ArrayList<>();
        for (LoadResult r : results) {
            points.add(PointSummary.of(r));
        }
        JsonFile.write(dir.resolve(SUMMARY_JSON), new Summary("open loop: latency from each connection's intended "
                + "start (wrk2)", points, capacities.isEmpty() ? null : capacities));
        Files.writeString(dir.resolve(SUMMARY_MD), table(results), StandardCharsets.UTF_8);
    }

    /** {@code load-summary.json}; {@code capacity}: what {@code load --capacity} found, absent without it. */
    record Summary(String model, List<PointSummary> points, List<Map<String, Object>> capacity) {
    }

    /**
     * One point of {@code load-summary.json}: what was asked, what was kept, latencies in microseconds, evidence;
     * {@code tcpTimeouts} is the namespace's TcpExt {@code TCPTimeouts} over the point (see {@link SynAckRace});
     * {@code cpu}: what the server's and the generator's threads used (absent when not measured).
     */
    record PointSummary(String placement, String handshake, String transport, int targetRate, double achievedRate,
                        boolean keptSchedule, double startLagLimitMicros, boolean lagged, long scheduled,
                        long completed, long notStarted,
                        Map<String, Long> errors, int threads, double durationSeconds, double warmupSeconds,
                        Map<String, Double> responseMicros, Map<String, Double> serviceMicros,
                        Map<String, Double> startLagMicros, double synDataAcked, Map<String, Long> synData,
                        long fallbacks, boolean evidenceContradictsHandshake, long retransmitted,
                        Map<String, Long> tcpext, long tcpTimeouts, Map<String, Object> cpu) {

        static PointSummary of(LoadResult r) {
            Map<String, Long> outcomes = new LinkedHashMap<>();
            r.outcomes().forEach((k, v) -> outcomes.put(k.name(), v));
            Map<String, Long> counters = new LinkedHashMap<>(r.counters().fastOpen());
            counters.putAll(r.counters().tail());
            return new PointSummary(r.point().placement(), r.point().handshake().label(),
                    r.point().transport().label(), r.point().ratePerSecond(), round(r.achievedRate()),
                    r.keptSchedule(), micros(r.startLagLimitNanos()), r.lagged(), r.scheduled(), r.completed(),
                    r.notStarted(), r.errors(), r.point().threads(),
                    r.point().duration().toMillis() / 1000.0, r.point().warmup().toMillis() / 1000.0,
                    percentiles(r.response()), percentiles(r.service()), percentiles(r.startLag()),
                    round(r.synDataAckedShare()), outcomes, r.fallbacks(), r.evidenceContradicts(),
                    r.retransmitted(), counters, r.counters().get(TcpExtCounters.TIMEOUTS),
                    r.cpu() == null ? null : LoadResultsWriter.cpu(r.cpu()));
        }
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
        MarkdownTable table = new MarkdownTable("placement", "transport", "handshake", "target /s", "achieved /s",
                "p50 us", "p99 us", "p99.9 us", "max us", "service p50 us", "server CPU us/conn",
                "server threads % core", "syn data acked", "RTOs", "errors", "schedule");
        boolean race = false;
        for (LoadResult r : results) {
            long timeouts = r.counters().get(TcpExtCounters.TIMEOUTS);
            String label = SynAckRace.label(r.point().handshake().fastOpen(), timeouts);
            race |= !label.isEmpty();
            double serverCpu = r.cpu() == null ? Double.NaN : r.cpu().serverMicrosPerConnection();
            double serverShare = r.cpu() == null ? Double.NaN : r.cpu().serverUtilization();
            table.row(r.point().placement(), r.point().transport().label(), r.point().handshake().label(),
                    Integer.toString(r.point().ratePerSecond()), String.format(Locale.ROOT, "%.0f", r.achievedRate()),
                    oneDecimal(micros(r.response().getValueAtPercentile(50))),
                    oneDecimal(micros(r.response().getValueAtPercentile(99))),
                    oneDecimal(micros(r.response().getValueAtPercentile(99.9))),
                    oneDecimal(micros(r.response().getMaxValue())),
                    oneDecimal(micros(r.service().getValueAtPercentile(50))),
                    Double.isNaN(serverCpu) ? "–" : oneDecimal(serverCpu),
                    Double.isNaN(serverShare) ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * serverShare),
                    String.format(Locale.ROOT, "%.3f", r.synDataAckedShare()),
                    label.isEmpty() ? Long.toString(timeouts) : label, Long.toString(r.errorCount()), status(r));
        }
        return race ? table.render() + "\n" + SynAckRace.NOTE : table.render();
    }

    private static String oneDecimal(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
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
