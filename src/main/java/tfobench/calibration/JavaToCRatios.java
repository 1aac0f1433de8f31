package tfobench.calibration;

import com.google.gson.JsonObject;
import org.openjdk.jmh.results.RunResult;
import tfobench.report.MarkdownTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Java over C, median against median, per scenario, transport and placement, from one run's results (medians over
 * all operations) and the C peer measured in the same run; and the fast open saving (cold minus tfo) of each.
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
        return scenario(r.getParams().getBenchmark(), r.getParams().getParam("handshake"));
    }

    static String scenario(String benchmark, String handshake) {
        if (benchmark.endsWith("FirstRequestBenchmark.firstRequest")) {
            return handshake;
        } else if (benchmark.endsWith("KeepAliveBenchmark.keepAliveRequest")) {
            return "keepalive";
        } else if (benchmark.endsWith("Baseline.tcpInfoRead")) {
            return "tcpinfo";
        }
        return null;
    }

    /**
     * One Java result's median over all its operations (the run folder's {@code .hlog} logs, the exchange window).
     *
     * @param benchmark  the JMH benchmark name
     * @param handshake  its {@code handshake} parameter, or null
     * @param placement  its {@code placement} parameter, or null
     * @param transport  its {@code transport} parameter, or null
     */
    public record JavaMedian(String benchmark, String handshake, String placement, String transport,
                             double p50Micros) {
    }

    public static List<Row> rows(List<JavaMedian> medians, Map<String, Map<String, JsonObject>> c) {
        List<Row> rows = new ArrayList<>();
        for (JavaMedian r : medians) {
            String scenario = scenario(r.benchmark(), r.handshake());
            if (scenario == null) {
                continue;
            }
            String placement = r.placement();
            if (placement == null) { // the baseline has no placement: compare with the C figure of any placement
                placement = c.keySet().stream().findFirst().orElse(null);
            }
            String transport = r.transport() == null ? "native" : r.transport();
            Map<String, JsonObject> byScenario = c.get(placement);
            if (byScenario == null || !byScenario.containsKey(scenario) || Double.isNaN(r.p50Micros())) {
                continue;
            }
            double cP50 = byScenario.get(scenario).get("p50Micros").getAsDouble();
            rows.add(new Row(placement, scenario, transport, r.p50Micros(), cP50));
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
