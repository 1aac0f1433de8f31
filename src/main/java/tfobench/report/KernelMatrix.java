package tfobench.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The kernel matrix in Markdown, from run folders alone: per folder its kernel, whether it ran emulated, its
 * functional check ({@code functional-check.json}, written by {@code check --json}) and the state of the kernel's
 * fast open blackhole detection when it ran ({@code environment.json}); per kernel the fast open behaviours the
 * check observed (PASS, FAIL or not on this kernel, with the evidence); and per first-request result what fast open
 * saved against cold with the same transport, placement and RTT. With an emulated RTT the saving is also given in
 * RTTs, the figure the physics predicts to be one (cold: two round trips before the response, fast open: one).
 */
public final class KernelMatrix {
    public static final String CHECK_JSON = "functional-check.json";
    /**
     * The saving in RTTs a fast open first request must show under netem to count as the expected physics (one round
     * trip fewer than cold), within this band. The check tool, the matrix and its {@code --require-one-rtt} use it.
     */
    public static final double MIN_RTTS = 0.8;
    public static final double MAX_RTTS = 1.2;
    /** {@link #MIN_RTTS}-{@link #MAX_RTTS} as the messages print it. */
    public static final String ONE_RTT_BAND = String.format(Locale.ROOT, "%.1f-%.1f", MIN_RTTS, MAX_RTTS);
    private static final String FIRST_REQUEST = "FirstRequestBenchmark.firstRequest";

    private final List<Row> runs = new ArrayList<>();

    /** One run folder's facts. */
    record Row(Path folder, String kernel, String emulation, String check, String jarSha, List<Saving> savings,
               List<Behaviour> behaviours, String blackhole, boolean blackholed) {
    }

    /**
     * One fast open behaviour as a kernel's check observed it ({@code checks[]} entries with a {@code behaviour}).
     *
     * @param status {@code pass}, {@code fail}, {@code not on this kernel} or {@code not run}
     */
    public record Behaviour(String behaviour, String status, String observed, String evidence) {
        /** The table cell, e.g. {@code PASS: 0 s: off}. */
        String cell() {
            String word = switch (status) {
                case "pass" -> "PASS";
                case "fail" -> "**FAIL**";
                case "not on this kernel" -> "not on this kernel";
                default -> status;
            };
            return word + (observed == null || observed.isEmpty() ? "" : ": " + observed);
        }
    }

    /** True when a saving of {@code savedRtts} round trips is the physics: within {@link #ONE_RTT_BAND}. */
    public static boolean savesOneRtt(double savedRtts) {
        return savedRtts >= MIN_RTTS && savedRtts <= MAX_RTTS;
    }

    /** Fast open against cold for one transport, placement and RTT. */
    public record Saving(String kernel, boolean emulated, String handshake, String transport, String placement,
                         int rttMillis, double coldMedianMicros, double fastMedianMicros, double synDataAcked) {
        public double savedMicros() {
            return coldMedianMicros - fastMedianMicros;
        }

        /** The saving in round trips, or NaN without an emulated RTT. */
        public double savedRtts() {
            return rttMillis > 0 ? savedMicros() / (rttMillis * 1000.0) : Double.NaN;
        }

        public boolean withinOneRtt() {
            return rttMillis > 0 && savesOneRtt(savedRtts());
        }
    }

    /**
     * Reads a run folder (environment.json and jmh-result.json required, functional-check.json optional), or a
     * check-only folder: functional-check.json alone, as {@code scripts/kernel-matrix.sh --check-only} keeps it
     * (kernel and emulation from the check, no numbers, the blackhole state from its first check).
     */
    public KernelMatrix add(Path folder) throws IOException {
        Path checkFile = folder.resolve(CHECK_JSON);
        if (!Files.exists(folder.resolve(RunFolder.ENVIRONMENT_JSON)) && Files.exists(checkFile)) {
            JsonObject doc = read(checkFile).getAsJsonObject();
            String emulation = doc.has("emulation") ? doc.get("emulation").getAsString() : "none";
            runs.add(new Row(folder, doc.get("kernel").getAsString(), emulation, describeCheck(doc), "", List.of(),
                    behaviours(doc), blackholeFromCheck(doc), false));
            return this;
        }
        JsonObject env = read(folder.resolve(RunFolder.ENVIRONMENT_JSON)).getAsJsonObject();
        String kernel = env.getAsJsonObject("kernel").get("release").getAsString();
        String emulation = "none";
        if (env.has("emulation") && env.get("emulation").isJsonObject()) {
            emulation = env.getAsJsonObject("emulation").get("how").getAsString();
        }
        String jarSha = "";
        if (env.has("provenance") && env.getAsJsonObject("provenance").has("jarSha256")) {
            jarSha = env.getAsJsonObject("provenance").get("jarSha256").getAsString();
        }
        String check = "not run";
        List<Behaviour> behaviours = new ArrayList<>();
        if (Files.exists(checkFile)) {
            JsonObject doc = read(checkFile).getAsJsonObject();
            check = describeCheck(doc);
            behaviours.addAll(behaviours(doc));
        }
        String blackhole = "?";
        boolean blackholed = false;
        if (env.has("fastOpenBlackhole") && env.get("fastOpenBlackhole").isJsonObject()) {
            JsonObject b = env.getAsJsonObject("fastOpenBlackhole");
            String state = b.get("state").getAsString();
            blackholed = state.equals("active");
            blackhole = (blackholed ? "**ACTIVE**" : state) + " (timeout " + b.get("timeoutSeconds").getAsString()
                    + ", " + b.get("detections").getAsLong() + " detection(s))";
        }
        List<Saving> savings = Files.exists(folder.resolve(RunFolder.JMH_JSON))
                ? savings(kernel, !emulation.equals("none"), RunReader.read(folder)) : List.of();
        runs.add(new Row(folder, kernel, emulation, check, jarSha, savings, behaviours, blackhole, blackholed));
        return this;
    }

    /** A check-only folder's blackhole state: what the check's first line found (no environment.json to say). */
    private static String blackholeFromCheck(JsonObject check) {
        if (check.has("checks")) {
            for (JsonElement e : check.getAsJsonArray("checks")) {
                JsonObject c = e.getAsJsonObject();
                if (c.get("check").getAsString().equals("fast-open-not-blackholed")) {
                    return (c.get("passed").getAsBoolean() ? "not active" : "**ACTIVE**") + " (check only)";
                }
            }
        }
        return "?";
    }

    /** The checks that observed a kernel behaviour, in the check's order. */
    static List<Behaviour> behaviours(JsonObject check) {
        List<Behaviour> out = new ArrayList<>();
        if (!check.has("checks")) {
            return out;
        }
        for (JsonElement e : check.getAsJsonArray("checks")) {
            JsonObject c = e.getAsJsonObject();
            if (c.has("behaviour")) {
                out.add(new Behaviour(c.get("behaviour").getAsString(), c.get("status").getAsString(),
                        c.has("observed") ? c.get("observed").getAsString() : "",
                        c.has("evidence") ? c.get("evidence").getAsString() : ""));
            }
        }
        return out;
    }

    /** True when some folder's check has a failed behaviour. */
    public boolean behaviourFailed() {
        return runs.stream().flatMap(r -> r.behaviours().stream()).anyMatch(b -> b.status().equals("fail"));
    }

    public List<Saving> savings() {
        List<Saving> all = new ArrayList<>();
        runs.forEach(r -> all.addAll(r.savings()));
        return all;
    }

    /**
     * Fast open's saving against RTT for one run, handshake, transport and placement, fitted over its RTTs (least
     * squares): the slope is the saving per millisecond of RTT, the intercept what is saved regardless of the RTT.
     * Under emulation the cold path's extra blocking step (connect sleeps until netem's timer releases the SYN-ACK,
     * the server wakes for accept and again for the data) costs milliseconds of CPU that do not depend on the RTT:
     * it lands in the intercept, and the slope is the physics alone.
     */
    public record Fit(String kernel, String handshake, String transport, String placement, List<Integer> rtts,
                      double savedRttsPerRtt, double constantMillis) {
        public boolean withinOneRtt() {
            return savesOneRtt(savedRttsPerRtt);
        }
    }

    public List<Fit> fits() {
        List<Fit> fits = new ArrayList<>();
        for (Row r : runs) {
            Map<String, List<Saving>> groups = new LinkedHashMap<>();
            for (Saving s : r.savings()) {
                if (s.rttMillis() > 0) {
                    groups.computeIfAbsent(s.handshake() + "|" + s.transport() + "|" + s.placement(),
                            k -> new ArrayList<>()).add(s);
                }
            }
            for (List<Saving> g : groups.values()) {
                if (g.stream().map(Saving::rttMillis).distinct().count() < 2) {
                    continue;
                }
                double n = g.size();
                double mx = g.stream().mapToDouble(Saving::rttMillis).sum() / n;
                double my = g.stream().mapToDouble(s -> s.savedMicros() / 1000).sum() / n;
                double sxy = g.stream().mapToDouble(s -> (s.rttMillis() - mx) * (s.savedMicros() / 1000 - my)).sum();
                double sxx = g.stream().mapToDouble(s -> (s.rttMillis() - mx) * (s.rttMillis() - mx)).sum();
                double slope = sxy / sxx;
                Saving first = g.get(0);
                fits.add(new Fit(first.kernel(), first.handshake(), first.transport(), first.placement(),
                        g.stream().map(Saving::rttMillis).toList(), slope, my - slope * mx));
            }
        }
        return fits;
    }

    /**
     * The physics holds: where a run has two or more RTTs, the fitted saving per RTT is within the band; a single
     * RTT row must be within the band by itself. True when nothing was run with an RTT.
     */
    public boolean physicsHolds() {
        List<Fit> fits = fits();
        boolean fitted = fits.stream().allMatch(Fit::withinOneRtt);
        boolean single = savings().stream().filter(s -> s.rttMillis() > 0)
                .filter(s -> fits.stream().noneMatch(f -> f.kernel().equals(s.kernel())
                        && f.handshake().equals(s.handshake()) && f.transport().equals(s.transport())
                        && f.placement().equals(s.placement())))
                .allMatch(Saving::withinOneRtt);
        return fitted && single;
    }

    /**
     * Every fast open first request against the cold one of the same transport, placement and RTT, medians over all
     * operations (the {@code .hlog} logs; JMH's samples only where a folder has no log, as the reports label them).
     */
    static List<Saving> savings(String kernel, boolean emulated, Run run) {
        Map<String, BenchmarkResult> cold = new LinkedHashMap<>();
        List<BenchmarkResult> fast = new ArrayList<>();
        for (BenchmarkResult r : run.results()) {
            if (!r.id().benchmark().endsWith(FIRST_REQUEST) || r.latency().isEmpty()) {
                continue;
            }
            if ("cold".equals(r.id().param("handshake"))) {
                cold.put(group(r.id()), r);
            } else {
                fast.add(r);
            }
        }
        List<Saving> savings = new ArrayList<>();
        for (BenchmarkResult f : fast) {
            BenchmarkResult c = cold.get(group(f.id()));
            if (c == null) {
                continue;
            }
            Double acked = f.evidence().synDataAcked();
            savings.add(new Saving(kernel, emulated, param(f.id(), "handshake", "?"), param(f.id(), "transport", "?"),
                    param(f.id(), "placement", "?"), Integer.parseInt(param(f.id(), "rtt", "0")),
                    c.latency().percentileMicros(50), f.latency().percentileMicros(50),
                    acked == null ? Double.NaN : acked));
        }
        return savings;
    }

    /** Results comparable with one another: same transport, placement and RTT. */
    private static String group(BenchmarkId id) {
        return param(id, "transport", "") + "|" + param(id, "placement", "") + "|" + param(id, "rtt", "0");
    }

    private static String param(BenchmarkId id, String name, String fallback) {
        String value = id.param(name);
        return value == null ? fallback : value;
    }

    private static String describeCheck(JsonObject check) {
        StringBuilder s = new StringBuilder(check.get("passed").getAsLong() + " passed, "
                + check.get("failed").getAsLong() + " failed");
        if (check.has("notOnThisKernel") && check.get("notOnThisKernel").getAsLong() > 0) {
            s.append(", ").append(check.get("notOnThisKernel").getAsLong()).append(" not on this kernel");
        }
        if (check.has("roundTripSaved")) {
            for (Map.Entry<String, JsonElement> t : check.getAsJsonObject("roundTripSaved").entrySet()) {
                JsonObject r = t.getValue().getAsJsonObject();
                int rtt = r.get("rttMillis").getAsInt();
                if (r.has("constantMillis")) {
                    // a fit over the RTT and twice it: its savingRtts is the slope, not the saving at one RTT
                    s.append(String.format(Locale.ROOT, "; %s: %.2f RTT saved per RTT (fit over %d and %d ms)",
                            t.getKey(), r.get("savingRtts").getAsDouble(), rtt, 2 * rtt));
                } else {
                    s.append(String.format(Locale.ROOT, "; %s at %d ms: %.2f RTT saved", t.getKey(), rtt,
                            r.get("savingRtts").getAsDouble()));
                }
            }
        }
        return s.toString();
    }

    /** The whole matrix as Markdown: run folders, the behaviours per kernel, then the saving per kernel. */
    public String markdown() {
        MarkdownTable folders = new MarkdownTable("run folder", "kernel", "where", "functional check (`check`)",
                "fast open blackhole at the start", "jar SHA-256");
        for (Row r : runs) {
            folders.row("`" + r.folder().getFileName() + "`", r.kernel(), where(r.emulation()), r.check(),
                    r.blackhole(), r.jarSha().isEmpty() ? "?" : "`" + r.jarSha().substring(0, 12) + "`");
        }
        StringBuilder md = new StringBuilder(folders.render());
        behaviourTable(md);
        md.append("\nFirst request, median (p50) over all operations of each handshake against cold with the same "
                + "transport, placement and RTT. With an emulated RTT (netem on lo, RTT/2 each way) the saving is "
                + "given in RTTs: the physics says 1 (cold waits two round trips for its answer, fast open one); rows "
                + "outside " + ONE_RTT_BAND + " are marked.\n\n");
        MarkdownTable savings = new MarkdownTable("kernel", "where", "transport", "placement", "rtt", "handshake",
                "cold p50", "fast p50", "saved", "saved in RTTs", "SYN data acked");
        for (Row r : runs) {
            for (Saving s : r.savings()) {
                boolean ms = s.rttMillis() > 0;
                savings.row(s.kernel(), where(r.emulation()), s.transport(), s.placement(),
                        ms ? s.rttMillis() + " ms" : "0 (loopback)", s.handshake(), time(s.coldMedianMicros(), ms),
                        time(s.fastMedianMicros(), ms), time(s.savedMicros(), ms)
                                + String.format(Locale.ROOT, " (%.0f%%)", 100 * s.savedMicros() / s.coldMedianMicros()),
                        ms ? String.format(Locale.ROOT, "%.2f", s.savedRtts()) + outsideMark(s.withinOneRtt())
                                : "n/a",
                        Double.isNaN(s.synDataAcked()) ? "?" : String.format(Locale.ROOT, "%.2f", s.synDataAcked()));
            }
        }
        md.append(savings.render());
        for (Row r : runs) {
            if (r.blackholed()) {
                md.append("\nNo fast open numbers from `").append(r.folder().getFileName()).append("`: when it ran, ")
                        .append("the kernel's blackhole detection had disabled fast open in its namespace ")
                        .append("(environment.json `fastOpenBlackhole`), and the fast open benchmarks refused to run.\n");
            }
        }
        List<Fit> fits = fits();
        if (!fits.isEmpty()) {
            md.append("\nSaving per RTT fitted over the RTTs of each run (least squares of saved ms against RTT): the "
                    + "slope is the round trip fast open saves, the constant what the cold path costs besides (under "
                    + "emulation, milliseconds of CPU for its extra blocking step; microseconds on hardware).\n\n");
            MarkdownTable fitted = new MarkdownTable("kernel", "transport", "placement", "handshake", "RTTs (ms)",
                    "saved per RTT (slope)", "constant");
            for (Fit f : fits) {
                fitted.row(f.kernel(), f.transport(), f.placement(), f.handshake(),
                        f.rtts().stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse(""),
                        String.format(Locale.ROOT, "%.2f", f.savedRttsPerRtt()) + outsideMark(f.withinOneRtt()),
                        String.format(Locale.ROOT, "%.2f ms", f.constantMillis()));
            }
            md.append(fitted.render());
        }
        return md.toString();
    }

    /**
     * Behaviours down, kernels across (one column per run folder whose check ran them), then every cell's evidence:
     * what each kernel did, as {@code check} saw it. A folder whose check ran none (the blackholed run beside a
     * kernel's own: fast open was off there, so every behaviour reads "not run") gets no column.
     */
    private void behaviourTable(StringBuilder md) {
        List<Row> checked = runs.stream()
                .filter(r -> r.behaviours().stream().anyMatch(b -> !b.status().equals("not run"))).toList();
        if (checked.isEmpty()) {
            return;
        }
        List<String> rows = new ArrayList<>();
        for (Row r : checked) {
            for (Behaviour b : r.behaviours()) {
                if (!rows.contains(b.behaviour())) {
                    rows.add(b.behaviour());
                }
            }
        }
        md.append("\nFast open behaviours that differ between kernels, as `check` observed them on each (PASS: there "
                + "and doing what it should; not on this kernel: the kernel predates it; FAIL: there and wrong). "
                + "The evidence of every cell follows the table.\n\n");
        List<String> header = new ArrayList<>(List.of("behaviour"));
        checked.forEach(r -> header.add(r.kernel()));
        MarkdownTable table = new MarkdownTable(header.toArray(String[]::new));
        for (String row : rows) {
            List<String> cells = new ArrayList<>(List.of(row));
            for (Row r : checked) {
                cells.add(r.behaviours().stream().filter(b -> b.behaviour().equals(row)).findFirst()
                        .map(Behaviour::cell).orElse("not checked"));
            }
            table.row(cells);
        }
        md.append(table.render());
        md.append("\n<details><summary>Evidence per behaviour and kernel (from each folder's "
                + "<code>functional-check.json</code>)</summary>\n\n");
        for (String row : rows) {
            md.append("**").append(row).append("**\n\n");
            for (Row r : checked) {
                r.behaviours().stream().filter(b -> b.behaviour().equals(row)).findFirst().ifPresent(b ->
                        md.append("- ").append(r.kernel()).append(": ").append(b.cell().replace("**", ""))
                                .append(". ").append(b.evidence()).append('\n'));
            }
            md.append('\n');
        }
        md.append("</details>\n");
    }

    private static String outsideMark(boolean withinOneRtt) {
        return withinOneRtt ? "" : " **outside " + ONE_RTT_BAND + "**";
    }

    private static String where(String emulation) {
        return emulation.equals("none") ? "host (measured)" : "emulated (" + emulation + ")";
    }

    private static String time(double micros, boolean millis) {
        return millis ? String.format(Locale.ROOT, "%.2f ms", micros / 1000)
                : String.format(Locale.ROOT, "%.1f us", micros);
    }

    private static JsonElement read(Path file) throws IOException {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return runs.stream().map(r -> Objects.toString(r.folder())).toList().toString();
    }
}
