package tfobench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code compare}'s Markdown: the runs, how their environments differ, one table per benchmark with every
 * parameter set present in all runs (median and p99 per run, ratio to run 1 with a confidence interval, the
 * Mann-Whitney p and a verdict), the benchmarks only some runs have, and per run what TFO and keep-alive save
 * against cold.
 */
public final class ComparisonReport {
    static final String METHOD = "p50 and p99: microseconds over every measured operation, from the run folder's "
            + "`.hlog` interval logs (JMH's own samples where a result has none: see `data`). "
            + "Ratio: median of the run's per-iteration medians over run 1's (one median per measured iteration of "
            + "every fork); 95% CI: percentile bootstrap, " + String.format(Locale.ROOT, "%,d", MedianRatioBootstrap.RESAMPLES)
            + " resamples of each run's per-iteration medians, seeded. "
            + "p: two-sided Mann-Whitney U test on the same per-iteration medians (commons-math3, normal "
            + "approximation). Verdict: `faster` or `slower` when p < " + IterationComparison.ALPHA
            + " and the CI excludes 1; `~` otherwise (within noise); `n/a` with fewer than "
            + IterationComparison.MIN_ITERATIONS + " iterations. A tfo or tfo-connect result whose SYN data was not "
            + "always acknowledged (`tfo.synDataAcked` < 1 or `tfo.fallback` > 0) is marked FALLBACK (NO EVIDENCE "
            + "without the metrics) and gets no ratio or verdict: it did not measure TCP Fast Open.";

    private final List<Run> runs;

    public ComparisonReport(List<Run> runs) {
        if (runs.size() < 2) {
            throw new IllegalArgumentException("a comparison needs two or more runs");
        }
        this.runs = List.copyOf(runs);
    }

    public String render() {
        StringBuilder out = new StringBuilder("# tfo-bench comparison\n\n");
        out.append(runLegend()).append('\n');
        out.append("## Environment\n\n").append(environment()).append('\n');
        out.append("## Results\n\n").append(METHOD).append("\n\n");
        Map<String, List<BenchmarkId>> common = new LinkedHashMap<>();
        List<BenchmarkId> partial = new ArrayList<>();
        for (BenchmarkId id : allIds()) {
            if (runs.stream().allMatch(r -> r.result(id).isPresent())) {
                common.computeIfAbsent(id.shortName(), k -> new ArrayList<>()).add(id);
            } else {
                partial.add(id);
            }
        }
        if (common.isEmpty()) {
            out.append("No benchmark with the same parameters is in every run: nothing to compare.\n\n");
        }
        common.forEach((benchmark, ids) -> out.append("### ").append(benchmark).append("\n\n")
                .append(resultsTable(ids)).append('\n'));
        if (!partial.isEmpty()) {
            out.append("## Only in some runs\n\nNot compared: these benchmark and parameter sets are missing from at "
                    + "least one run.\n\n").append(partialTable(partial)).append('\n');
        }
        out.append(CpuCostTable.comparison(runs));
        out.append("## TFO and keep-alive against cold, per run\n\n")
                .append("Saving = cold p50 - p50, and as a percentage of cold p50; the verdict compares the "
                        + "per-iteration medians of the two results within the run, as above.\n\n");
        for (int i = 0; i < runs.size(); i++) {
            String savings = SavingsTable.render(runs.get(i));
            out.append("### run ").append(i + 1).append(": ").append(runs.get(i).name()).append("\n\n")
                    .append(savings.isEmpty() ? "No cold result in this run.\n" : savings).append('\n');
        }
        return out.toString();
    }

    private String runLegend() {
        MarkdownTable table = new MarkdownTable("run", "folder", "kernel", "captured at", "results");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            table.row(String.valueOf(i + 1) + (i == 0 ? " (reference)" : ""), r.dir().toString(),
                    r.environment().kernelRelease(), r.environment().capturedAt(),
                    String.valueOf(r.results().size()));
        }
        return table.render();
    }

    private String environment() {
        EnvironmentTable env = new EnvironmentTable(runs);
        StringBuilder out = new StringBuilder();
        List<String> differences = env.differences();
        if (differences.isEmpty()) {
            out.append("The runs' environments agree in every compared fact.\n\n");
        } else {
            out.append("> **The runs differ in: ").append(String.join(", ", differences)).append(".** ")
                    .append("Ratios mix those differences with the one you are after.\n\n");
        }
        for (Run r : runs) {
            if (r.environment().emulation() != null) {
                out.append("> **").append(r.name()).append(" ran emulated (").append(r.environment().emulation())
                        .append("):** compare its millisecond effects only.\n\n");
            }
        }
        for (Run r : env.withoutEnvironment()) {
            out.append("> **").append(r.name()).append(" has no environment.json:** its environment is unknown.\n\n");
        }
        return out.append(env.render()).toString();
    }

    private Set<BenchmarkId> allIds() {
        Set<BenchmarkId> ids = new LinkedHashSet<>();
        runs.forEach(r -> r.results().forEach(res -> ids.add(res.id().comparable())));
        return ids;
    }

    private String resultsTable(List<BenchmarkId> ids) {
        MarkdownTable table = new MarkdownTable("params", "run", "p50 us", "p99 us", "iterations", "TFO check",
                "ratio to run 1 [95% CI]", "p", "verdict", "data");
        for (BenchmarkId id : ids) {
            BenchmarkResult reference = runs.get(0).result(id).orElseThrow();
            for (int i = 0; i < runs.size(); i++) {
                BenchmarkResult r = runs.get(i).result(id).orElseThrow();
                LatencyData latency = r.latency();
                List<String> row = new ArrayList<>(List.of(id.paramsLabel().isEmpty() ? "(none)" : id.paramsLabel(),
                        String.valueOf(i + 1),
                        latency.isEmpty() ? Numbers.MISSING : Numbers.micros(latency.percentileMicros(50)),
                        latency.isEmpty() ? Numbers.MISSING : Numbers.micros(latency.percentileMicros(99)),
                        String.valueOf(latency.iterationCount()), SynAckRace.checkCell(r)));
                if (i == 0) {
                    row.addAll(List.of(r.fastOpenCheck().comparable() ? "1 (reference)"
                            : Numbers.MISSING + " (" + r.fastOpenCheck().label() + ")", "", ""));
                } else {
                    Comparison c = compare(id, i, reference, r);
                    row.addAll(c.test() == null ? List.of(Numbers.MISSING + " (" + c.untested() + ")", "", "")
                            : List.of(Numbers.ratioWithInterval(c.test()), Numbers.pValue(c.test().pValue()),
                                    c.test().verdict().label()));
                }
                row.add(latency.source().label());
                table.row(row);
            }
        }
        List<BenchmarkResult> shown = new ArrayList<>();
        ids.forEach(id -> runs.forEach(run -> shown.add(run.result(id).orElseThrow())));
        return table.render() + SynAckRace.note(shown);
    }

    /**
     * One result of a later run against the same result of run 1, by the results table's own test: what
     * {@code compare} shows in its ratio, p and verdict columns.
     *
     * @param run      index of the run (1 = the second folder; 0, the reference, is never compared)
     * @param test     the comparison, or null when the result cannot be compared
     * @param untested why not, when {@code test} is null (a fast open claim without evidence, no latency data)
     */
    public record Comparison(BenchmarkId id, int run, BenchmarkResult reference, BenchmarkResult result,
                             IterationComparison test, String untested) {
        /** The table's verdict: {@code n/a} when untested. */
        public Verdict verdict() {
            return test == null ? Verdict.NOT_TESTED : test.verdict();
        }

        /** Slower by the table's test (significantly) and by more than {@code percent} percent (ratio of medians). */
        public boolean slowerByMoreThan(double percent) {
            return verdict() == Verdict.SLOWER && (test.ratio() - 1) * 100 > percent;
        }
    }

    /** Every result in all runs, each later run's against run 1's, in table order. */
    public List<Comparison> comparisons() {
        List<Comparison> out = new ArrayList<>();
        for (BenchmarkId id : allIds()) {
            if (runs.stream().allMatch(r -> r.result(id).isPresent())) {
                BenchmarkResult reference = runs.get(0).result(id).orElseThrow();
                for (int i = 1; i < runs.size(); i++) {
                    out.add(compare(id, i, reference, runs.get(i).result(id).orElseThrow()));
                }
            }
        }
        return out;
    }

    public List<Run> runs() {
        return runs;
    }

    /** Ratio, p and verdict of one result against run 1's, or why there are none. */
    private static Comparison compare(BenchmarkId id, int run, BenchmarkResult reference, BenchmarkResult r) {
        if (!reference.fastOpenCheck().comparable()) {
            return new Comparison(id, run, reference, r, null, "run 1 " + reference.fastOpenCheck().label());
        }
        if (!r.fastOpenCheck().comparable()) {
            return new Comparison(id, run, reference, r, null, r.fastOpenCheck().label());
        }
        if (reference.latency().isEmpty() || r.latency().isEmpty()) {
            return new Comparison(id, run, reference, r, null, "no latency data");
        }
        IterationComparison c = IterationComparison.of(reference.latency().iterationMediansMicros(),
                r.latency().iterationMediansMicros());
        return new Comparison(id, run, reference, r, c, null);
    }

    private String partialTable(List<BenchmarkId> ids) {
        MarkdownTable table = new MarkdownTable("benchmark", "params", "in runs", "missing from runs");
        for (BenchmarkId id : ids) {
            List<String> in = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                Optional<BenchmarkResult> r = runs.get(i).result(id);
                (r.isPresent() ? in : missing).add(String.valueOf(i + 1));
            }
            table.row(id.shortName(), id.paramsLabel(), String.join(", ", in), String.join(", ", missing));
        }
        return table.render();
    }
}
