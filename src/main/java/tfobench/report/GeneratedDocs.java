package tfobench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Figures about committed runs in Markdown documents, written from the run folders and never by hand. A document
 * marks what is generated with HTML comments (invisible once rendered); the {@code report --docs} tool rewrites the
 * marked parts from the folders they name, and a test fails when a document differs from what its folders give.
 *
 * <p>A block (whole tables):
 * <pre>
 * &lt;!-- generated: savings ../bench-results/2026-...-reference --&gt;
 * (the table)
 * &lt;!-- end generated --&gt;
 * </pre>
 * A figure inside a sentence: {@code <!-- figure: p50 ../bench-results/... tfo@native/same-cpu -->21.3 us<!-- end
 * figure -->}. Folders are relative to the document, like its links. The kinds are listed in
 * {@link #block} and {@link #figure}; docs/RESULTS-METHOD.md describes them for writers.
 */
public final class GeneratedDocs {
    static final Pattern BLOCK = Pattern.compile("<!-- generated: ([^>]*?) -->\\n(.*?)<!-- end generated -->",
            Pattern.DOTALL);
    static final Pattern FIGURE = Pattern.compile("<!-- figure: ([^>]*?) -->(.*?)<!-- end figure -->");
    /** Marks the next paragraph as holding figures that are not from a run folder, with the reason. */
    static final Pattern NOT_FROM_RUN = Pattern.compile("<!-- not-from-run: [^>]+ -->");
    /** A run folder's name as the launcher makes them. */
    static final Pattern RUN_FOLDER = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d{6}Z-[A-Za-z0-9._-]+");
    /**
     * What counts as a measured figure in prose: a number with a decimal point, a thousands separator or a percent
     * sign, or one followed by a time unit or RTT, e.g. {@code 25.62 ms}, {@code 24,969 us}, {@code 13%},
     * {@code 1.15 RTT}. Whole numbers with a unit and nothing else ({@code 10 ms}, {@code 2 s}) read as settings.
     */
    static final Pattern MEASURED = Pattern.compile(
            "(?<![\\w.])\\d{1,3}(,\\d{3})+(\\.\\d+)?(?![\\w.])|(?<![\\w.])\\d+\\.\\d+\\s?(us|µs|ms|s|x|RTTs?)\\b"
                    + "|(?<![\\w.])\\d+(\\.\\d+)?\\s?%");

    /** A table cell of decimals alone ({@code 24.7}, {@code -0.576}, {@code 24.7 / 51.9}). */
    private static final Pattern DECIMAL_CELL = Pattern.compile("-?\\d+\\.\\d+( / -?\\d+(\\.\\d+)?)*");

    private final Map<Path, Run> runs = new HashMap<>();
    private final Map<Path, KernelMatrix> matrices = new HashMap<>();

    /** The document with every block and figure written from its folders. */
    public String regenerate(String text, Path base) throws IOException {
        StringBuilder out = new StringBuilder();
        Matcher m = BLOCK.matcher(text);
        int last = 0;
        while (m.find()) {
            out.append(text, last, m.start());
            out.append("<!-- generated: ").append(m.group(1)).append(" -->\n\n")
                    .append(block(m.group(1), base).stripTrailing()).append("\n\n<!-- end generated -->");
            last = m.end();
        }
        out.append(text.substring(last));
        String withBlocks = out.toString();
        StringBuilder result = new StringBuilder();
        Matcher f = FIGURE.matcher(withBlocks);
        last = 0;
        while (f.find()) {
            result.append(withBlocks, last, f.start());
            result.append("<!-- figure: ").append(f.group(1)).append(" -->").append(figure(f.group(1), base))
                    .append("<!-- end figure -->");
            last = f.end();
        }
        result.append(withBlocks.substring(last));
        return result.toString();
    }

    /** Rewrites a document in place; returns true when something changed. */
    public boolean update(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String fresh = regenerate(text, base(file));
        if (fresh.equals(text)) {
            return false;
        }
        Files.writeString(file, fresh, StandardCharsets.UTF_8);
        return true;
    }

    /**
     * Where a document differs from what its run folders give: one line per generated part that would change,
     * naming the line and the part. Empty when every figure is what the folders say.
     */
    public List<String> differences(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String fresh = regenerate(text, base(file));
        List<String> out = new ArrayList<>();
        if (fresh.equals(text)) {
            return out;
        }
        String[] a = text.split("\n", -1);
        String[] b = fresh.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String was = i < a.length ? a[i] : "";
            String is = i < b.length ? b[i] : "";
            if (!was.equals(is)) {
                int from = Math.max(0, commonPrefix(was, is) - 30);
                out.add(file + ":" + (i + 1) + ": says `" + excerpt(was, from) + "`, the run folders give `"
                        + excerpt(is, from) + "`");
                if (out.size() == 10 || a.length != b.length) {
                    break; // a longer or shorter block shifts every later line: the first lines say enough
                }
            }
        }
        return out;
    }

    /**
     * Figures typed by hand where a document cites a committed run: in every section (heading to heading) that
     * names a run folder, each measured-looking figure ({@link #MEASURED}) outside generated parts, code, links and
     * paragraphs marked {@code <!-- not-from-run: reason -->}. Each is one line naming the file and line.
     */
    public static List<String> handTypedFigures(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> original = Arrays.asList(text.split("\n", -1));
        List<String> lines = Arrays.asList(blankGenerated(text).split("\n", -1));
        List<String> out = new ArrayList<>();
        int sectionStart = 0;
        for (int i = 0; i <= lines.size(); i++) {
            if (i == lines.size() || (lines.get(i).startsWith("#") && i > sectionStart)) {
                checkSection(file, original, lines, sectionStart, i, out);
                sectionStart = i;
            }
        }
        return out;
    }

    /**
     * @param original the document's lines, generated parts included (they cite their folders too)
     * @param lines    the same lines with generated parts blanked: what was typed by hand
     */
    private static void checkSection(Path file, List<String> original, List<String> lines, int from, int to,
                                     List<String> out) {
        boolean cites = false;
        for (int i = from; i < to; i++) {
            if (RUN_FOLDER.matcher(original.get(i)).find()) {
                cites = true;
                break;
            }
        }
        if (!cites) {
            return;
        }
        boolean exempt = false;
        boolean fenced = false;
        for (int i = from; i < to; i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            if (line.isBlank()) {
                exempt = false;
                continue;
            }
            if (NOT_FROM_RUN.matcher(line).find()) {
                exempt = true;
            }
            if (exempt) {
                continue;
            }
            Matcher m = MEASURED.matcher(prose(line));
            String typed = m.find() ? m.group().trim() : measuredCell(line);
            if (typed != null) {
                out.add(file + ":" + (i + 1) + ": '" + typed + "' is typed by hand in a section citing a "
                        + "run folder: generate it (<!-- figure: ... -->) or mark the paragraph "
                        + "<!-- not-from-run: why -->");
            }
        }
    }

    /**
     * A table cell that is nothing but decimals, e.g. {@code 24.7} or {@code 24.7 / 51.9}: a table of results typed
     * by hand, whose unit is in its header. Null when the line is no table row or has no such cell.
     */
    private static String measuredCell(String line) {
        if (!line.startsWith("|")) {
            return null;
        }
        for (String cell : prose(line).split("\\|")) {
            if (DECIMAL_CELL.matcher(cell.trim()).matches()) {
                return cell.trim();
            }
        }
        return null;
    }

    /** The line without code spans, link targets, HTML comments and run folder names: what a reader reads as prose. */
    private static String prose(String line) {
        return RUN_FOLDER.matcher(line.replaceAll("`[^`]*`", " ").replaceAll("\\]\\([^)]*\\)", "] ")
                .replaceAll("<!--.*?-->", " ")).replaceAll(" ");
    }

    /** The text with the content of generated blocks and figures blanked, line structure kept. */
    private static String blankGenerated(String text) {
        StringBuilder out = new StringBuilder();
        Matcher m = BLOCK.matcher(text);
        int last = 0;
        while (m.find()) {
            out.append(text, last, m.start());
            out.append(m.group().replaceAll("[^\\n]", ""));
            last = m.end();
        }
        out.append(text.substring(last));
        return FIGURE.matcher(out.toString()).replaceAll(" ");
    }

    /** A generated block's text. */
    String block(String spec, Path base) throws IOException {
        String[] args = spec.trim().split("\\s+");
        String kind = args[0];
        switch (kind) {
            case "results":
                return HeadlineTable.render(run(base, args, 1));
            case "savings":
                return nonEmpty(SavingsTable.render(run(base, args, 1)), "No cold result in this run.\n");
            case "retransmissions":
                return RetransmissionTable.render(List.of(run(base, args, 1)));
            case "evidence":
                return EvidenceTable.render(List.of(run(base, args, 1)));
            case "sampled":
                return SampledPercentilesTable.render(List.of(run(base, args, 1)));
            case "compare": {
                List<Run> compared = new ArrayList<>();
                for (int i = 1; i < args.length; i++) {
                    compared.add(run(base, args, i));
                }
                return new ComparisonReport(compared).resultTables(false);
            }
            case "kernel-matrix":
                return matrix(base, args).markdown();
            case "load":
                return LoadSweepReport.pointsTable(folder(base, args, 1));
            case "calibration":
                return nonEmpty(CalibrationSection.table(run(base, args, 1)), "No C calibration in this run.\n");
            default:
                throw new RunFolderException("unknown generated block '" + kind + "' (results, savings, "
                        + "retransmissions, evidence, sampled, compare, kernel-matrix, load, calibration)");
        }
    }

    /** A generated figure's text. */
    String figure(String spec, Path base) throws IOException {
        String[] args = spec.trim().split("\\s+");
        String kind = args[0];
        boolean millis = args[args.length - 1].equals("ms");
        switch (kind) {
            case "p50":
            case "p90":
            case "p99":
            case "p99.9":
                return time(result(base, args).latency().percentileMicros(Double.parseDouble(kind.substring(1))),
                        millis);
            case "max":
                return time(result(base, args).latency().maxMicros(), millis);
            case "saving": {
                BenchmarkResult from = result(base, args);
                BenchmarkResult to = find(run(base, args, 1), args, 3);
                return time(from.latency().percentileMicros(50) - to.latency().percentileMicros(50), millis);
            }
            case "saving-percent": {
                BenchmarkResult from = result(base, args);
                BenchmarkResult to = find(run(base, args, 1), args, 3);
                double cold = from.latency().percentileMicros(50);
                return Numbers.percent((cold - to.latency().percentileMicros(50)) / cold);
            }
            case "fork-medians": {
                StringBuilder list = new StringBuilder();
                for (double median : result(base, args).latency().forkMediansMicros()) {
                    list.append(list.length() == 0 ? "" : ", ").append(Numbers.micros(median));
                }
                return list + " us";
            }
            case "ops":
                return Numbers.count(result(base, args).latency().totalCount());
            case "forks":
                return String.valueOf(result(base, args).latency().forkCount());
            case "retransmitted":
                return RetransmittedOperations.of(result(base, args)).label();
            case "sampled-p99":
                return time(result(base, args).jmhPercentileMicros(99.0), millis);
            case "sampled-ratio": {
                BenchmarkResult r = result(base, args);
                return Numbers.ratio(r.jmhPercentileMicros(99.0) / r.latency().percentileMicros(99));
            }
            case "counter": {
                Long value = run(base, args, 1).runCounters().get(args[2]);
                if (value == null) {
                    throw new RunFolderException(folder(base, args, 1) + " has no counter " + args[2]);
                }
                return Numbers.count(value);
            }
            case "rtt-saving":
                return String.format(Locale.ROOT, "%.2f", rttSaving(base, args).savedRtts());
            case "rtt-slope":
                return String.format(Locale.ROOT, "%.2f", rttFit(base, args).savedRttsPerRtt());
            case "rtt-constant":
                return String.format(Locale.ROOT, "%.2f ms", rttFit(base, args).constantMillis());
            default:
                throw new RunFolderException("unknown figure '" + kind + "' (p50, p90, p99, p99.9, max, saving, "
                        + "saving-percent, fork-medians, ops, forks, retransmitted, sampled-p99, sampled-ratio, "
                        + "counter, rtt-saving, rtt-slope, rtt-constant)");
        }
    }

    private KernelMatrix.Saving rttSaving(Path base, String[] args) throws IOException {
        Selector s = Selector.parse(args[2]);
        for (KernelMatrix.Saving saving : matrix(base, new String[] {"kernel-matrix", args[1]}).savings()) {
            if (s.matches(saving.handshake(), saving.transport() + " " + saving.placement()
                    + (saving.rttMillis() > 0 ? " rtt=" + saving.rttMillis() : ""))) {
                return saving;
            }
        }
        throw new RunFolderException(folder(base, args, 1) + " has no kernel-matrix saving for " + args[2]);
    }

    private KernelMatrix.Fit rttFit(Path base, String[] args) throws IOException {
        Selector s = Selector.parse(args[2]);
        for (KernelMatrix.Fit fit : matrix(base, new String[] {"kernel-matrix", args[1]}).fits()) {
            if (s.matches(fit.handshake(), fit.transport() + " " + fit.placement())) {
                return fit;
            }
        }
        throw new RunFolderException(folder(base, args, 1) + " has no fit over several RTTs for " + args[2]);
    }

    private static String time(double micros, boolean millis) {
        if (Double.isNaN(micros)) {
            return Numbers.MISSING;
        }
        return millis ? String.format(Locale.ROOT, "%.2f ms", micros / 1000) : Numbers.micros(micros) + " us";
    }

    private static String nonEmpty(String text, String otherwise) {
        return text.isEmpty() ? otherwise : text;
    }

    private BenchmarkResult result(Path base, String[] args) throws IOException {
        if (args.length < 3) {
            throw new RunFolderException("figure '" + String.join(" ", args) + "' needs a run folder and a result "
                    + "(scenario@setting, e.g. tfo@native/same-cpu)");
        }
        return find(run(base, args, 1), args, 2);
    }

    private static BenchmarkResult find(Run run, String[] args, int index) throws RunFolderException {
        if (index >= args.length) {
            throw new RunFolderException("'" + String.join(" ", args) + "' names too few results");
        }
        Selector s = Selector.parse(args[index]);
        for (BenchmarkResult r : run.results()) {
            Scenario scenario = Scenario.of(r.id());
            if (s.matches(scenario.name(), scenario.setting())) {
                return r;
            }
        }
        throw new RunFolderException(run.dir() + " has no result " + args[index]);
    }

    private Run run(Path base, String[] args, int index) throws IOException {
        Path dir = folder(base, args, index);
        Run cached = runs.get(dir);
        if (cached == null) {
            cached = RunReader.read(dir);
            runs.put(dir, cached);
        }
        return cached;
    }

    private KernelMatrix matrix(Path base, String[] args) throws IOException {
        Path key = Path.of(String.join("|", Arrays.asList(args).subList(1, args.length)));
        KernelMatrix cached = matrices.get(base.resolve(key));
        if (cached == null) {
            cached = new KernelMatrix();
            for (int i = 1; i < args.length; i++) {
                cached.add(folder(base, args, i));
            }
            matrices.put(base.resolve(key), cached);
        }
        return cached;
    }

    private static Path folder(Path base, String[] args, int index) throws RunFolderException {
        if (index >= args.length) {
            throw new RunFolderException("'" + String.join(" ", args) + "' names no run folder");
        }
        return base.resolve(args[index]).normalize();
    }

    private static Path base(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    /** Up to 90 characters of a line from {@code from}, with {@code ...} where it is cut. */
    private static String excerpt(String line, int from) {
        int start = Math.min(from, line.length());
        int end = Math.min(line.length(), start + 90);
        return (start > 0 ? "..." : "") + line.substring(start, end) + (end < line.length() ? "..." : "");
    }

    private static int commonPrefix(String a, String b) {
        int n = 0;
        while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
            n++;
        }
        return n;
    }

    /** {@code scenario@setting} with the setting's words joined by {@code /}: {@code tfo@native/same-cpu/rtt=10}. */
    private record Selector(String scenario, String setting) {
        static Selector parse(String text) {
            int at = text.indexOf('@');
            return at < 0 ? new Selector(text, "") : new Selector(text.substring(0, at),
                    text.substring(at + 1).replace('/', ' '));
        }

        boolean matches(String name, String settingWords) {
            return scenario.equals(name) && setting.equals(settingWords);
        }
    }
}
