package tfobench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Every result's latency percentiles over all operations (microseconds), forks, operations, retransmitted operations
 * and fast open evidence, one row each. JMH's own sampled percentiles are not shown: they time another window (the
 * whole benchmark method) and over-weight rare slow values once an iteration outgrows JMH's sample buffer.
 */
final class ResultsTable {
    private ResultsTable() {
    }

    static String render(List<Run> runs) {
        List<String> header = new ArrayList<>();
        if (runs.size() > 1) {
            header.add("run");
        }
        header.addAll(List.of("benchmark", "params", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us", "forks",
                "ops", "synDataAcked", "retransmitted", "TFO check", "data"));
        MarkdownTable table = new MarkdownTable(header.toArray(new String[0]));
        for (int i = 0; i < runs.size(); i++) {
            for (BenchmarkResult r : runs.get(i).results()) {
                List<String> row = new ArrayList<>();
                if (runs.size() > 1) {
                    row.add(String.valueOf(i + 1));
                }
                row.add(r.id().shortName());
                row.add(r.id().paramsLabel());
                LatencyData l = r.latency();
                for (double p : new double[] {50, 90, 99, 99.9}) {
                    row.add(l.isEmpty() ? Numbers.MISSING : Numbers.micros(l.percentileMicros(p)));
                }
                row.add(l.isEmpty() ? Numbers.MISSING : Numbers.micros(l.maxMicros()));
                row.add(String.valueOf(l.forkCount()));
                row.add(Numbers.count(r.evidence().ops()));
                row.add(Numbers.fraction(r.evidence().synDataAcked()));
                row.add(RetransmittedOperations.of(r).label());
                row.add(SynAckRace.checkCell(r));
                row.add(l.source().label());
                table.row(row);
            }
        }
        return table.render() + SynAckRace.note(runs.stream().flatMap(run -> run.results().stream()).toList());
    }
}
