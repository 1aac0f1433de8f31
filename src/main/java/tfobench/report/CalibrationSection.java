package tfobench.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import tfobench.calibration.JavaToCRatios;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * summary.md's "Java against C" section from the run folder's {@code c-calibration.json} (written by the
 * launcher's calibration step): Java/C median ratios per scenario, transport and placement, against the targets,
 * and the fast open saving of each.
 */
public final class CalibrationSection {
    static final String FILE = "c-calibration.json";

    private CalibrationSection() {
    }

    /** The section, or an empty string when the run has no calibration. */
    static String render(Run run) throws IOException {
        Path file = run.dir().resolve(FILE);
        if (!Files.exists(file)) {
            return "";
        }
        Map<String, Map<String, JsonObject>> c = cFigures(file);
        JsonObject doc = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        StringBuilder out = new StringBuilder("## Java against C\n\n");
        out.append("The C peer (`calib.c`, ").append(text(doc, "compiler")).append(") makes the Java native ")
                .append("client's system calls, in the same namespace and placement, right after the JMH run (")
                .append(text(doc, "measureSeconds")).append(" s per scenario). Java p50 is the median over all ")
                .append("operations (`.hlog`, exchange window; JMH's samples for `tcpinfo`, which has no log); the ")
                .append("ratio says how much of the Java number is the JVM and JNA. `tcpinfo` is the ")
                .append("`getsockopt(TCP_INFO)` alone (Baseline.tcpInfoRead against C): the cost of one JNA call.\n\n");
        List<JavaToCRatios.JavaMedian> medians = javaMedians(run);
        out.append(ratios(medians, c));
        if (!medians.isEmpty() && doc.has("javaOverFloor")) {
            out.append(floor(doc));
        }
        return out.toString();
    }

    /**
     * The ratios table and the TFO saving line alone (what {@code <!-- generated: calibration RUN -->} writes into a
     * document), or an empty string when the run has no calibration.
     */
    static String table(Run run) throws IOException {
        Path file = run.dir().resolve(FILE);
        if (!Files.exists(file)) {
            return "";
        }
        return ratios(javaMedians(run), cFigures(file));
    }

    private static Map<String, Map<String, JsonObject>> cFigures(Path file) throws IOException {
        Map<String, Map<String, JsonObject>> c = new LinkedHashMap<>();
        try {
            JsonObject doc = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            for (Map.Entry<String, JsonElement> placement : doc.getAsJsonObject("c").entrySet()) {
                Map<String, JsonObject> scenarios = new LinkedHashMap<>();
                placement.getValue().getAsJsonObject().entrySet()
                        .forEach(e -> scenarios.put(e.getKey(), e.getValue().getAsJsonObject()));
                c.put(placement.getKey(), scenarios);
            }
        } catch (JsonParseException | IllegalStateException | NullPointerException e) {
            throw new RunFolderException(file + ": not a calibration file (" + e.getMessage() + ")");
        }
        return c;
    }

    /** The ratios and the saving line; for a run none of whose results ran where the C peers measure, why not. */
    private static String ratios(List<JavaToCRatios.JavaMedian> medians, Map<String, Map<String, JsonObject>> c) {
        if (medians.isEmpty()) {
            return "Nothing compared: the C peers measured " + JavaToCRatios.cSetting() + ", and no result of this "
                    + "run ran there (a ratio across settings would measure the setting, not the JVM).\n\n";
        }
        List<JavaToCRatios.Row> rows = JavaToCRatios.rows(medians, c);
        StringBuilder out = new StringBuilder();
        MarkdownTable table = new MarkdownTable("placement", "scenario", "transport", "Java p50 us", "C p50 us",
                "Java/C", "target");
        for (JavaToCRatios.Row row : rows) {
            double ratio = row.ratio();
            table.row(row.placement(), row.scenario(), row.transport(),
                    String.format(Locale.ROOT, "%.2f", row.javaP50()), String.format(Locale.ROOT, "%.2f", row.cP50()),
                    String.format(Locale.ROOT, "%.2fx", ratio),
                    String.format(Locale.ROOT, "%s (%.2fx)", ratio <= row.target() ? "met" : "missed", row.target()));
        }
        out.append(table.render()).append('\n');
        List<JavaToCRatios.Saving> savings = JavaToCRatios.savings(rows);
        if (!savings.isEmpty()) {
            StringJoiner parts = new StringJoiner("; ");
            savings.forEach(saving -> parts.add(saving.describe()));
            out.append("TFO saving (cold p50 - tfo p50), Java's and C's: ").append(parts)
                    .append(" (target for native: Java's within ").append(String.format(Locale.ROOT, "%.0f%%",
                    JavaToCRatios.SAVING_TOLERANCE * 100)).append(" of C's where C saves something).\n\n");
        }
        return out.toString();
    }

    /** Every result's median over all its operations, as the calibration compares them. */
    public static List<JavaToCRatios.JavaMedian> javaMedians(Run run) {
        List<JavaToCRatios.JavaMedian> medians = new ArrayList<>();
        for (BenchmarkResult r : run.results()) {
            if (!r.latency().isEmpty() && JavaToCRatios.likeCPeers(r.id()::param)) {
                medians.add(new JavaToCRatios.JavaMedian(r.id().benchmark(), r.id().param("handshake"),
                        r.id().param("placement"), r.id().param("transport"), r.latency().percentileMicros(50)));
            }
        }
        return medians;
    }

    /** Java against the minimal C floor: latency ratio against its target, and the CPU per operation of both. */
    private static String floor(JsonObject doc) {
        StringBuilder out = new StringBuilder("### Java against the minimal C floor\n\n");
        out.append("`floor.c` makes only the seed's calls (client: socket, connect and send or sendto(MSG_FASTOPEN), ")
                .append("recv, close; server: one thread, accept loop), no options, no `TCP_INFO`, no timeouts. Its ")
                .append("fast open evidence is the namespace's `TCPFastOpenActive` delta. Java ran on ")
                .append(text(doc, "jvm")).append(", system calls through ").append(text(doc, "linuxLayer"))
                .append(". CPU: client + server threads, microseconds per operation (Java: `cpu.client + ")
                .append("cpu.server`; floor: the two processes' CPU time per operation).\n\n");
        MarkdownTable table = new MarkdownTable("placement", "scenario", "transport", "Java p50 us", "floor p50 us",
                "Java/floor", "target", "Java CPU us/op", "floor CPU us/op", "CPU ratio");
        for (JsonElement e : doc.getAsJsonArray("javaOverFloor")) {
            JsonObject row = e.getAsJsonObject();
            double java = row.get("javaP50").getAsDouble();
            double c = row.get("floorP50").getAsDouble();
            double target = row.get("target").getAsDouble();
            double ratio = java / c;
            table.row(row.get("placement").getAsString(), row.get("scenario").getAsString(),
                    row.get("transport").getAsString(), String.format(Locale.ROOT, "%.2f", java),
                    String.format(Locale.ROOT, "%.2f", c), String.format(Locale.ROOT, "%.2fx", ratio),
                    String.format(Locale.ROOT, "%s (%.2fx)", ratio <= target ? "met" : "missed", target),
                    number(row, "javaCpu"), number(row, "floorCpu"),
                    row.has("javaCpu") && row.has("floorCpu") ? String.format(Locale.ROOT, "%.2fx",
                            row.get("javaCpu").getAsDouble() / row.get("floorCpu").getAsDouble()) : "–");
        }
        return out.append(table.render()).append('\n').toString();
    }

    private static String number(JsonObject row, String key) {
        return row.has(key) && !row.get(key).isJsonNull() ? String.format(Locale.ROOT, "%.2f", row.get(key).getAsDouble())
                : "–";
    }

    private static String text(JsonObject doc, String key) {
        return doc.has(key) ? doc.get(key).getAsString() : "?";
    }
}
