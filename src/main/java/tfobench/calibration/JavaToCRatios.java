package tfobench.calibration;

import com.google.gson.JsonObject;
import org.openjdk.jmh.results.RunResult;
import tfobench.report.MarkdownTable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Java over C, median against median, per scenario, transport and placement, from one run's JMH results and the
 * C peer measured in the same run; and the fast open saving (cold minus tfo) of each.
 */
public final class JavaToCRatios {
    /** Targets (issue: native within 1.15x of C, Netty within 1.5x, native TFO saving within 20% of C's). */
    public static final double NATIVE_TARGET = 1.15;
    public static final double NETTY_TARGET = 1.5;
    public static final double SAVING_TOLERANCE = 0.20;

    private JavaToCRatios() {
    }

    /** One line of the comparison. */
    public record Row(String placement, String scenario, String transport, double javaP50, double cP50) {
        public double ratio() {
            return javaP50 / cP50;
        }

        public double target() {
            return transport.equals("native") ? NATIVE_TARGET : NETTY_TARGET;
        }
    }

    /** The C scenario a JMH result is measured against: its handshake, keepalive or tcpinfo; null for none. */
    static String scenario(RunResult r) {
        String benchmark = r.getParams().getBenchmark();
        if (benchmark.endsWith("FirstRequestBenchmark.firstRequest")) {
            return r.getParams().getParam("handshake");
        } else if (benchmark.endsWith("KeepAliveBenchmark.keepAliveRequest")) {
            return "keepalive";
        } else if (benchmark.endsWith("Baseline.tcpInfoRead")) {
            return "tcpinfo";
        }
        return null;
    }

    public static List<Row> rows(Collection<RunResult> results, Map<String, Map<String, JsonObject>> c) {
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            String scenario = scenario(r);
            if (scenario == null) {
                continue;
            }
            String placement = r.getParams().getParam("placement");
            if (placement == null) { // the baseline has no placement: compare with the C figure of any placement
                placement = c.keySet().stream().findFirst().orElse(null);
            }
            String transport = r.getParams().getParam("transport") == null ? "native"
                    : r.getParams().getParam("transport");
            Map<String, JsonObject> byScenario = c.get(placement);
            if (byScenario == null || !byScenario.containsKey(scenario)) {
                continue;
            }
            double javaP50 = r.getPrimaryResult().getStatistics().getPercentile(50.0);
            double cP50 = byScenario.get(scenario).get("p50Micros").getAsDouble();
            rows.add(new Row(placement, scenario, transport, javaP50, cP50));
        }
        rows.sort(java.util.Comparator.comparing(Row::placement).thenComparing(Row::scenario)
                .thenComparing(Row::transport));
        return rows;
    }

    /** (Java saving - C saving) / C saving for each placement and transport where both cold and tfo exist. */
    public static Map<String, Double> savingDeviation(List<Row> rows) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Row cold : rows) {
            if (!cold.scenario().equals("cold")) {
                continue;
            }
            for (Row tfo : rows) {
                if (tfo.scenario().equals("tfo") && tfo.placement().equals(cold.placement())
                        && tfo.transport().equals(cold.transport())) {
                    double javaSaving = cold.javaP50() - tfo.javaP50();
                    double cSaving = cold.cP50() - tfo.cP50();
                    out.put(cold.placement() + " " + cold.transport(), (javaSaving - cSaving) / cSaving);
                }
            }
        }
        return out;
    }

    public static String table(List<Row> rows) {
        MarkdownTable table = new MarkdownTable("placement", "scenario", "transport", "Java p50 us", "C p50 us",
                "Java/C", "target");
        for (Row r : rows) {
            table.row(r.placement(), r.scenario(), r.transport(), String.format(Locale.ROOT, "%.2f", r.javaP50()),
                    String.format(Locale.ROOT, "%.2f", r.cP50()), String.format(Locale.ROOT, "%.2fx", r.ratio()),
                    String.format(Locale.ROOT, "%s %.2fx", r.ratio() <= r.target() ? "met" : "MISSED", r.target()));
        }
        return table.render();
    }
}
