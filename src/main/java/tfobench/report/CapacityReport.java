package tfobench.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.knowm.xchart.XYChart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CPU side of an open-loop run ({@code load}): the server's CPU per connection and share of its core at each
 * rate, as a table and a plot against the rate, and what {@code load --capacity} found, the TCP Fast Open paper's
 * server experiment. Part of {@link LoadSweepReport}'s summary.md; empty for runs older than these figures.
 */
final class CapacityReport {
    static final String PLOT = "cpu-vs-rate";

    private CapacityReport() {
    }

    /** Points that carry CPU figures. */
    private static List<JsonObject> withCpu(List<JsonObject> points) {
        List<JsonObject> out = new ArrayList<>();
        for (JsonObject p : points) {
            if (p.has("cpu") && p.getAsJsonObject("cpu").has("serverMicrosPerConnection")) {
                out.add(p);
            }
        }
        return out;
    }

    /** Writes the plot when any point has CPU figures; returns its files. */
    static List<Path> writePlot(List<JsonObject> points, Path dir) throws IOException {
        List<JsonObject> cpu = withCpu(points);
        return cpu.isEmpty() ? List.of() : ChartFiles.write(chart(cpu, dir), dir, PLOT);
    }

    /** The section: capacity found (if searched), the CPU table and the plot; empty without CPU figures. */
    static String markdown(JsonObject summary, List<JsonObject> points) {
        List<JsonObject> cpu = withCpu(points);
        if (cpu.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("## Capacity and CPU\n\n");
        out.append("Server CPU per connection: the CPU time of the in-process server's threads (thread CPU clocks, ")
                .append("user and system, with the softirq work the kernel did on them) over the measured window, ")
                .append("divided by the connections completed in it. `server threads`: the same as a share of one ")
                .append("core's time; `server core busy`: the server's CPU by `/proc/stat` (everything that ran there, ")
                .append("other processes included), when the server was pinned to one CPU. `client`: the generator's ")
                .append("threads, per connection and as a share of a core. On loopback each segment's receive path ")
                .append("runs on the sender's CPU, so part of the server's TCP work is counted on the client's side ")
                .append("and the other way round.\n\n");
        if (summary.has("capacity")) {
            MarkdownTable found = new MarkdownTable("placement", "transport", "handshake", "sustained /s",
                    "first failed /s", "why", "server CPU us/conn there", "server threads % core there");
            String means = "";
            for (JsonElement e : summary.getAsJsonArray("capacity")) {
                JsonObject c = e.getAsJsonObject();
                means = c.get("sustainedMeans").getAsString();
                JsonObject at = c.has("cpuAtSustainedRate") ? c.getAsJsonObject("cpuAtSustainedRate") : new JsonObject();
                found.row(c.get("placement").getAsString(), c.get("transport").getAsString(),
                        c.get("handshake").getAsString(), String.format(Locale.ROOT, "%,d", c.get("sustainedRate")
                                .getAsInt()),
                        c.get("failedRate").getAsInt() == 0 ? "none" : String.format(Locale.ROOT, "%,d",
                                c.get("failedRate").getAsInt()),
                        c.has("whyFailed") ? c.get("whyFailed").getAsString() : "",
                        number(at, "serverMicrosPerConnection", 1, 1), number(at, "serverThreadsShareOfCore", 0, 100));
            }
            out.append("### Highest sustained rate\n\n").append("Sustained: ").append(means)
                    .append(". The search doubles the best sustained rate until a point fails, then halves the gap ")
                    .append("to within 10%.\n\n").append(found.render()).append('\n');
        }
        MarkdownTable table = new MarkdownTable("placement", "transport", "handshake", "target /s", "achieved /s",
                "p50 us", "p99 us", "server CPU us/conn", "server threads % core", "server core busy %",
                "client CPU us/conn", "client % core", "schedule");
        List<JsonObject> sorted = new ArrayList<>(cpu);
        sorted.sort(Comparator.comparing((JsonObject p) -> line(p)).thenComparingInt(p -> p.get("targetRate").getAsInt()));
        for (JsonObject p : sorted) {
            JsonObject c = p.getAsJsonObject("cpu");
            JsonObject r = p.getAsJsonObject("responseMicros");
            table.row(p.get("placement").getAsString(), transport(p), p.get("handshake").getAsString(),
                    p.get("targetRate").getAsString(), String.format(Locale.ROOT, "%.0f", p.get("achievedRate")
                            .getAsDouble()),
                    String.format(Locale.ROOT, "%.1f", r.get("p50").getAsDouble()),
                    String.format(Locale.ROOT, "%.1f", r.get("p99").getAsDouble()),
                    number(c, "serverMicrosPerConnection", 1, 1), number(c, "serverThreadsShareOfCore", 0, 100),
                    number(c, "serverCoreBusy", 0, 100), number(c, "clientMicrosPerConnection", 1, 1),
                    number(c, "clientThreadsShareOfCore", 0, 100),
                    p.get("keptSchedule").getAsBoolean() ? "kept" : "MISSED");
        }
        out.append("### CPU at each rate\n\n").append(table.render()).append('\n');
        out.append("![server CPU against rate](").append(PLOT).append(".png)\n\n[SVG](").append(PLOT)
                .append(".svg)\n\n");
        return out.toString();
    }

    static XYChart chart(List<JsonObject> points, Path dir) {
        XYChart chart = ChartStyle.newChart("Server CPU under a fixed connection rate (open loop), "
                + dir.getFileName().toString().replaceFirst("^\\d{4}-\\d\\d-\\d\\dT\\d{6}Z-", ""),
                "target rate (new connections per second, log scale)",
                "server threads' CPU per connection (us), and their share of one core (%, dashed)");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("#,###");
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(18f));
        Map<String, List<JsonObject>> lines = new LinkedHashMap<>();
        for (JsonObject p : points) {
            lines.computeIfAbsent(line(p), k -> new ArrayList<>()).add(p);
        }
        int index = 0;
        for (Map.Entry<String, List<JsonObject>> line : lines.entrySet()) {
            List<JsonObject> ps = line.getValue();
            ps.sort(Comparator.comparingInt(p -> p.get("targetRate").getAsInt()));
            List<Double> x = new ArrayList<>();
            List<Double> perConnection = new ArrayList<>();
            List<Double> share = new ArrayList<>();
            for (JsonObject p : ps) {
                JsonObject c = p.getAsJsonObject("cpu");
                x.add(p.get("targetRate").getAsDouble());
                perConnection.add(c.get("serverMicrosPerConnection").getAsDouble());
                share.add(c.has("serverThreadsShareOfCore") ? 100 * c.get("serverThreadsShareOfCore").getAsDouble()
                        : 0.0);
            }
            java.awt.Color color = ChartStyle.scenarioColor(new Scenario(line.getKey().split(" ")[0], ""), index);
            ChartStyle.styled(chart.addSeries(line.getKey() + " us/conn", x, perConnection), color, index,
                    ChartStyle.solid());
            ChartStyle.styled(chart.addSeries(line.getKey() + " % core", x, share), color, index,
                    ChartStyle.runStroke(1));
            index++;
        }
        return chart;
    }

    /** The line a point belongs to in tables and plots: handshake, transport, placement. */
    static String line(JsonObject p) {
        return p.get("handshake").getAsString() + " " + transport(p) + " " + p.get("placement").getAsString();
    }

    static String transport(JsonObject p) {
        return p.has("transport") ? p.get("transport").getAsString() : "native";
    }

    private static String number(JsonObject o, String key, int decimals, double scale) {
        return o.has(key) ? String.format(Locale.ROOT, "%." + decimals + "f", o.get(key).getAsDouble() * scale) : "–";
    }
}
