package tfobench.cli;

import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import tfobench.report.ComparisonJson;
import tfobench.report.ComparisonReport;
import tfobench.report.Run;
import tfobench.report.RunReader;
import tfobench.report.Verdict;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code compare [--output FILE] [--json] [--fail-on-slower PERCENT] RUN_DIR RUN_DIR...}: compares run folders
 * benchmark by benchmark against the first and prints the Markdown (see {@link ComparisonReport}), or with
 * {@code --json} the same comparison for machines ({@link ComparisonJson}). A folder that is not a readable run is
 * one line on stderr and exit status 1.
 *
 * <p>{@code --fail-on-slower PERCENT} makes it a gate for CI: exit status {@value #SLOWER_EXIT} when any result
 * present in every run is slower than run 1's by the comparison table's own test (verdict {@code slower}) and its
 * ratio of medians exceeds 1 + PERCENT/100; each such result is one line on stderr. Results the table cannot test
 * (too few iterations, a fast open claim its evidence does not back) never fail the gate; they are counted on stderr.
 */
final class CompareTool implements Main.Tool {
    /** Exit status when {@code --fail-on-slower} found a slower result (1 and 2 are bad input and bad usage). */
    static final int SLOWER_EXIT = 3;

    @Override
    public String synopsis() {
        return "compare [--output FILE] [--json] [--fail-on-slower PERCENT] RUN_DIR RUN_DIR...";
    }

    @Override
    public String summary() {
        return "compares run folders against the first: p50/p99, ratio with 95% bootstrap CI, Mann-Whitney U verdict, "
                + "TFO evidence";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        OptionParser parser = Options.parser();
        OptionSpec<String> output = parser.accepts("output", "write the Markdown (or JSON) to FILE instead of stdout")
                .withRequiredArg().describedAs("FILE");
        OptionSpec<Void> json = parser.accepts("json", "print the comparison as JSON instead of Markdown");
        OptionSpec<String> failOnSlower = parser.accepts("fail-on-slower", "exit with status " + SLOWER_EXIT
                + " when any result in every run is significantly slower than run 1's (verdict 'slower') by more "
                + "than PERCENT (each listed on stderr; 1: a folder is not a readable run, 2: bad usage)")
                .withRequiredArg().describedAs("PERCENT");
        Optional<OptionSet> parsed = Options.parse(this, parser, args, out);
        if (parsed.isEmpty()) {
            return 0;
        }
        OptionSet options = parsed.get();
        Double threshold = null;
        if (options.has(failOnSlower)) {
            threshold = percent(options.valueOf(failOnSlower));
        }
        List<?> dirs = options.nonOptionArguments();
        if (dirs.size() < 2) {
            throw new UsageException("expected two or more run folders, got " + dirs.size()
                    + " (report describes a single run; try --help)");
        }
        List<Run> runs = new ArrayList<>();
        for (Object dir : dirs) {
            runs.add(RunReader.read(Path.of((String) dir)));
        }
        ComparisonReport report = new ComparisonReport(runs);
        String text = options.has(json) ? ComparisonJson.render(report, threshold) : report.render();
        if (options.has(output)) {
            Path file = Path.of(options.valueOf(output));
            Files.writeString(file, text, StandardCharsets.UTF_8);
            out.println("compare: wrote " + file);
        } else {
            out.print(text);
        }
        if (threshold == null) {
            return 0;
        }
        return gate(report, threshold, err);
    }

    /** One stderr line per result slower than the threshold, and a last line saying what was found. */
    static int gate(ComparisonReport report, double percent, PrintStream err) {
        List<ComparisonReport.Comparison> all = report.comparisons();
        List<ComparisonReport.Comparison> slower = all.stream().filter(c -> c.slowerByMoreThan(percent)).toList();
        long untested = all.stream().filter(c -> c.verdict() == Verdict.NOT_TESTED).count();
        for (ComparisonReport.Comparison c : slower) {
            err.printf(Locale.ROOT, "compare: SLOWER by %.1f%% (more than %s%%): %s in %s (ratio %.3f, Holm p %s)%n",
                    (c.ratio() - 1) * 100, format(percent), c.id(), report.runs().get(c.run()).name(),
                    c.ratio(), formatP(c.holmP()));
        }
        err.println("compare: " + slower.size() + " of " + all.size() + " result(s) slower by more than "
                + format(percent) + "%" + (untested > 0 ? "; " + untested + " could not be tested (see the table)"
                : ""));
        return slower.isEmpty() ? 0 : SLOWER_EXIT;
    }

    private static double percent(String value) throws UsageException {
        try {
            double p = Double.parseDouble(value);
            if (p >= 0 && p < 1000 && !Double.isNaN(p)) {
                return p;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new UsageException("--fail-on-slower takes a percentage from 0 to 1000 (e.g. 5), got '" + value + "'");
    }

    private static String format(double percent) {
        return percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent);
    }

    private static String formatP(double p) {
        return String.format(Locale.ROOT, p < 0.001 ? "%.1e" : "%.3f", p);
    }
}
