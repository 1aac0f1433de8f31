package tfobench.report;

import com.google.gson.GsonBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One run's results in the format github-action-benchmark reads as {@code tool: customSmallerIsBetter}: a JSON
 * array of {@code {"name", "unit", "value", "range", "extra"}}, one entry per result. The value is the median over
 * every measured operation (the {@code .hlog} logs; JMH's samples where a result has none, said in {@code extra}),
 * not JMH's mean score, which SampleTime mode inflates with rare slow operations. A fast open result whose evidence
 * does not back the claim (FALLBACK, NO EVIDENCE, BLACKHOLE) is left out: its number is not fast open's, and a
 * tracker would chart it as if it were.
 */
public final class BenchmarkActionJson {
    /** What the entries hold and what was left out. */
    public record Output(String json, List<String> leftOut) {
    }

    private BenchmarkActionJson() {
    }

    public static Output render(Run run) {
        List<Map<String, Object>> entries = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        for (BenchmarkResult r : run.results()) {
            LatencyData latency = r.latency();
            BenchmarkId id = r.id().comparable();
            if (!r.fastOpenCheck().comparable()) {
                leftOut.add(id + " (" + r.fastOpenCheck().label() + ")");
                continue;
            }
            if (latency.isEmpty()) {
                leftOut.add(id + " (no latency data)");
                continue;
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", id.toString());
            e.put("unit", "us");
            e.put("value", round(latency.percentileMicros(50)));
            e.put("range", String.format(Locale.ROOT, "p25-p75 %.2f-%.2f", latency.percentileMicros(25),
                    latency.percentileMicros(75)));
            e.put("extra", String.format(Locale.ROOT, "median of %d operations (%s), %d iterations; p99 %.2f us; "
                            + "kernel %s%s", latency.totalCount(), latency.source().label(), latency.iterationCount(),
                    latency.percentileMicros(99), run.environment().kernelRelease(),
                    r.fastOpenCheck() == FastOpenCheck.CONFIRMED ? "; TFO check ok" : ""));
            entries.add(e);
        }
        return new Output(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(entries) + "\n",
                leftOut);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
