package tfobench.calibration;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import tfobench.bench.Placement;
import tfobench.linux.TcpExtCounters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a C client (calib or floor) for one scenario against a C server and adds the server's side to its figures. */
final class CClient {
    private CClient() {
    }

    /**
     * The client's JSON object, plus {@code serverCpuMicrosPerOp} (the server's CPU over the client's whole run,
     * warm-up included, per operation made) and {@code tcpext}: the namespace's fast open counter deltas over it.
     */
    static JsonObject run(CPeer peer, String scenario, CServerProcess server, int cpu, Duration warmup,
                          Duration measure) throws IOException, InterruptedException {
        List<String> command = List.of(peer.binary().toString(), "client", scenario, server.address,
                Integer.toString(server.port), seconds(warmup), seconds(measure), Integer.toString(cpu));
        TcpExtCounters countersBefore = TcpExtCounters.read();
        long serverBefore = server.cpuNanos();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        long limit = warmup.plus(measure).toSeconds() + 60;
        if (!p.waitFor(limit, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("C client " + peer.binary().getFileName() + " (" + scenario + ") failed: " + output);
        }
        long serverNanos = server.cpuNanos() - serverBefore;
        TcpExtCounters delta = TcpExtCounters.read().minus(countersBefore);
        JsonObject result = JsonParser.parseString(output).getAsJsonObject();
        long all = result.has("allOperations") ? result.get("allOperations").getAsLong() : 0;
        if (all > 0) {
            result.addProperty("serverCpuMicrosPerOp", Math.round(serverNanos / 1000.0 / all * 1000) / 1000.0);
        }
        JsonObject tcpExt = new JsonObject();
        delta.fastOpen().forEach(tcpExt::addProperty);
        result.add("tcpext", tcpExt);
        return result;
    }

    /**
     * For each placement, the peer's two servers (plain on 127.0.0.2, fast open on 127.0.0.3, each started with
     * {@code serverArgs} after its address, fast open queue and CPU, and pinned as the Java servers are) and its
     * client for every scenario, a tfo one against the fast open server: placement -> scenario -> {@link #run}'s
     * figures.
     */
    static Map<String, Map<String, JsonObject>> runAll(CPeer peer, List<String> serverArgs, List<String> scenarios,
                                                       List<Placement> placements, BitSet allowedCpus,
                                                       Duration warmup, Duration measure)
            throws IOException, InterruptedException {
        Map<String, Map<String, JsonObject>> results = new LinkedHashMap<>();
        for (Placement placement : placements) {
            Placement.CpuPlan plan = placement.plan(allowedCpus);
            int clientCpu = plan.client() == null ? -1 : plan.client().nextSetBit(0);
            int serverCpu = plan.server() == null ? -1 : plan.server().nextSetBit(0);
            Map<String, JsonObject> byScenario = new LinkedHashMap<>();
            try (CServerProcess plain = server(peer, "127.0.0.2", 0, serverCpu, serverArgs);
                 CServerProcess fastOpen = server(peer, "127.0.0.3", 256, serverCpu, serverArgs)) {
                for (String scenario : scenarios) {
                    CServerProcess server = scenario.startsWith("tfo") ? fastOpen : plain;
                    byScenario.put(scenario, run(peer, scenario, server, clientCpu, warmup, measure));
                }
            }
            results.put(placement.label(), byScenario);
        }
        return results;
    }

    private static CServerProcess server(CPeer peer, String address, int fastOpenQueue, int cpu,
                                         List<String> serverArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(peer.binary().toString(), "server", address,
                Integer.toString(fastOpenQueue), Integer.toString(cpu)));
        command.addAll(serverArgs);
        return new CServerProcess(command, address);
    }

    private static String seconds(Duration d) {
        return Double.toString(d.toMillis() / 1000.0);
    }
}
