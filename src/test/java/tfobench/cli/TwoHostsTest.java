package tfobench.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.Figures;
import tfobench.testing.NetnsHost;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Off loopback: the standalone server in one network namespace (10.77.0.1) and the suite's client side in another
 * (10.77.0.2), joined by a veth pair, as two hosts on a link. The probe sees its SYN data acknowledged across the
 * link, and the benchmark measures the remote server through {@code -p host=} with the evidence from the client
 * alone. Both namespaces end with their processes, taking the link with them.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TwoHostsTest {
    private static final String SERVER = "10.77.0.1";
    private static final String PORT = "8080";

    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    @Test
    void clientInOneNamespaceGetsItsSynDataAckedByTheServerInAnother(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("runs");
        String benchmark = "FirstRequest -p host=" + SERVER + ":" + PORT + " -p handshake=tfo -p transport=native "
                + "-p placement=none -f 1 -wi 0 -i 1 -r 300ms";
        List<String> clientSide;
        try (NetnsHost server = NetnsHost.start(SERVER + "/24", "", List.of(), dir, "server", "--tfo", "--bind",
                SERVER, "--port", PORT);
             NetnsHost client = NetnsHost.start("10.77.0.2/24",
                     javaCommand("probe --handshake tfo --count 3 " + SERVER + ":" + PORT) + "; echo probe-exit=$?;",
                     List.of("-Dtfobench.results=" + results), dir, benchmark.split(" "))) {
            NetnsHost.join(server, client);
            server.go();
            String listening = server.tool().awaitLine("listening on " + SERVER + ":");
            assertEquals("listening on " + SERVER + ":" + PORT, listening);
            assertTrue(server.tool().lines().stream().anyMatch(l -> l.startsWith("server: warning: listening on "
                    + SERVER + ", reachable from outside this host; bounds: at most")), server.tool().lines().toString());
            client.go();
            int status = client.tool().awaitExit();
            clientSide = client.tool().lines();
            assertEquals(0, status, String.join("\n", clientSide));
        }
        String output = String.join("\n", clientSide);
        // The probe: first connection asks for a cookie, the next two carry the request in the SYN, acked.
        assertTrue(output.contains("* 1: Result: 2, SYN data: not sent: no cookie cached, cookie requested,"), output);
        assertTrue(output.contains("* 2: Result: 2, SYN data: acked,"), output);
        assertTrue(output.contains("* 3: Result: 2, SYN data: acked,"), output);
        assertTrue(output.contains("* 3 requests, 2 with SYN data acked, 0 wrong answers"), output);
        assertTrue(output.contains("TCPFastOpenActive=2 "), output);
        assertTrue(output.contains("probe-exit=0"), output);
        // The benchmark stayed in the client's namespace (where the route is) and started no server of its own.
        assertTrue(output.contains("# tfo-bench: this network namespace (-p host=" + SERVER + ":" + PORT), output);
        JsonObject result = JsonParser.parseString(Files.readString(onlyRunFolder(results).resolve("jmh-result.json"),
                StandardCharsets.UTF_8)).getAsJsonArray().get(0).getAsJsonObject();
        assertEquals(SERVER + ":" + PORT, result.getAsJsonObject("params").get("host").getAsString());
        JsonObject metrics = result.getAsJsonObject("secondaryMetrics");
        double ops = score(metrics, "tfo.ops");
        assertTrue(ops > 10, "operations " + ops);
        assertEquals(1.0, score(metrics, "tfo.synDataAcked"));
        assertEquals(ops, score(metrics, "tcpext.TCPFastOpenActive"), "the client's kernel counted every one");
        assertEquals(0.0, score(metrics, "tcpext.TCPFastOpenPassive"), "no server on the client's side");
        assertTrue(score(metrics, "cpu.client") > 0, "the client's CPU per operation");
        assertFalse(metrics.has("cpu.server"), "the server's threads run on the other host: " + metrics.keySet());
        Figures.record("two-hosts", "probe across veth 10.77.0.2 -> " + SERVER + " | SYN data: cookie requested, "
                + "acked, acked | FirstRequest tfo -p host=" + SERVER + ":" + PORT + ": " + (long) ops + " ops, "
                + "synDataAcked=1.0, TCPFastOpenActive=" + (long) score(metrics, "tcpext.TCPFastOpenActive")
                + ", p50 " + result.getAsJsonObject("primaryMetric").getAsJsonObject("scorePercentiles").get("50.0")
                + " us");
        assertFalse(interfaceInTestNamespace(), "the veth pair went with the namespaces");
    }

    /**
     * The same over IPv6, with a request larger than one segment: over the link (MTU 1500) the kernel puts 1,400
     * bytes of a 2,000-byte request in the SYN (one MSS less the 40 bytes it keeps for SYN options), the server
     * acknowledges them, and the evidence says both: acked, and how much.
     */
    @Test
    void overIpv6ALargerRequestIsAckedForWhatTheSynCarriedAndSaysHowMuch(@TempDir Path dir) throws Exception {
        String server = "fd74:666f:77::1";
        Path results = dir.resolve("runs");
        String benchmark = "FirstRequest -p host=[" + server + "]:" + PORT + " -p family=ipv6 -p handshake=tfo "
                + "-p transport=native -p placement=none -p requestBytes=2000 -f 1 -wi 0 -i 1 -r 300ms";
        List<String> clientSide;
        try (NetnsHost serverHost = NetnsHost.start(server + "/64", "", List.of(), dir, "server", "--tfo", "--bind",
                server, "--port", PORT, "--max-header-bytes", "4096");
             NetnsHost client = NetnsHost.start("fd74:666f:77::2/64",
                     javaCommand("probe --handshake tfo --count 3 --request-bytes 2000 [" + server + "]:" + PORT)
                             + "; echo probe-exit=$?;",
                     List.of("-Dtfobench.results=" + results), dir, benchmark.split(" "))) {
            NetnsHost.join(serverHost, client);
            serverHost.go();
            serverHost.tool().awaitLine("listening on [" + server + "]:");
            client.go();
            int status = client.tool().awaitExit();
            clientSide = client.tool().lines();
            assertEquals(0, status, String.join("\n", clientSide));
        }
        String output = String.join("\n", clientSide);
        assertTrue(output.contains("* 1: Result: 2, SYN data: not sent: no cookie cached, cookie requested,"), output);
        assertTrue(output.contains("* 2: Result: 2, SYN data: acked,"), output);
        assertTrue(output.contains("* the SYN carries 1400 of the request's 2000 bytes"), output);
        assertTrue(output.contains("'acked' above covers those 1400 bytes, the rest followed the handshake"), output);
        assertTrue(output.contains("probe-exit=0"), output);
        JsonObject result = JsonParser.parseString(Files.readString(onlyRunFolder(results).resolve("jmh-result.json"),
                StandardCharsets.UTF_8)).getAsJsonArray().get(0).getAsJsonObject();
        JsonObject metrics = result.getAsJsonObject("secondaryMetrics");
        assertEquals(1.0, score(metrics, "tfo.synDataAcked"));
        assertEquals(1400.0, score(metrics, "tfo.synDataBytes"), "asked of the kernel at setup");
        assertEquals(2000.0, score(metrics, "tfo.requestBytes"));
        assertEquals(score(metrics, "tfo.ops"), score(metrics, "tcpext.TCPFastOpenActive"));
    }

    /** The java command line of a jar tool, for a shell script run in the client's namespace. */
    private static String javaCommand(String toolArgs) {
        return Path.of(System.getProperty("java.home"), "bin", "java") + " -cp "
                + Path.of(System.getProperty("java.class.path")).toAbsolutePath() + " tfobench.cli.Main " + toolArgs;
    }

    private static Path onlyRunFolder(Path results) throws Exception {
        try (Stream<Path> s = Files.list(results)) {
            List<Path> folders = s.collect(Collectors.toList());
            assertEquals(1, folders.size(), folders.toString());
            return folders.get(0);
        }
    }

    private static double score(JsonObject metrics, String name) {
        assertTrue(metrics.has(name), name + " missing from " + metrics.keySet());
        return metrics.getAsJsonObject(name).get("score").getAsDouble();
    }

    private static boolean interfaceInTestNamespace() throws Exception {
        Process p = new ProcessBuilder("ip", "link", "show", NetnsHost.INTERFACE).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }
}
