package tfobench.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of an open-loop run folder ({@code load-summary.json} from the {@code load} tool): summary.md with
 * the points' table and a latency-versus-rate plot, one line per handshake and placement (p50 solid, p99
 * dashed), with points that missed their schedule marked.
 */
public final class LoadSweepReport {
    public static final String SUMMARY_JSON = "load-summary.json";
    static final String PLOT = "latency-vs-rate";
    private static final List<String> REQUIRED = List.of("placement", "handshake", "targetRate", "achievedRate",
            "keptSchedule", "responseMicros", "serviceMicros", "synDataAcked", "errors",
            "evidenceContradictsHandshake");

    private LoadSweepReport() {
    }

    /** True when the folder holds an open-loop run. */
    public static boolean isLoadRun(Path dir) {
        return Files.exists(dir.resolve(SUMMARY_JSON)) && !Files.exists(dir.resolve("jmh-result.json"));
    }

    /** Writes summary.md and the plot into the run folder; returns the files written. */
    public static List<Path> write(Path dir) throws IOException {
        List<JsonObject> points = read(dir.resolve(SUMMARY_JSON));
        if (points.isEmpty()) {
            throw new RunFolderException(dir.resolve(SUMMARY_JSON) + ": no points");
        }
        List<Path> files = new ArrayList<>(ChartFiles.write(chart(points, dir), dir, PLOT));
        files.addAll(CapacityReport.writePlot(points, dir));
        Path summary = dir.resolve(SummaryReport.FILE);
        Files.writeString(summary, markdown(dir), StandardCharsets.UTF_8);
        files.add(0, summary);
        return files;
    }

    /** The {@code summary.md} that {@link #write} writes, drawing no plot. */
    public static String markdown(Path dir) throws IOException {
        List<JsonObject> points = read(dir.resolve(SUMMARY_JSON));
        JsonObject whole = JsonParser.parseString(Files.readString(dir.resolve(SUMMARY_JSON), StandardCharsets.UTF_8))
                .getAsJsonObject();
        return markdown(dir, points) + CapacityReport.markdown(whole, points);
    }

    static List<JsonObject> read(Path file) throws IOException {
        try {
            List<JsonObject> points = new ArrayList<>();
            for (JsonElement e : JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject().getAsJsonArray("points")) {
                JsonObject point = e.getAsJsonObject();
                for (String field : REQUIRED) {
                    if (!point.has(field)) {
                        throw new RunFolderException(file + ": point " + (points.size() + 1) + " lacks '" + field
                                + "' (written by an older or different tool?)");
                    }
                }
                points.add(point);
            }
            return points;
        } catch (JsonParseException | IllegalStateException | NullPointerException | ClassCastException e) {
            throw new RunFolderException(file + ": not an open-loop summary (" + e.getMessage() + ")");
        }
    }

    static String markdown(Path dir, List<JsonObject> points) throws IOException {
        StringBuilder out = new StringBuilder("# tfo-bench open-loop run ").append(dir.getFileName()).append("\n\n");
        out.append("Written by `java -jar target/benchmarks.jar report` from `load-summary.json`. New connections ")
                .append("start on a fixed schedule (wrk2's model); each first request is timed from its intended ")
                .append("start, so when the generator or server falls behind, the wait counts (no coordinated ")
                .append("omission). `service` is the same timed from the actual start, as a closed loop would see ")
                .append("it. A point says MISSED when its achieved rate is below 95% of its target, when its ")
                .append("connections could not all start, or when the median connection started more than 1 ms ")
                .append("(or one interval between connections, below 1,000/s) after its intended time (`start lag ")
                .append("p50`): its latencies describe an overloaded system, not the rate asked for.\n\n");
        Path env = dir.resolve("environment.json");
        if (Files.exists(env)) {
            JsonObject e = JsonParser.parseString(Files.readString(env, StandardCharsets.UTF_8)).getAsJsonObject();
            MarkdownTable facts = new MarkdownTable("fact", "value");
            facts.row("kernel", e.getAsJsonObject("kernel").get("release").getAsString());
            facts.row("namespace", e.get("namespace").getAsString());
            facts.row("cpu", e.getAsJsonObject("cpu").get("model").getAsString() + ", "
                    + e.getAsJsonObject("cpu").get("online").getAsString() + " online");
            facts.row("jvm", e.getAsJsonObject("jvm").get("java.vm.name").getAsString() + " "
                    + e.getAsJsonObject("jvm").get("java.version").getAsString());
            if (e.has("placements")) {
                facts.row("placements", e.get("placements").toString().replace("\"", ""));
            }
            if (e.has("loopbackRps")) {
                facts.row("receive packet steering on lo", String.join("; ", strings(e.getAsJsonArray("loopbackRps"))));
            }
            if (e.has("arguments")) {
                facts.row("arguments", "`load " + String.join(" ", strings(e.getAsJsonArray("arguments"))) + "`");
            }
            out.append("## Environment\n\n").append(facts.render()).append('\n');
        }
        out.append("## Points\n\n").append(pointsTable(points)).append('\n');
        out.append("## Plot\n\n![latency against rate](").append(PLOT).append(".png)\n\n[SVG](").append(PLOT)
                .append(".svg)\n\n");
        return out.toString();
    }

    /** The points' table of an open-loop folder (also a generated block of the docs). */
    static String pointsTable(Path dir) throws IOException {
        return pointsTable(read(dir.resolve(SUMMARY_JSON)));
    }

    private static String pointsTable(List<JsonObject> points) {
        MarkdownTable table = new MarkdownTable("placement", "transport", "handshake", "target /s", "achieved /s",
                "p50 us", "p99 us", "p99.9 us", "max us", "service p50 us", "start lag p50 us", "syn data acked",
                "RTOs", "errors", "schedule");
        boolean race = false;
        for (JsonObject p : points) {
            String rtos = rtos(p);
            race |= rtos.endsWith("RTO");
            JsonObject r = p.getAsJsonObject("responseMicros");
            long errors = 0;
            for (Map.Entry<String, JsonElement> e : p.getAsJsonObject("errors").entrySet()) {
                errors += e.getValue().getAsLong();
            }
            table.row(p.get("placement").getAsString(), CapacityReport.transport(p), p.get("handshake").getAsString(),
                    p.get("targetRate").getAsString(), fmt(p.get("achievedRate").getAsDouble(), 0),
                    fmt(r.get("p50").getAsDouble(), 1), fmt(r.get("p99").getAsDouble(), 1),
                    fmt(r.get("p99.9").getAsDouble(), 1), fmt(r.get("max").getAsDouble(), 1),
                    fmt(p.getAsJsonObject("serviceMicros").get("p50").getAsDouble(), 1),
                    p.has("startLagMicros") ? fmt(p.getAsJsonObject("startLagMicros").get("p50").getAsDouble(), 1)
                            : Numbers.MISSING,
                    fmt(p.get("synDataAcked").getAsDouble(), 3), rtos, Long.toString(errors), schedule(p));
        }
        return table.render() + (race ? "\n" + SynAckRace.NOTE : "");
    }

    static XYChart chart(List<JsonObject> points, Path dir) {
        XYChart chart = ChartStyle.newChart("First-request latency under a fixed connection rate (open loop), "
                + dir.getFileName().toString().replaceFirst("^\\d{4}-\\d\\d-\\d\\dT\\d{6}Z-", ""),
                "target rate (new connections per second, log scale)", "latency from intended start (us, log scale)");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("#,###");
        chart.getStyler().setYAxisDecimalPattern("#,###");
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(18f));
        Map<String, List<JsonObject>> lines = new LinkedHashMap<>();
        for (JsonObject p : points) {
            lines.computeIfAbsent(CapacityReport.line(p), k -> new ArrayList<>()).add(p);
        }
        int index = 0;
        List<Double> missedX = new ArrayList<>();
        List<Double> missedY = new ArrayList<>();
        for (Map.Entry<String, List<JsonObject>> line : lines.entrySet()) {
            List<JsonObject> ps = line.getValue();
            ps.sort(java.util.Comparator.comparingInt(p -> p.get("targetRate").getAsInt()));
            List<Double> x = new ArrayList<>();
            List<Double> p50 = new ArrayList<>();
            List<Double> p99 = new ArrayList<>();
            for (JsonObject p : ps) {
                double rate = p.get("targetRate").getAsDouble();
                x.add(rate);
                p50.add(Math.max(0.1, p.getAsJsonObject("responseMicros").get("p50").getAsDouble()));
                double tail = Math.max(0.1, p.getAsJsonObject("responseMicros").get("p99").getAsDouble());
                p99.add(tail);
                if (!kept(p)) {
                    missedX.add(rate);
                    missedY.add(tail);
                }
            }
            String handshake = line.getKey().split(" ")[0];
            java.awt.Color color = ChartStyle.scenarioColor(new Scenario(handshake, ""), index);
            ChartStyle.styled(chart.addSeries(line.getKey() + " p50", x, p50), color, index, ChartStyle.solid());
            ChartStyle.styled(chart.addSeries(line.getKey() + " p99", x, p99), color, index, ChartStyle.runStroke(1));
            index++;
        }
        if (!missedX.isEmpty()) {
            XYSeries missed = chart.addSeries("missed its schedule (p99 shown)", missedX, missedY);
            missed.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            missed.setMarker(SeriesMarkers.CROSS);
            missed.setMarkerColor(java.awt.Color.BLACK);
        }
        return chart;
    }

    /** The point's retransmission timeouts, labelled for fast open ({@code 3 RTO}); absent in older folders. */
    private static String rtos(JsonObject p) {
        if (!p.has("tcpTimeouts")) {
            return Numbers.MISSING;
        }
        long timeouts = p.get("tcpTimeouts").getAsLong();
        String handshake = p.get("handshake").getAsString();
        String label = SynAckRace.label(handshake.startsWith("tfo"), timeouts);
        return label.isEmpty() ? Long.toString(timeouts) : label;
    }

    private static String schedule(JsonObject p) {
        if (p.get("evidenceContradictsHandshake").getAsBoolean()) {
            return "EVIDENCE CONTRADICTS " + p.get("handshake").getAsString().toUpperCase(Locale.ROOT);
        }
        if (kept(p)) {
            return "kept";
        }
        return lagged(p) ? String.format(Locale.ROOT, "MISSED (start lag p50 %s ms)",
                fmt(p.getAsJsonObject("startLagMicros").get("p50").getAsDouble() / 1000, 1)) : "MISSED";
    }

    /**
     * Whether a point kept its schedule: as the load tool judged it, and (for summaries written before the tool
     * looked at the start lag) not with a median start lag beyond the limit the tool now applies
     * ({@link tfobench.load.LoadResult#startLagLimitNanos()}).
     */
    static boolean kept(JsonObject p) {
        return p.get("keptSchedule").getAsBoolean() && !lagged(p);
    }

    private static boolean lagged(JsonObject p) {
        if (!p.has("startLagMicros")) {
            return false;
        }
        double limitMicros = Math.max(tfobench.load.LoadResult.MIN_LAG_LIMIT_NANOS / 1000.0,
                1e6 / p.get("targetRate").getAsDouble());
        return p.getAsJsonObject("startLagMicros").get("p50").getAsDouble() > limitMicros;
    }

    private static List<String> strings(com.google.gson.JsonArray array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
