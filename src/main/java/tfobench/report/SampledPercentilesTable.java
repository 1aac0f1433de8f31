package tfobench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * JMH's own {@code scorePercentiles} beside the same percentiles over all operations, so the difference is visible
 * once and never mistaken for a result: JMH samples the whole benchmark method, and once an iteration has more
 * operations than its sample buffer it halves every bucket but keeps counts of 1, which over-weights rare slow
 * values.
 */
final class SampledPercentilesTable {
    static final String METHOD = "For reference only: JMH's `scorePercentiles` from `jmh-result.json` are sampled "
            + "(in `SampleTime` mode JMH thins its sample buffer by halving every bucket but keeps counts of 1, so rare "
            + "slow values weigh more than they should) and time the whole benchmark method, not the exchange window. "
            + "Every figure above comes from all operations instead.";

    private SampledPercentilesTable() {
    }

    static String render(List<Run> runs) {
        List<String> header = new ArrayList<>();
        if (runs.size() > 1) {
            header.add("run");
        }
        header.addAll(List.of("benchmark", "params", "JMH sampled p50 us", "JMH sampled p99 us",
                "all-operation p99 us", "sampled / all p99"));
        MarkdownTable table = new MarkdownTable(header.toArray(new String[0]));
        for (int i = 0; i < runs.size(); i++) {
            for (BenchmarkResult r : runs.get(i).results()) {
                if (r.latency().source() != LatencyData.Source.HLOG || Double.isNaN(r.jmhPercentileMicros(99.0))) {
                    continue;
                }
                List<String> row = new ArrayList<>();
                if (runs.size() > 1) {
                    row.add(String.valueOf(i + 1));
                }
                double all = r.latency().percentileMicros(99);
                row.addAll(List.of(r.id().shortName(), r.id().paramsLabel(),
                        Numbers.micros(r.jmhPercentileMicros(50.0)), Numbers.micros(r.jmhPercentileMicros(99.0)),
                        Numbers.micros(all), Numbers.ratio(r.jmhPercentileMicros(99.0) / all)));
                table.row(row);
            }
        }
        return table.isEmpty() ? "No result has both JMH's percentiles and an `.hlog` log.\n" : table.render();
    }
}
