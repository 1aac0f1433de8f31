package tfobench.calibration;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import tfobench.bench.Placement;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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

    /** placement -> scenario -> the C client's figures (count, meanMicros, p50Micros, ..., synDataAcked). */
    public Map<String, Map<String, JsonObject>> run(List<Placement> placements, java.util.BitSet allowedCpus)
            throws IOException, InterruptedException {
        Map<String, Map<String, JsonObject>> results = new LinkedHashMap<>();
        for (Placement placement : placements) {
            Placement.CpuPlan plan = placement.plan(allowedCpus);
            int clientCpu = plan.client() == null ? -1 : plan.client().nextSetBit(0);
            int serverCpu = plan.server() == null ? -1 : plan.server().nextSetBit(0);
            Map<String, JsonObject> byScenario = new LinkedHashMap<>();
            try (Server plain = new Server("127.0.0.2", 0, serverCpu);
                 Server fastOpen = new Server("127.0.0.3", 256, serverCpu)) {
                for (String scenario : SCENARIOS) {
                    Server server = scenario.startsWith("tfo") ? fastOpen : plain;
                    byScenario.put(scenario, client(scenario, server, clientCpu));
                }
            }
            results.put(placement.label(), byScenario);
        }
        return results;
    }

    private JsonObject client(String scenario, Server server, int cpu) throws IOException, InterruptedException {
        List<String> command = List.of(peer.binary().toString(), "client", scenario, server.address,
                Integer.toString(server.port), seconds(warmup), seconds(measure), Integer.toString(cpu));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        long limit = warmup.plus(measure).toSeconds() + 60;
        if (!p.waitFor(limit, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("C calibration client (" + scenario + ") failed: " + output);
        }
        return JsonParser.parseString(output).getAsJsonObject();
    }

    private static String seconds(Duration d) {
        return Double.toString(d.toMillis() / 1000.0);
    }

    /** A C server process, stopped on close. */
    private final class Server implements AutoCloseable {
        final String address;
        final int port;
        private final Process process;

        Server(String address, int fastOpenQueue, int cpu) throws IOException {
            this.address = address;
            List<String> command = new ArrayList<>(List.of(peer.binary().toString(), "server", address,
                    Integer.toString(fastOpenQueue), Integer.toString(cpu), "4"));
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String line = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            if (line == null || !line.startsWith("port ")) {
                process.destroyForcibly();
                throw new IOException("C calibration server did not start: " + line);
            }
            port = Integer.parseInt(line.substring(5).trim());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
