package tfobench.report;

import com.google.gson.GsonBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code compare --json}: the comparison for machines, the same numbers and verdicts as the Markdown tables
 * ({@link ComparisonReport#comparisons()}). Latencies in microseconds over every measured operation; a test that
 * was not made is {@code null} with {@code untested} saying why.
 *
 * <pre>
 * { "tool": "tfo-bench compare",
 *   "runs": [ {"run": 1, "folder": ..., "kernel": ..., "capturedAt": ..., "emulation": ...}, ... ],
 *   "results": [ {"benchmark": "FirstRequestBenchmark.firstRequest", "params": {...}, "run": 2,
 *                 "p50Micros": ..., "p99Micros": ..., "iterations": ..., "referenceP50Micros": ...,
 *                 "fastOpenCheck": "ok", "ratio": ..., "ciLow": ..., "ciHigh": ..., "p": ...,
 *                 "verdict": "slower", "untested": null}, ... ],
 *   "failOnSlower": {"percent": 5, "slower": [indexes into results], "failed": true} }   (with --fail-on-slower)
 * </pre>
 */
public final class ComparisonJson {
    private ComparisonJson() {
    }

    /** The JSON document; {@code failOnSlowerPercent} null without the gate. */
    public static String render(ComparisonReport report, Double failOnSlowerPercent) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("tool", "tfo-bench compare");
        List<Map<String, Object>> runs = new ArrayList<>();
        for (int i = 0; i < report.runs().size(); i++) {
            Run r = report.runs().get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", i + 1);
            m.put("folder", r.dir().toString());
            m.put("kernel", r.environment().kernelRelease());
            m.put("capturedAt", r.environment().capturedAt());
            m.put("emulation", r.environment().emulation());
            runs.add(m);
        }
        doc.put("runs", runs);
        List<Map<String, Object>> results = new ArrayList<>();
        List<Integer> slower = new ArrayList<>();
        for (ComparisonReport.Comparison c : report.comparisons()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("benchmark", c.id().shortName());
            m.put("params", c.id().params());
            m.put("run", c.run() + 1);
            LatencyData latency = c.result().latency();
            m.put("p50Micros", latency.isEmpty() ? null : latency.percentileMicros(50));
            m.put("p99Micros", latency.isEmpty() ? null : latency.percentileMicros(99));
            m.put("forks", latency.forkCount());
            m.put("referenceP50Micros", c.reference().latency().isEmpty() ? null
                    : c.reference().latency().percentileMicros(50));
            m.put("fastOpenCheck", c.result().fastOpenCheck().name().toLowerCase(java.util.Locale.ROOT));
            ForkComparison t = c.test();
            m.put("ratio", t == null ? null : finite(t.interval().estimate()));
            m.put("ciLow", t == null ? null : finite(t.interval().low()));
            m.put("ciHigh", t == null ? null : finite(t.interval().high()));
            m.put("p", t == null ? null : finite(t.pValue()));
            m.put("holmP", t == null ? null : finite(c.holmP()));
            m.put("verdict", c.verdict().label());
            m.put("untested", c.untested());
            if (failOnSlowerPercent != null && c.slowerByMoreThan(failOnSlowerPercent)) {
                slower.add(results.size());
            }
            results.add(m);
        }
        doc.put("results", results);
        if (failOnSlowerPercent != null) {
            Map<String, Object> gate = new LinkedHashMap<>();
            gate.put("percent", failOnSlowerPercent);
            gate.put("slower", slower);
            gate.put("failed", !slower.isEmpty());
            doc.put("failOnSlower", gate);
        }
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(doc)
                + "\n";
    }

    /** JSON has no NaN: a figure that was not computed is null. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
