package tfobench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Within one run, per setting (transport and placement): the p50 of every scenario, then what TFO saves against a
 * cold connection taken apart, and what keep-alive saves. A {@code tfo} first request differs from a cold one in
 * two ways at once: its system calls ({@code sendto(MSG_FASTOPEN)} instead of {@code connect} then {@code send}) and
 * its request riding in the SYN. The cookie request has the first without the second (the same {@code sendto}, no
 * cookie, so the data goes after the handshake), which names each comparison:
 * <ul>
 *   <li>system-call path = cold - cookie-request (no data in either SYN)</li>
 *   <li>data in SYN = cookie-request - tfo (the same call; the request in the SYN or after the handshake)</li>
 *   <li>data in SYN, connect path = cold - tfo-connect ({@code connect} + {@code send} both; with
 *       {@code TCP_FASTOPEN_CONNECT} the send goes in the SYN)</li>
 * </ul>
 * The first two add up to the TFO saving. Every comparison of the table is one {@link VerdictFamily}.
 */
final class SavingsTable {
    static final String METHOD = "Savings in microseconds: the difference of the two results' p50 over all operations "
            + "(so the system-call path and the data in the SYN add up to the TFO saving), as % of cold's p50, "
            + "then the exact 95% interval of the shift between the two results' fork medians (Hodges-Lehmann; "
            + "each comparison's own, not widened for the table) and the verdict: `faster` when the other result is "
            + "faster with Holm p < " + ForkComparison.ALPHA + " over every comparison of the table, `slower` the "
            + "other way, `~` within the fork-to-fork noise, "
            + "`n/a (too few forks)` when these forks could never earn a verdict here. What each comparison "
            + "measures: TFO saving = cold - tfo; system-call path = cold - cookie-request (`sendto(MSG_FASTOPEN)` "
            + "against `connect` + `send`, neither SYN carrying data); data in SYN = cookie-request - tfo (the same "
            + "`sendto`, the request in the SYN or after the handshake); data in SYN, connect path = cold - "
            + "tfo-connect (`connect` + `send` both, the send riding in the SYN with `TCP_FASTOPEN_CONNECT`); "
            + "keep-alive = cold - keep-alive (no handshake at all).";

    /** A named difference between two scenarios: {@code from - to}. */
    private record Part(String title, String from, String to) {
    }

    private static final List<Part> PARTS = List.of(
            new Part("TFO saving: cold - tfo", Scenario.COLD, Scenario.TFO),
            new Part("system-call path: cold - cookie-request", Scenario.COLD, Scenario.COOKIE_REQUEST),
            new Part("data in SYN: cookie-request - tfo", Scenario.COOKIE_REQUEST, Scenario.TFO),
            new Part("data in SYN, connect path: cold - tfo-connect", Scenario.COLD, Scenario.TFO_CONNECT),
            new Part("keep-alive: cold - keepalive", Scenario.COLD, Scenario.KEEPALIVE));
    private static final List<String> MEDIANS = List.of(Scenario.COLD, Scenario.COOKIE_REQUEST, Scenario.TFO,
            Scenario.TFO_CONNECT, Scenario.KEEPALIVE);

    private SavingsTable() {
    }

    /** The two tables, or an empty string if the run has no cold result to compare with. */
    static String render(Run run) {
        Map<String, Map<String, BenchmarkResult>> bySetting = new LinkedHashMap<>();
        for (BenchmarkResult r : run.results()) {
            Scenario s = Scenario.of(r.id());
            bySetting.computeIfAbsent(s.setting(), k -> new LinkedHashMap<>()).putIfAbsent(s.name(), r);
        }
        bySetting.values().removeIf(s -> s.get(Scenario.COLD) == null || s.get(Scenario.COLD).latency().isEmpty());
        if (bySetting.isEmpty()) {
            return "";
        }

        List<String> medianHeader = new ArrayList<>(List.of("setting"));
        MEDIANS.forEach(m -> medianHeader.add(m + " p50 us"));
        MarkdownTable medians = new MarkdownTable(medianHeader.toArray(new String[0]));
        bySetting.forEach((setting, scenarios) -> {
            List<String> row = new ArrayList<>(List.of(setting));
            for (String m : MEDIANS) {
                BenchmarkResult r = scenarios.get(m);
                row.add(r == null || r.latency().isEmpty() ? Numbers.MISSING
                        : Numbers.micros(r.latency().percentileMicros(50))
                        + (r.fastOpenCheck().comparable() ? "" : " (" + r.fastOpenCheck().label() + ")"));
            }
            medians.row(row);
        });

        VerdictFamily family = new VerdictFamily();
        Map<String, Integer> index = new LinkedHashMap<>();
        Map<String, ForkComparison> comparisons = new LinkedHashMap<>();
        bySetting.forEach((setting, scenarios) -> {
            for (Part part : PARTS) {
                BenchmarkResult from = scenarios.get(part.from());
                BenchmarkResult to = scenarios.get(part.to());
                if (comparable(from, to)) {
                    ForkComparison c = ForkComparison.saving(from.latency(), to.latency());
                    comparisons.put(setting + "|" + part.title(), c);
                    index.put(setting + "|" + part.title(), family.add(c));
                }
            }
        });
        List<String> header = new ArrayList<>(List.of("setting"));
        PARTS.forEach(p -> header.add(p.title()));
        MarkdownTable savings = new MarkdownTable(header.toArray(new String[0]));
        bySetting.forEach((setting, scenarios) -> {
            double coldMedian = scenarios.get(Scenario.COLD).latency().percentileMicros(50);
            List<String> row = new ArrayList<>(List.of(setting));
            for (Part part : PARTS) {
                BenchmarkResult from = scenarios.get(part.from());
                BenchmarkResult to = scenarios.get(part.to());
                String key = setting + "|" + part.title();
                if (index.containsKey(key)) {
                    double saved = from.latency().percentileMicros(50) - to.latency().percentileMicros(50);
                    int i = index.get(key);
                    row.add(Numbers.micros(saved) + " us (" + Numbers.percent(saved / coldMedian) + ") "
                            + Numbers.microsInterval(comparisons.get(key).interval()) + " "
                            + family.verdict(i).label());
                } else {
                    row.add(whyNot(from, to));
                }
            }
            savings.row(row);
        });
        return medians.render() + "\n" + savings.render();
    }

    private static boolean comparable(BenchmarkResult from, BenchmarkResult to) {
        return from != null && to != null && from.fastOpenCheck().comparable() && to.fastOpenCheck().comparable()
                && ForkComparison.possible(from.latency(), to.latency());
    }

    private static String whyNot(BenchmarkResult from, BenchmarkResult to) {
        if (from == null || to == null) {
            return Numbers.MISSING;
        }
        return !from.fastOpenCheck().comparable() ? from.fastOpenCheck().label()
                : !to.fastOpenCheck().comparable() ? to.fastOpenCheck().label() : Numbers.MISSING;
    }
}
