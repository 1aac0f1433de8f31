package tfobench.calibration;

import com.google.gson.JsonObject;
import tfobench.bench.Placement;

import java.io.IOException;
import java.time.Duration;
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
        // THREADS = 4: four threads accepting on the one listener (calib.c)
        return CClient.runAll(peer, List.of("4"), SCENARIOS, placements, allowedCpus, warmup, measure);
    }
}
