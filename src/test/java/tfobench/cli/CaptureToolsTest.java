package tfobench.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tfobench.Transport;
import tfobench.server.CalcServer;
import tfobench.server.ServerConfig;
import tfobench.server.Servers;
import tfobench.testing.CaptureFixture;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.JarTool;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packets beside the evidence in the tools: probe --capture, check --capture, and the launcher's step. */
class CaptureToolsTest {
    private static final String[] TINY = {"-f", "1", "-wi", "0", "-i", "1", "-r", "200ms"};

    @BeforeAll
    static void namespaceAndDumpcap() {
        FastOpenNamespace.require();
        CaptureFixture.requireDumpcap();
    }

    @Test
    void probeCapturePrintsEachConnectionsPacketsAndChecksThemAgainstTcpInfo(@TempDir Path dir) throws Exception {
        InetSocketAddress bind = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 91, 1}), 0);
        Path file = dir.resolve("probe.pcapng");
        try (CalcServer server = Servers.start(ServerConfig.fastOpen(Transport.NATIVE).withBind(bind))) {
            ToolRun run = ToolRun.of("probe", "--quiet", "--capture", file.toString(), "--count", "2",
                    "127.0.91.1:" + server.address().getPort());

            assertEquals(0, run.status(), run.out() + run.err());
            List<String> lines = run.out().lines().toList();
            // first connection: no cookie cached yet, so a cookie request; the second carries cookie and request
            int first = lines.indexOf("* connection 1 (ms from the client's call):");
            int second = lines.indexOf("* connection 2 (ms from the client's call):");
            assertTrue(first >= 0 && second > first, run.out());
            String one = String.join("\n", lines.subList(first, second));
            String two = String.join("\n", lines.subList(second, lines.size()));
            assertTrue(one.matches("(?s).*client → server +SYN +0 +MSS 65495, .*TFO cookie request.*"), one);
            assertTrue(one.contains("packets agree with TCP_INFO (SYN data: not sent: no cookie cached, cookie "
                    + "requested)"), one);
            assertTrue(two.matches("(?s).*client → server +SYN +79 +MSS 65495, .*TFO cookie [0-9a-f]{16} \\(8 bytes\\)"
                    + ".*"), two);
            assertTrue(two.contains("packets agree with TCP_INFO (SYN data: acked)"), two);
            assertTrue(Files.size(file) > 0);
        }
    }

    @Test
    void checkCaptureAddsOnePassingPacketCheckPerScenarioAndTransport(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("check-capture.pcapng");

        ToolRun run = ToolRun.of("check", "--capture", file.toString());

        assertEquals(0, run.status(), run.out() + run.err());
        for (String transport : List.of("native", "netty")) {
            for (String scenario : List.of("cold", "tfo", "tfo-connect", "cookie-request", "keepalive")) {
                assertTrue(run.out().lines().anyMatch(l -> l.matches("PASS +" + transport + " +packets-" + scenario
                        + " .*agrees with TCP_INFO and TcpExt")), scenario + " " + transport + ":\n" + run.out());
            }
        }
        assertTrue(Files.exists(dir.resolve("check-capture.json")));
        assertTrue(run.out().contains("0 failed"), run.out());
    }

    @Test
    void aRunFolderHoldsTheCaptureOfWhatTheRunMeasured(@TempDir Path dir) throws Exception {
        try (JarTool run = JarTool.start(List.of(), List.of("-Dtfobench.results=" + dir), dir, concat(
                new String[] {"FirstRequest", "-p", "transport=native", "-p", "handshake=cold,tfo", "-p",
                    "placement=same-cpu"}, TINY))) {
            assertEquals(0, run.awaitExit(), String.join("\n", run.lines()));
            assertTrue(run.lines().contains("# capture: packets agree with TCP_INFO and TcpExt for every connection"),
                    String.join("\n", run.lines()));
        }
        Path folder = only(dir);
        String index = Files.readString(folder.resolve("capture.json"));
        assertTrue(index.contains("\"scenario\": \"cold\"") && index.contains("\"scenario\": \"tfo\""), index);
        assertFalse(index.contains("\"scenario\": \"keepalive\""), "only what the run measured: " + index);
        assertTrue(Files.size(folder.resolve("capture.pcapng")) > 0);
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(folder.resolve("capture.pcapng"))));
    }

    @Test
    void withoutDumpcapTheRunSaysSoInOneLineNamingThePackageAndKeepsItInTheFolder(@TempDir Path dir)
            throws Exception {
        Path emptyPath = Files.createDirectories(dir.resolve("no-tools"));
        Path results = dir.resolve("runs");
        try (JarTool run = JarTool.start(List.of("env", "PATH=" + emptyPath), List.of("-Dtfobench.results=" + results),
                dir, concat(new String[] {"KeepAlive", "-p", "transport=native", "-p", "placement=same-cpu"}, TINY))) {
            assertEquals(0, run.awaitExit(), String.join("\n", run.lines()));
            assertTrue(run.lines().contains("# capture: skipped, dumpcap not found on PATH: apt-get install "
                    + "wireshark-common (Debian/Ubuntu: dumpcap; or tshark, which brings it)"),
                    String.join("\n", run.lines()));
        }
        Path folder = only(results);
        assertEquals("capture skipped: dumpcap not found on PATH: apt-get install wireshark-common (Debian/Ubuntu: "
                + "dumpcap; or tshark, which brings it)\n", Files.readString(folder.resolve("capture-skipped.txt")));
        assertFalse(Files.exists(folder.resolve("capture.pcapng")));
    }

    private static Path only(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> folders = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().equals(
                    "no-tools")).collect(Collectors.toList());
            assertEquals(1, folders.size(), folders.toString());
            return folders.get(0);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
