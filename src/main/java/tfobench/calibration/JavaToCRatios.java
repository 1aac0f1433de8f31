package tfobench.calibration;

import com.google.gson.JsonObject;
import org.openjdk.jmh.results.RunResult;
import tfobench.report.MarkdownTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Java over C, median against median, per scenario, transport and placement, from one run's results (medians over
 * all operations) and the C peer measured in the same run; and the fast open saving (cold minus tfo) of each.
 */
public final class JavaToCRatios {
    /** Targets (issue: native within 1.15x of C, Netty within 1.5x, native TFO saving within 20% of C's). */
    public static final double NATIVE_TARGET = 1.15;
    public static final double NETTY_TARGET = 1.5;
    public static final double SAVING_TOLERANCE = 0.20;

    /**
     * Where the C peers measure: plain loopback in the run's namespace, no RTT emulation, the seed's 79-byte request
     * over IPv4. A Java result with any other value of these parameters (veth, {@code rtt=50}, a larger request,
     * IPv6) is not compared with them: its ratio would measure the difference in setting, not the JVM.
     */
    private static final Map<String, String> C_SETTING = Map.of("host", "loopback", "rtt", "0",
            "requestBytes", "79", "family", "ipv4");

    private JavaToCRatios() {
    }

    /** Whether a Java result ran where the C peers measure; a parameter it does not have counts as the default. */
    public static boolean likeCPeers(Function<String, String> param) {
        for (Map.Entry<String, String> e : C_SETTING.entrySet()) {
            String value = param.apply(e.getKey());
            if (value != null && !value.equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** The parameters of {@link #C_SETTING} as a sentence, for a line saying why nothing was compared. */
    public static String cSetting() {
        return "plain loopback, rtt=0, requestBytes=79, family=ipv4";
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

    /** The fast open saving (cold p50 - tfo p50) of one placement and transport, Java's and C's, in us. */
    public record Saving(String setting, double javaMicros, double cMicros) {
        /**
         * Java's saving against C's, as a fraction of C's; NaN when C's saving is not positive: a percentage of
         * nothing (or of a loss) says nothing, and on some machines TFO saves nothing across CPUs even in C.
         */
        public double deviation() {
            return cMicros > 0 ? (javaMicros - cMicros) / cMicros : Double.NaN;
        }

        /** E.g. {@code same-cpu native: Java 30.01 us, C 10.40 us (Java +189%)}. */
        public String describe() {
            String both = String.format(Locale.ROOT, "%s: Java %.2f us, C %.2f us", setting, javaMicros, cMicros);
            return cMicros > 0 ? both + String.format(Locale.ROOT, " (Java %+.0f%%)", deviation() * 100)
                    : both + " (C saves nothing here: no ratio)";
        }
    }

    /** Per placement and transport with both a cold and a tfo row, the two savings. */
    public static List<Saving> savings(List<Row> rows) {
        List<Saving> out = new ArrayList<>();
        for (Row cold : rows) {
            if (!cold.scenario().equals("cold")) {
                continue;
            }
            for (Row tfo : rows) {
                if (tfo.scenario().equals("tfo") && tfo.placement().equals(cold.placement())
                        && tfo.transport().equals(cold.transport())) {
                    out.add(new Saving(cold.placement() + " " + cold.transport(), cold.javaP50() - tfo.javaP50(),
                            cold.cP50() - tfo.cP50()));
                }
            }
        }
        return out;
    }

    /**
     * Java's saving against C's ({@link Saving#deviation}) where C's saving is positive, keyed by placement and
     * transport: what {@code c-calibration.json} keeps under "saving".
     */
    public static Map<String, Double> savingDeviation(List<Row> rows) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Saving saving : savings(rows)) {
            if (!Double.isNaN(saving.deviation())) {
                out.put(saving.setting(), saving.deviation());
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
