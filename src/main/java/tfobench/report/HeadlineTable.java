package tfobench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run at a glance: a row per scenario, a column per setting (transport and placement), each cell
 * {@code p50 / p99} in microseconds over every operation (exchange window). A fast open result that fell back shows
 * FALLBACK, a result whose slowest 0.1% hold retransmissions is marked with {@code R}.
 */
final class HeadlineTable {
    static final String LEGEND = "Microseconds per operation over every measured operation of every fork (exchange "
            + "window), p50 / p99. `R`: retransmissions in the slowest 0.1% (see Retransmissions).";

    private HeadlineTable() {
    }

    static String render(Run run) {
        Map<String, Map<String, BenchmarkResult>> byScenario = new LinkedHashMap<>();
        Set<String> settings = new LinkedHashSet<>();
        run.results().stream().filter(r -> r.latency().source() == LatencyData.Source.HLOG)
                .sorted(java.util.Comparator.comparingInt(r -> Scenario.of(r.id()).rank()))
                .forEach(r -> {
                    Scenario s = Scenario.of(r.id());
                    settings.add(s.setting());
                    byScenario.computeIfAbsent(s.name(), k -> new LinkedHashMap<>()).putIfAbsent(s.setting(), r);
                });
        List<String> header = new ArrayList<>(List.of("scenario"));
        settings.forEach(header::add);
        MarkdownTable table = new MarkdownTable(header.toArray(new String[0]));
        byScenario.forEach((scenario, results) -> {
            List<String> row = new ArrayList<>(List.of(scenario));
            for (String setting : settings) {
                row.add(cell(results.get(setting)));
            }
            table.row(row);
        });
        return table.isEmpty() ? "No result with an `.hlog` latency log.\n" : table.render();
    }

    private static String cell(BenchmarkResult r) {
        if (r == null || r.latency().isEmpty()) {
            return Numbers.MISSING;
        }
        if (!r.fastOpenCheck().comparable()) {
            return r.fastOpenCheck().label();
        }
        return Numbers.micros(r.latency().percentileMicros(50)) + " / " + Numbers.micros(r.latency().percentileMicros(99))
                + (RetransmittedOperations.of(r).affectsTail() ? " R" : "");
    }
}
