package tfobench.cli;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import tfobench.AddressFamily;
import tfobench.Transport;
import tfobench.capture.CaptureIndex;
import tfobench.capture.Dumpcap;
import tfobench.capture.HandshakeCapture;
import tfobench.protocol.Request;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * After the JMH run, in the same namespace: {@link HandshakeCapture} captures a few exchanges of every scenario,
 * transport and RTT the run measured, with the same kinds of servers and clients, into {@code capture.pcapng}
 * and {@code capture.json} in the run folder. Nothing measured runs while it captures. Without dumpcap, or when it
 * cannot capture, one line says why (and names the package) on the console and in {@code capture-skipped.txt}.
 */
final class CaptureStep {
    static final String SKIPPED_FILE = CaptureIndex.SKIPPED_FILE;
    /** Generous: nothing here is timed, and in an emulated guest a JVM's first Netty exchange takes seconds. */
    private static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(60);

    private CaptureStep() {
    }

    static void run(Collection<RunResult> results, Path runDir, PrintStream out, PrintStream err) {
        List<HandshakeCapture.Block> blocks = blocks(results);
        if (blocks.isEmpty()) {
            return;
        }
        Optional<String> whyNot = Dumpcap.whyNot();
        if (whyNot.isPresent()) {
            skip(runDir, whyNot.get(), out);
            return;
        }
        out.println("# capture: " + HandshakeCapture.DEFAULT_EXCHANGES + " exchanges per scenario, transport and RTT "
                + "(" + blocks.size() + " blocks) with dumpcap on lo, outside the measured iterations...");
        out.flush();
        try {
            HandshakeCapture.Result result = HandshakeCapture.run(blocks, HandshakeCapture.DEFAULT_EXCHANGES,
                    runDir.resolve(HandshakeCapture.FILE), runDir.resolve(CaptureIndex.FILE), TIMEOUT);
            out.println("# capture: " + result.index().facts().get("packetsInFile") + " packets, "
                    + result.index().facts().get("fileBytes") + " bytes in " + HandshakeCapture.FILE + ", "
                    + result.index().facts().get("stepMillis") + " ms");
            List<String> problems = result.problems();
            if (problems.isEmpty()) {
                out.println("# capture: packets agree with TCP_INFO and TcpExt for every connection");
            }
            for (String p : problems) {
                err.println("# capture: ERROR: packets contradict the evidence: " + p);
            }
        } catch (IOException | RuntimeException e) {
            skip(runDir, "capture failed: " + e.getMessage(), err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            skip(runDir, "capture interrupted", err);
        }
    }

    private static void skip(Path runDir, String why, PrintStream to) {
        to.println("# capture: skipped, " + why);
        try {
            Files.writeString(runDir.resolve(SKIPPED_FILE), "capture skipped: " + why + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            to.println("# capture: cannot write " + SKIPPED_FILE + ": " + e.getMessage());
        }
    }

    /** The scenario, transport and RTT of every network result against an in-process server, once each. */
    static List<HandshakeCapture.Block> blocks(Collection<RunResult> results) {
        TreeSet<HandshakeCapture.Block> blocks = new TreeSet<>(Comparator
                .comparingInt(HandshakeCapture.Block::rttMillis)
                .thenComparingInt(b -> HandshakeCapture.SCENARIOS.indexOf(b.scenario()))
                .thenComparing(HandshakeCapture.Block::transport)
                .thenComparing(HandshakeCapture.Block::family)
                .thenComparingInt(HandshakeCapture.Block::requestBytes));
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            String host = p.getParam("host");
            String transport = p.getParam("transport");
            if (transport == null || host != null && !host.equals("loopback")) {
                continue; // Baseline, or a remote server: no loopback to capture on
            }
            String benchmark = p.getBenchmark();
            String scenario;
            if (benchmark.endsWith(".firstRequest")) {
                scenario = p.getParam("handshake");
            } else if (benchmark.endsWith(".cookieRequest")) {
                scenario = "cookie-request";
            } else if (benchmark.endsWith(".keepAliveRequest")) {
                scenario = "keepalive";
            } else {
                continue;
            }
            String rtt = p.getParam("rtt");
            String family = p.getParam("family");
            String requestBytes = p.getParam("requestBytes");
            blocks.add(new HandshakeCapture.Block(scenario, Transport.fromLabel(transport),
                    rtt == null ? 0 : Integer.parseInt(rtt),
                    family == null ? AddressFamily.IPV4 : AddressFamily.fromLabel(family),
                    requestBytes == null ? Request.SEED_BYTES : Integer.parseInt(requestBytes)));
        }
        return new ArrayList<>(blocks);
    }
}
