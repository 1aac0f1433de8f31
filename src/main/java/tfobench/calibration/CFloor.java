package tfobench.calibration;

import com.google.gson.JsonObject;
import tfobench.bench.Placement;

import java.io.IOException;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Measures the minimal C floor ({@code floor.c}) for each placement, in this namespace: a one-thread accept-loop
 * server (plain on 127.0.0.2, fast open on 127.0.0.3, pinned as the Java servers are) and a client that makes only
 * the seed's calls: what the work costs, with no harness around it. The floor reads no {@code TCP_INFO}; its fast
 * open evidence is the namespace's {@code TCPFastOpenActive} delta over the scenario, as a share of its operations
 * ({@code synDataAckedByCounters}).
 */
public final class CFloor {
    public static final List<String> SCENARIOS = List.of("cold", "tfo", "keepalive");

    private final CPeer floor;
    private final Duration warmup;
    private final Duration measure;

    public CFloor(CPeer floor, Duration warmup, Duration measure) {
        this.floor = floor;
        this.warmup = warmup;
        this.measure = measure;
    }

    /** placement -> scenario -> the floor client's figures and the server's CPU per operation. */
    public Map<String, Map<String, JsonObject>> run(List<Placement> placements, BitSet allowedCpus)
            throws IOException, InterruptedException {
        Map<String, Map<String, JsonObject>> results = CClient.runAll(floor, List.of(), SCENARIOS, placements,
                allowedCpus, warmup, measure);
        for (Map<String, JsonObject> byScenario : results.values()) {
            for (JsonObject r : byScenario.values()) {
                long active = r.getAsJsonObject("tcpext").has("TCPFastOpenActive")
                        ? r.getAsJsonObject("tcpext").get("TCPFastOpenActive").getAsLong() : 0;
                r.addProperty("synDataAckedByCounters",
                        Math.round(10000.0 * active / r.get("allOperations").getAsLong()) / 10000.0);
            }
        }
        return results;
    }
}
