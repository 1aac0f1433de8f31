package tfobench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code compare}'s Markdown: the runs, how their environments differ, one table per benchmark with every
 * parameter set present in all runs (median and p99 over all operations per run, retransmitted operations, the ratio
 * of fork medians to run 1 with its exact interval, the exact p, Holm's adjustment over the table and a verdict), the
 * benchmarks only some runs have, and per run what TFO and keep-alive save against cold, the saving taken apart.
 */
public final class ComparisonReport {
    static final String METHOD = "p50 and p99: microseconds over every measured operation of every fork, timed over "
            + "the exchange window (from the run folder's `.hlog` logs; `data` says `jmh samples` where a result has "
            + "none, e.g. `Baseline`: JMH's sampled percentiles of the whole benchmark method). `forks`: the "
            + "replicates of the test. `retransmitted`: operations whose connection saw a retransmission, and their "
            + "share of the operations beyond p99.9. Ratio: Hodges-Lehmann estimate of this run's fork medians over "
            + "run 1's (one median over all operations per fork), with its exact 95% interval (its own, not widened "
            + "for the table; `unbounded` when the fork counts cannot reach 95%). p: exact two-sided "
            + "Wilcoxon-Mann-Whitney test on the fork medians; "
            + "Holm p: adjusted over every comparison in the table. Verdict: `faster` or `slower` when Holm p < "
            + ForkComparison.ALPHA + "; `~` otherwise (within the fork-to-fork noise); `n/a (too few forks)` when "
            + "even the most extreme data these fork counts allow could not have earned a verdict in this table "
            + "(one fork a side never can; see docs/RESULTS-METHOD.md for the forks a verdict needs). A tfo or "
            + "tfo-connect result whose SYN data was not always acknowledged (`tfo.synDataAcked` < 1 or "
            + "`tfo.fallback` > 0) is marked FALLBACK (NO EVIDENCE without the metrics) and gets no ratio or "
            + "verdict: it did not measure TCP Fast Open.";

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
        out.append(resultTables(true));
        out.append(CpuCostTable.comparison(runs));
        out.append("## TFO and keep-alive against cold, per run\n\n")
                .append(SavingsTable.METHOD).append("\n\n");
        for (int i = 0; i < runs.size(); i++) {
            String savings = SavingsTable.render(runs.get(i));
            out.append("### run ").append(i + 1).append(": ").append(runs.get(i).name()).append("\n\n")
                    .append(savings.isEmpty() ? "No cold result in this run.\n" : savings).append('\n');
        }
        return out.toString();
    }

    /**
     * One table per benchmark over the parameter sets all runs have, then those only some runs have.
     *
     * @param headings Markdown headings before each table (a document of its own), else bold titles (a block in a
     *                 document whose sections are someone else's)
     */
    String resultTables(boolean headings) {
        StringBuilder out = new StringBuilder();
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
        common.forEach((benchmark, ids) -> out.append(headings ? "### " + benchmark : "**" + benchmark + "**")
                .append("\n\n").append(resultsTable(ids)).append('\n'));
        if (!partial.isEmpty()) {
            out.append(headings ? "## Only in some runs" : "**Only in some runs**").append("\n\nNot compared: these "
                    + "benchmark and parameter sets are missing from at least one run.\n\n")
                    .append(partialTable(partial)).append('\n');
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
        Map<String, Comparison> compared = new LinkedHashMap<>();
        for (Comparison c : table(ids)) {
            compared.put(c.id() + "#" + c.run(), c);
        }
        MarkdownTable table = new MarkdownTable("params", "run", "p50 us", "p99 us", "forks", "TFO check",
                "retransmitted", "ratio to run 1 [95% CI]", "p", "Holm p", "verdict", "data");
        for (BenchmarkId id : ids) {
            BenchmarkResult reference = runs.get(0).result(id).orElseThrow();
            for (int i = 0; i < runs.size(); i++) {
                BenchmarkResult r = runs.get(i).result(id).orElseThrow();
                LatencyData latency = r.latency();
                List<String> row = new ArrayList<>(List.of(id.paramsLabel().isEmpty() ? "(none)" : id.paramsLabel(),
                        String.valueOf(i + 1),
                        latency.isEmpty() ? Numbers.MISSING : Numbers.micros(latency.percentileMicros(50)),
                        latency.isEmpty() ? Numbers.MISSING : Numbers.micros(latency.percentileMicros(99)),
                        String.valueOf(latency.forkCount()), SynAckRace.checkCell(r),
                        RetransmittedOperations.of(r).label()));
                if (i == 0) {
                    row.addAll(List.of(r.fastOpenCheck().comparable() ? "1 (reference)"
                            : Numbers.MISSING + " (" + r.fastOpenCheck().label() + ")", "", "", ""));
                } else {
                    Comparison c = compared.get(id + "#" + i);
                    row.addAll(c.test() == null ? List.of(Numbers.MISSING + " (" + c.untested() + ")", "", "", "")
                            : List.of(Numbers.ratioWithInterval(c.test()), Numbers.pValue(c.test().pValue()),
                                    Numbers.pValue(c.holmP()), c.verdict().label()));
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
     * One result of a later run against the same result of run 1, by the results table's own test: fork medians,
     * exact p, Holm's correction over the table the result is in. What {@code compare} shows in its ratio, p, Holm p
     * and verdict columns, and what {@code --fail-on-slower} and {@code --json} use.
     *
     * @param run      index of the run (1 = the second folder; 0, the reference, is never compared)
     * @param test     the comparison, or null when the result cannot be compared
     * @param holmP    p adjusted over the table (NaN when untested)
     * @param verdict  the table's verdict
     * @param untested why not, when {@code test} is null (a fast open claim without evidence, no latency data)
     */
    public record Comparison(BenchmarkId id, int run, BenchmarkResult reference, BenchmarkResult result,
                             ForkComparison test, double holmP, Verdict verdict, String untested) {
        /** Other over reference: the Hodges-Lehmann ratio of the fork medians (NaN when untested). */
        public double ratio() {
            return test == null ? Double.NaN : test.interval().estimate();
        }

        /** Slower by the table's test (significantly, after Holm) and by more than {@code percent} percent. */
        public boolean slowerByMoreThan(double percent) {
            return verdict == Verdict.SLOWER && (ratio() - 1) * 100 > percent;
        }
    }

    /** Every result in all runs, each later run's against run 1's, table by table in table order. */
    public List<Comparison> comparisons() {
        Map<String, List<BenchmarkId>> tables = new LinkedHashMap<>();
        for (BenchmarkId id : allIds()) {
            if (runs.stream().allMatch(r -> r.result(id).isPresent())) {
                tables.computeIfAbsent(id.shortName(), k -> new ArrayList<>()).add(id);
            }
        }
        List<Comparison> out = new ArrayList<>();
        tables.values().forEach(ids -> out.addAll(table(ids)));
        return out;
    }

    /** The comparisons of one results table: one Holm family. */
    private List<Comparison> table(List<BenchmarkId> ids) {
        VerdictFamily family = new VerdictFamily();
        List<Comparison> out = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        for (BenchmarkId id : ids) {
            BenchmarkResult reference = runs.get(0).result(id).orElseThrow();
            for (int i = 1; i < runs.size(); i++) {
                BenchmarkResult r = runs.get(i).result(id).orElseThrow();
                String why = whyNotCompared(reference, r);
                ForkComparison c = why == null ? ForkComparison.ratio(reference.latency(), r.latency()) : null;
                out.add(new Comparison(id, i, reference, r, c, Double.NaN, Verdict.NOT_TESTED, why));
                index.add(c == null ? -1 : family.add(c));
            }
        }
        for (int k = 0; k < out.size(); k++) {
            int i = index.get(k);
            if (i >= 0) {
                Comparison c = out.get(k);
                out.set(k, new Comparison(c.id(), c.run(), c.reference(), c.result(), c.test(), family.adjustedP(i),
                        family.verdict(i), null));
            }
        }
        return out;
    }

    public List<Run> runs() {
        return runs;
    }

    /** Why a result gets no ratio and verdict against run 1's, or null when it gets them. */
    private static String whyNotCompared(BenchmarkResult reference, BenchmarkResult r) {
        if (!reference.fastOpenCheck().comparable()) {
            return "run 1 " + reference.fastOpenCheck().label();
        }
        if (!r.fastOpenCheck().comparable()) {
            return r.fastOpenCheck().label();
        }
        if (!ForkComparison.possible(reference.latency(), r.latency())) {
            return "no latency data";
        }
        return null;
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
