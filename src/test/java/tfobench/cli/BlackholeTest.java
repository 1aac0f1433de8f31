package tfobench.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tfobench.linux.FastOpenBlackhole;
import tfobench.linux.LoopbackDelay;
import tfobench.linux.PrivateNetns;
import tfobench.linux.ProbeSocket;
import tfobench.linux.SynDrop;
import tfobench.linux.TcpExtCounters;
import tfobench.linux.UnusedLoopbackAddresses;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.JarTool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel's fast open blackhole detection, caused for real in the tests' namespace (the old default timeout,
 * a fast open connection's SYNs dropped until it times out three times): the probe sees it and setting the
 * timeout to 0 ends it; the benchmark run sees it, labels its run folder and refuses to measure fast open.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BlackholeTest {
    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    @AfterEach
    void detectionOff() throws Exception {
        PrivateNetns.setIpv4Sysctl("tcp_fastopen_blackhole_timeout_sec", "0");
    }

    /** Detection on at the old default, then one fast open connection whose SYNs are all dropped. */
    private static void causeBlackhole() throws Exception {
        PrivateNetns.setIpv4Sysctl("tcp_fastopen_blackhole_timeout_sec",
                Integer.toString(FastOpenBlackhole.OLD_DEFAULT_SECONDS));
        long before = TcpExtCounters.read().get(FastOpenBlackhole.COUNTER);
        try (SynDrop drop = SynDrop.open(UnusedLoopbackAddresses.inThisNamespace().next(),
                LoopbackDelay.whyUnavailable().isEmpty())) {
            drop.engage();
            try (ProbeSocket client = ProbeSocket.fastOpen(drop.address(), new byte[79], false,
                    Duration.ofSeconds(30))) {
                assertEquals(79, client.sent(), "the request went in the SYN");
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (TcpExtCounters.read().get(FastOpenBlackhole.COUNTER) == before) {
                    assertTrue(System.nanoTime() < deadline, "detection did not fire within 60 s");
                    Thread.sleep(20);
                }
            }
        }
    }

    @Test
    void probeSeesFastOpenDisabledAfterThreeSynTimeoutsAndTimeoutZeroEndsIt() throws Exception {
        assertNotEquals(FastOpenBlackhole.State.ACTIVE, FastOpenBlackhole.probe().state());

        causeBlackhole();

        FastOpenBlackhole during = FastOpenBlackhole.probe();
        assertEquals(FastOpenBlackhole.State.ACTIVE, during.state(), during.describe());
        assertEquals(FastOpenBlackhole.OLD_DEFAULT_SECONDS, during.timeoutSeconds());
        assertTrue(during.evidence().contains("sent a plain SYN, no cookie request, and the kernel gave no reason"),
                during.evidence());
        assertTrue(during.refusal().startsWith("fast open is disabled in this network namespace by the kernel's "
                + "blackhole detection (TCPFastOpenBlackhole "), during.refusal());
        PrivateNetns.setIpv4Sysctl("tcp_fastopen_blackhole_timeout_sec", "0");
        assertEquals(FastOpenBlackhole.State.INACTIVE, FastOpenBlackhole.probe().state());
    }

    @Test
    void benchmarkRunLabelsItselfAndRefusesFastOpenWhileItIsActive(@TempDir Path dir) throws Exception {
        causeBlackhole();

        // As in the user's own namespace (the kernel matrix guest runs it so): in the run's private namespace every
        // trial gets a fresh namespace of its own, which no detection has fired in.
        try (JarTool run = JarTool.start(List.of("env", "TFOBENCH_NETNS=host"), List.of("-Dtfobench.results=" + dir,
                "-Dtfobench.label=bh"), dir,
                "FirstRequest", "-p", "transport=native", "-p", "handshake=cold,tfo", "-p", "placement=same-cpu",
                "-f", "1", "-wi", "0", "-i", "1", "-r", "300ms")) {
            assertEquals(1, run.awaitExit(), String.join("\n", run.lines()));
            String output = String.join("\n", run.lines());
            assertTrue(output.matches("(?s).*fast open blackhole +tcp_fastopen_blackhole_timeout_sec=3600 "
                    + "\\(detection on\\); TCPFastOpenBlackhole \\d+; ACTIVE.*"), output);
            assertTrue(output.contains("# tfo-bench: fast open is disabled in this network namespace by the kernel's "
                    + "blackhole detection"), output);
            assertTrue(output.contains("FAILED: tfobench.bench.FirstRequestBenchmark.firstRequest (allowFallback="
                    + "false, family=ipv4, handshake=tfo"), output);
        }
        Path folder;
        try (Stream<Path> folders = Files.list(dir)) {
            folder = folders.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertTrue(folder.getFileName().toString().endsWith("-bh-fastopen-blackholed"), folder.toString());
        JsonObject env = JsonParser.parseString(Files.readString(folder.resolve("environment.json")))
                .getAsJsonObject();
        assertEquals("active", env.getAsJsonObject("fastOpenBlackhole").get("state").getAsString());
        JsonArray results = JsonParser.parseString(Files.readString(folder.resolve("jmh-result.json")))
                .getAsJsonArray();
        assertEquals(1, results.size(), "cold only: no fast open number while fast open is disabled");
        assertEquals("cold", results.get(0).getAsJsonObject().getAsJsonObject("params").get("handshake")
                .getAsString());
    }
}
