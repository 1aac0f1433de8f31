package tfobench.calibration;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import tfobench.linux.TcpExtCounters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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

    private static String seconds(Duration d) {
        return Double.toString(d.toMillis() / 1000.0);
    }
}
