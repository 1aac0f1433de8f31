package tfobench.cli;

import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import tfobench.report.BenchmarkActionJson;
import tfobench.report.GeneratedDocs;
import tfobench.report.LoadSweepReport;
import tfobench.report.Run;
import tfobench.report.RunReader;
import tfobench.report.SummaryReport;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code report [--output DIR] [--benchmark-action FILE] RUN_DIR...}: writes {@code summary.md} and plots (PNG and
 * SVG). Without {@code --output}, each run folder gets its own report; with it, one report over all the runs (lines
 * per run in the plots) goes into DIR. {@code --benchmark-action FILE} also writes one run's medians for
 * github-action-benchmark ({@link BenchmarkActionJson}). {@code report --docs [--check] FILE.md...}: the generated
 * figures of Markdown documents ({@link GeneratedDocs}).
 */
final class ReportTool implements Main.Tool {

    @Override
    public String synopsis() {
        return "report [--output DIR] [--benchmark-action FILE] RUN_DIR... | report --docs [--check] FILE.md...";
    }

    @Override
    public String summary() {
        return "writes summary.md (environment, results, savings, evidence) and latency plots (PNG, SVG) for run "
                + "folders; with --docs, the figures about committed runs in Markdown documents";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        OptionParser parser = Options.parser();
        OptionSpec<String> output = parser.accepts("output",
                "write one report over all the runs into DIR (default: each run folder gets its own)")
                .withRequiredArg().describedAs("DIR");
        OptionSpec<Void> docs = parser.accepts("docs", "the arguments are Markdown files: rewrite their generated "
                + "blocks and figures from the run folders they name (see docs/RESULTS-METHOD.md)");
        OptionSpec<Void> check = parser.accepts("check", "with --docs: change nothing, list every generated part "
                + "that differs from its run folder and every hand-typed figure citing a run; exit 1 if any")
                .availableIf(docs);
        OptionSpec<String> benchmarkAction = parser.accepts("benchmark-action", "also write the run's all-operation "
                + "medians as github-action-benchmark's customSmallerIsBetter JSON (one run folder only)")
                .withRequiredArg().describedAs("FILE");
        Optional<OptionSet> parsed = Options.parse(this, parser, args, out);
        if (parsed.isEmpty()) {
            return 0;
        }
        OptionSet options = parsed.get();
        if (options.has(docs)) {
            return docs(options.nonOptionArguments(), options.has(check), out, err);
        }
        List<?> dirs = options.nonOptionArguments();
        if (dirs.isEmpty()) {
            throw new UsageException("expected one or more run folders (try --help)");
        }
        System.setProperty("java.awt.headless", "true"); // plots are drawn off screen, also where there is a display
        List<Run> runs = new ArrayList<>();
        for (Object dir : dirs) {
            Path path = Path.of((String) dir);
            if (LoadSweepReport.isLoadRun(path)) { // an open-loop run (the load tool) has its own report
                LoadSweepReport.write(path);
                out.println("report: wrote " + path.resolve(SummaryReport.FILE) + " and its plot");
                continue;
            }
            runs.add(RunReader.read(path));
        }
        if (runs.isEmpty()) {
            return 0;
        }
        if (options.has(benchmarkAction)) {
            if (runs.size() != 1) {
                throw new UsageException("--benchmark-action takes one run folder, got " + runs.size());
            }
            BenchmarkActionJson.Output json = BenchmarkActionJson.render(runs.get(0));
            Path file = Path.of(options.valueOf(benchmarkAction));
            Files.writeString(file, json.json(), StandardCharsets.UTF_8);
            out.println("report: wrote " + file + (json.leftOut().isEmpty() ? ""
                    : " (left out, their numbers are not what they claim: " + String.join("; ", json.leftOut()) + ")"));
        }
        List<String> problems = new ArrayList<>();
        if (options.has(output)) {
            Path dir = Path.of(options.valueOf(output));
            SummaryReport report = new SummaryReport(runs);
            report.write(dir);
            problems.addAll(report.problems());
            out.println("report: wrote " + dir.resolve(SummaryReport.FILE) + " and its plots");
        } else {
            for (Run run : runs) {
                SummaryReport report = new SummaryReport(List.of(run));
                report.write(run.dir());
                problems.addAll(report.problems());
                out.println("report: wrote " + run.dir().resolve(SummaryReport.FILE) + " and its plots");
            }
        }
        for (String p : problems) {
            err.println("report: ERROR: packets contradict the evidence: " + p);
        }
        return problems.isEmpty() ? 0 : 1;
    }

    private static int docs(List<?> files, boolean check, PrintStream out, PrintStream err) throws Exception {
        if (files.isEmpty()) {
            throw new UsageException("--docs expects one or more Markdown files (try --help)");
        }
        GeneratedDocs generated = new GeneratedDocs();
        int problems = 0;
        for (Object f : files) {
            Path file = Path.of((String) f);
            if (!Files.isRegularFile(file)) {
                throw new UsageException("not a file: " + file);
            }
            if (check) {
                List<String> found = new ArrayList<>(generated.differences(file));
                found.addAll(GeneratedDocs.handTypedFigures(file));
                found.forEach(err::println);
                problems += found.size();
            } else {
                out.println("report: " + file + (generated.update(file) ? ": regenerated from its run folders"
                        : ": already what its run folders give"));
            }
        }
        if (check) {
            out.println("report: " + (problems == 0 ? "every figure is what its run folder gives"
                    : problems + " figure(s) differ from their run folders or are typed by hand"));
        }
        return problems == 0 ? 0 : 1;
    }
}
