package tfobench.calibration;

import com.google.gson.JsonObject;
import tfobench.bench.Placement;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the C peer's cold, tfo and keep-alive operations for each placement, in this namespace: a C server
 * (plain on 127.0.0.2, fast open on 127.0.0.3, four accepting threads, pinned as the Java servers are) and the C
 * client making the Java native client's system calls.
 */
public final class CCalibration {
    public static final List<String> SCENARIOS = List.of("cold", "tfo", "tfo-connect", "keepalive", "tcpinfo");

    private final CPeer peer;
    private final Duration warmup;
    private final Duration measure;

    public CCalibration(CPeer peer, Duration warmup, Duration measure) {
        this.peer = peer;
        this.warmup = warmup;
        this.measure = measure;
    }

    /**
     * placement -> scenario -> the C client's figures (count, meanMicros, p50Micros, ..., synDataAcked,
     * clientCpuMicrosPerOp) and the server's CPU per operation ({@code serverCpuMicrosPerOp}).
     */
    public Map<String, Map<String, JsonObject>> run(List<Placement> placements, java.util.BitSet allowedCpus)
            throws IOException, InterruptedException {
        Map<String, Map<String, JsonObject>> results = new LinkedHashMap<>();
        for (Placement placement : placements) {
            Placement.CpuPlan plan = placement.plan(allowedCpus);
            int clientCpu = plan.client() == null ? -1 : plan.client().nextSetBit(0);
            int serverCpu = plan.server() == null ? -1 : plan.server().nextSetBit(0);
            Map<String, JsonObject> byScenario = new LinkedHashMap<>();
            try (CServerProcess plain = server("127.0.0.2", 0, serverCpu);
                 CServerProcess fastOpen = server("127.0.0.3", 256, serverCpu)) {
                for (String scenario : SCENARIOS) {
                    CServerProcess server = scenario.startsWith("tfo") ? fastOpen : plain;
                    byScenario.put(scenario, CClient.run(peer, scenario, server, clientCpu, warmup, measure));
                }
            }
            results.put(placement.label(), byScenario);
        }
        return results;
    }

    /** A calib server: THREADS threads accepting on one listener, as NativeServer does. */
    private CServerProcess server(String address, int fastOpenQueue, int cpu) throws IOException {
        return new CServerProcess(List.of(peer.binary().toString(), "server", address,
                Integer.toString(fastOpenQueue), Integer.toString(cpu), "4"), address);
    }
}
