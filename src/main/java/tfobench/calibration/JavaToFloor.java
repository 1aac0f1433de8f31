package tfobench.calibration;

import com.google.gson.JsonObject;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Java against the minimal C floor ({@link CFloor}), per scenario, transport and placement of one run: the median
 * latency ratio, which the targets are about, and the CPU per operation ratio (client + server threads against the
 * two C processes), which says where the difference goes and, unlike the latency, is hardly moved by other work on a
 * busy machine.
 */
public final class JavaToFloor {
    /** Targets against the floor: native with JNA, native with the FFM layer (JDK 22+), Netty. */
    public static final double NATIVE_TARGET = 1.10;
    public static final double NATIVE_FFM_TARGET = 1.05;
    public static final double NETTY_TARGET = 1.5;

    private JavaToFloor() {
    }

    /**
     * One line; CPU figures are null when a side lacks them (a run without the CPU profiler).
     *
     * @param javaCpu client + server CPU microseconds per operation ({@code cpu.client + cpu.server})
     * @param floorCpu the floor client's and server's CPU microseconds per operation
     */
    public record Row(String placement, String scenario, String transport, double javaP50, double floorP50,
                      Double javaCpu, Double floorCpu, double target) {
        public double ratio() {
            return javaP50 / floorP50;
        }

        public double cpuRatio() {
            return javaCpu == null || floorCpu == null ? Double.NaN : javaCpu / floorCpu;
        }
    }

    /** The native target for this linux layer ({@code jna} or {@code ffm}). */
    public static double nativeTarget(String linuxLayer) {
        return "ffm".equals(linuxLayer) ? NATIVE_FFM_TARGET : NATIVE_TARGET;
    }

    public static List<Row> rows(Collection<RunResult> results, Map<String, Map<String, JsonObject>> floor,
                                 double nativeTarget) {
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            if (!JavaToCRatios.likeCPeers(r.getParams()::getParam)) {
                continue;
            }
            String scenario = JavaToCRatios.scenario(r);
            Map<String, JsonObject> byScenario = floor.get(r.getParams().getParam("placement"));
            if (byScenario == null || !byScenario.containsKey(scenario)) {
                continue; // not a network result, or tfo-connect or tcpinfo: the seed makes no such calls
            }
            JsonObject c = byScenario.get(scenario);
            String transport = r.getParams().getParam("transport");
            double java = score(r, "cpu.client") + score(r, "cpu.server");
            Double javaCpu = Double.isNaN(java) ? null : java;
            Double floorCpu = c.has("serverCpuMicrosPerOp")
                    ? c.get("clientCpuMicrosPerOp").getAsDouble() + c.get("serverCpuMicrosPerOp").getAsDouble()
                    : null;
            rows.add(new Row(r.getParams().getParam("placement"), scenario, transport,
                    r.getPrimaryResult().getStatistics().getPercentile(50.0), c.get("p50Micros").getAsDouble(),
                    javaCpu, floorCpu, "native".equals(transport) ? nativeTarget : NETTY_TARGET));
        }
        rows.sort(Comparator.comparing(Row::placement).thenComparing(Row::scenario).thenComparing(Row::transport));
        return rows;
    }

    private static String cpu(Double micros) {
        return micros == null ? "–" : String.format(Locale.ROOT, "%.2f", micros);
    }

    private static double score(RunResult r, String metric) {
        Result<?> result = r.getSecondaryResults().get(metric);
        return result == null ? Double.NaN : result.getScore();
    }

    public static String table(List<Row> rows) {
        StringBuilder s = new StringBuilder("| placement | scenario | transport | Java p50 us | floor p50 us | Java/floor "
                + "| target | Java CPU us/op | floor CPU us/op | CPU ratio |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %.2fx | %s %.2fx | %s | %s | %s |%n",
                    r.placement(), r.scenario(), r.transport(), r.javaP50(), r.floorP50(), r.ratio(),
                    r.ratio() <= r.target() ? "met" : "MISSED", r.target(), cpu(r.javaCpu()), cpu(r.floorCpu()),
                    Double.isNaN(r.cpuRatio()) ? "–" : String.format(Locale.ROOT, "%.2fx", r.cpuRatio())));
        }
        return s.toString();
    }
}
