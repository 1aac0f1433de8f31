package tfobench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Within one run, per setting (transport and placement): what TFO, TFO_CONNECT and keep-alive save against a cold
 * connection, in microseconds and percent of cold's median, with the verdict of {@link IterationComparison} on
 * the per-iteration medians. A fast open result that fell back shows FALLBACK instead of a saving.
 */
final class SavingsTable {
    private static final List<String> AGAINST_COLD = List.of(Scenario.TFO, Scenario.TFO_CONNECT, Scenario.KEEPALIVE);

    private SavingsTable() {
    }

    /** The table, or an empty string if the run has no cold result to compare with. */
    static String render(Run run) {
        Map<String, Map<String, BenchmarkResult>> bySetting = new LinkedHashMap<>();
        for (BenchmarkResult r : run.results()) {
            Scenario s = Scenario.of(r.id());
            bySetting.computeIfAbsent(s.setting(), k -> new LinkedHashMap<>()).putIfAbsent(s.name(), r);
        }
        List<String> header = new ArrayList<>(List.of("setting", "cold p50 us"));
        for (String scenario : AGAINST_COLD) {
            header.add(scenario + " p50 us");
            header.add(scenario + " saving vs cold");
        }
        MarkdownTable table = new MarkdownTable(header.toArray(new String[0]));
        bySetting.forEach((setting, scenarios) -> {
            BenchmarkResult cold = scenarios.get(Scenario.COLD);
            if (cold == null || cold.latency().isEmpty()) {
                return;
            }
            List<String> row = new ArrayList<>(List.of(setting, Numbers.micros(cold.latency().percentileMicros(50))));
            for (String scenario : AGAINST_COLD) {
                BenchmarkResult other = scenarios.get(scenario);
                row.add(other == null || other.latency().isEmpty() ? Numbers.MISSING
                        : Numbers.micros(other.latency().percentileMicros(50)));
                row.add(saving(cold, other));
            }
            table.row(row);
        });
        return table.isEmpty() ? "" : table.render();
    }

    /** e.g. {@code 3.4 us (13.1%) faster}, {@code 0.4 us (0.5%) ~}, {@code FALLBACK}. */
    static String saving(BenchmarkResult cold, BenchmarkResult other) {
        if (other == null || other.latency().isEmpty()) {
            return Numbers.MISSING;
        }
        if (!other.fastOpenCheck().comparable()) {
            return other.fastOpenCheck().label();
        }
        double coldMedian = cold.latency().percentileMicros(50);
        double saved = coldMedian - other.latency().percentileMicros(50);
        IterationComparison c = IterationComparison.of(cold.latency().iterationMediansMicros(),
                other.latency().iterationMediansMicros());
        return Numbers.micros(saved) + " us (" + Numbers.percent(saved / coldMedian) + ") " + c.verdict().label();
    }
}
