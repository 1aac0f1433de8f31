package tfobench.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * summary.md's "Java against C" section from the run folder's {@code c-calibration.json} (written by the
 * launcher's calibration step): Java/C median ratios per scenario, transport and placement, against the targets,
 * and the fast open saving of each.
 */
final class CalibrationSection {
    static final String FILE = "c-calibration.json";

    private CalibrationSection() {
    }

    /** The section, or an empty string when the run has no calibration. */
    static String render(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        if (!Files.exists(file)) {
            return "";
        }
        JsonObject doc;
        try {
            doc = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new RunFolderException(file + ": not a calibration file (" + e.getMessage() + ")");
        }
        StringBuilder out = new StringBuilder("## Java against C\n\n");
        out.append("The C peer (`calib.c`, ").append(text(doc, "compiler")).append(") makes the Java native ")
                .append("client's system calls, in the same namespace and placement, right after the JMH run (")
                .append(text(doc, "measureSeconds")).append(" s per scenario). Java p50 is JMH's median; the ratio ")
                .append("says how much of the Java number is the JVM and JNA. `tcpinfo` is the `getsockopt(TCP_INFO)` ")
                .append("alone (Baseline.tcpInfoRead against C): the cost of one JNA call.\n\n");
        MarkdownTable table = new MarkdownTable("placement", "scenario", "transport", "Java p50 us", "C p50 us",
                "Java/C", "target");
        JsonObject targets = doc.getAsJsonObject("targets");
        for (JsonElement e : doc.getAsJsonArray("javaOverC")) {
            JsonObject row = e.getAsJsonObject();
            double java = row.get("javaP50").getAsDouble();
            double c = row.get("cP50").getAsDouble();
            String transport = row.get("transport").getAsString();
            double target = targets.get(transport).getAsDouble();
            double ratio = java / c;
            table.row(row.get("placement").getAsString(), row.get("scenario").getAsString(), transport,
                    String.format(Locale.ROOT, "%.2f", java), String.format(Locale.ROOT, "%.2f", c),
                    String.format(Locale.ROOT, "%.2fx", ratio),
                    String.format(Locale.ROOT, "%s (%.2fx)", ratio <= target ? "met" : "missed", target));
        }
        out.append(table.render()).append('\n');
        JsonObject saving = doc.getAsJsonObject("tfoSavingDeviationFromC");
        if (saving != null && saving.size() > 0) {
            out.append("TFO saving (cold p50 - tfo p50), Java against C's: ");
            StringBuilder parts = new StringBuilder();
            for (Map.Entry<String, JsonElement> e : saving.entrySet()) {
                double d = e.getValue().getAsDouble();
                parts.append(parts.length() == 0 ? "" : "; ").append(e.getKey()).append(String.format(Locale.ROOT,
                        " %+.0f%%", d * 100));
            }
            out.append(parts).append(" (target for native: within ").append(String.format(Locale.ROOT, "%.0f%%",
                    targets.get("nativeTfoSavingWithin").getAsDouble() * 100)).append(").\n\n");
        }
        if (doc.has("javaOverFloor")) {
            out.append(floor(doc));
        }
        return out.toString();
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
