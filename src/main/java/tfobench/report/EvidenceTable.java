package tfobench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What each result's operations did to the SYN (the client's {@code TCP_INFO}) beside the kernel's TcpExt
 * counters over the same measured iterations, and whether the two agree; the TIME_WAIT sockets an iteration ended
 * with (mean over iterations) and whether the trial had a fresh network namespace of its own. Counters that are zero
 * in every row are named under the table instead of taking a column each.
 */
final class EvidenceTable {
    private EvidenceTable() {
    }

    static String render(List<Run> runs) {
        TreeSet<String> counters = new TreeSet<>();
        TreeSet<String> allZero = new TreeSet<>();
        for (Run run : runs) {
            for (BenchmarkResult r : rows(run)) {
                r.evidence().tcpExt().forEach((name, value) -> {
                    if (value != 0) {
                        counters.add(name);
                    } else {
                        allZero.add(name);
                    }
                });
            }
        }
        allZero.removeAll(counters);
        List<String> header = new ArrayList<>();
        if (runs.size() > 1) {
            header.add("run");
        }
        header.addAll(List.of("benchmark", "params", "tfo.ops", "synDataAcked", "cookieRequested", "fallback"));
        counters.forEach(header::add);
        header.addAll(List.of("TIME_WAIT", "own netns", "agrees"));
        MarkdownTable table = new MarkdownTable(header.toArray(new String[0]));
        for (int i = 0; i < runs.size(); i++) {
            for (BenchmarkResult r : rows(runs.get(i))) {
                Evidence e = r.evidence();
                List<String> row = new ArrayList<>();
                if (runs.size() > 1) {
                    row.add(String.valueOf(i + 1));
                }
                row.addAll(List.of(r.id().shortName(), r.id().paramsLabel(), Numbers.count(e.ops()),
                        Numbers.fraction(e.synDataAcked()), Numbers.fraction(e.cookieRequested()),
                        Numbers.fraction(e.fallback())));
                counters.forEach(c -> row.add(Numbers.count(e.tcpExt().get(c))));
                row.add(Numbers.count(e.timeWait()));
                row.add(e.freshNamespace() == null ? Numbers.MISSING : e.freshNamespace() == 1.0 ? "yes" : "no");
                row.add(agreement(r));
                table.row(row);
            }
        }
        if (table.isEmpty()) {
            return "No result carries evidence metrics (was the run made without the launcher?).\n";
        }
        String out = table.render();
        if (!allZero.isEmpty()) {
            out += "\nZero in every result: " + String.join(", ", allZero) + ".\n";
        }
        return out;
    }

    /** Results that made connections (operations counted). */
    private static List<BenchmarkResult> rows(Run run) {
        return run.results().stream().filter(r -> r.evidence().ops() != null && r.evidence().ops() > 0).toList();
    }

    /** Whether the client's view and the kernel's counters tell the same story for this result. */
    static String agreement(BenchmarkResult r) {
        Evidence e = r.evidence();
        Scenario s = Scenario.of(r.id());
        FastOpenCheck check = r.fastOpenCheck();
        if (check == FastOpenCheck.FALLBACK || check == FastOpenCheck.NO_EVIDENCE
                || check == FastOpenCheck.BLACKHOLE) {
            return check.label();
        }
        Map<String, Double> k = e.tcpExt();
        if (check == FastOpenCheck.CONFIRMED) {
            String partial = e.partialSynData() == null ? "" : "; the SYN carried " + e.partialSynData()
                    + " of the request, the rest followed the handshake";
            return (k.containsKey("TCPFastOpenActive") && k.get("TCPFastOpenActive").equals(e.ops())
                    ? "yes: TCPFastOpenActive = ops" : "no: TCPFastOpenActive != ops") + partial;
        }
        if (s.name().startsWith(Scenario.COOKIE_REQUEST)) {
            return k.containsKey("TCPFastOpenCookieReqd") && k.get("TCPFastOpenCookieReqd").equals(e.ops())
                    ? "yes: TCPFastOpenCookieReqd = ops" : "no: TCPFastOpenCookieReqd != ops";
        }
        boolean noSynData = e.synDataAcked() != null && e.synDataAcked() == 0
                && k.getOrDefault("TCPFastOpenActive", 0.0) == 0;
        return noSynData ? "yes: no SYN data" : "no: SYN data where none was expected";
    }
}
