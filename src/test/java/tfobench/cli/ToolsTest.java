package tfobench.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tfobench.Transport;
import tfobench.client.Handshake;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.JarTool;
import tfobench.testing.Loopback;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jar's server and probe tools as a user meets them: output, exit statuses, one-line errors. */
class ToolsTest {

    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    /** What a tool printed and returned. */
    record Run(int status, String out, String err) {
    }

    static Run run(String tool, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.runTool(tool, args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Handshake.class)
    void probeAgainstStandaloneServerReportsEachHandshakesEvidence(Handshake handshake) throws Exception {
        String address = Loopback.fresh().getAddress().getHostAddress();
        try (JarTool server = JarTool.start("server", "--tfo", "--bind", address, "--port", "0")) {
            String listening = server.awaitLine("listening on ");
            assertTrue(listening.startsWith("listening on " + address + ":"), listening);
            String target = listening.substring("listening on ".length()).trim();

            Run run = run("probe", "--handshake", handshake.label(), "--count", "3", target);

            assertEquals(0, run.status(), run.out() + run.err());
            String expectedLater;
            switch (handshake) {
                case COLD:
                    expectedLater = "SYN data: not sent,";
                    break;
                case KEEPALIVE:
                    expectedLater = "SYN data: not sent: connection reused,";
                    break;
                default:
                    expectedLater = "SYN data: acked,";
            }
            assertTrue(run.out().contains("* 3: Result: 2, " + expectedLater), run.out());
            assertTrue(run.out().contains("> CALCULATE MATH/1.1\n> Operand1: 1\n> Operator: +\n> Operand2: 1\n"
                    + "> Connection: Keep-Alive\n> \n"), run.out());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void churnCountsEveryConnectionAndSaysZeroErrors(Transport transport) {
        Run run = run("churn", "--connections", "2000", "--handshake", "cold,tfo", "--transport", transport.label(),
                "--threads", "2");
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("cold: 2000 connections, 2000 answered right, 0 errors, "), run.out());
        assertTrue(run.out().contains("SYN data: not sent 2000;"), run.out());
        assertTrue(run.out().contains("tfo: 2000 connections, 2000 answered right, 0 errors, "), run.out());
        assertTrue(run.out().contains("# closing: the client closes first"), run.out());
        assertTrue(run.out().contains("# every connection answered right, 0 errors"), run.out());
    }

    @Test
    void churnRefusesKeepAliveAsAScenario() {
        Run run = run("churn", "--connections", "10", "--handshake", "keepalive");
        assertEquals(2, run.status(), run.out() + run.err());
        assertTrue(run.err().startsWith("churn: keepalive opens one connection"), run.err());
    }

    @Test
    void unknownOptionIsOneLineAndExitStatus2() {
        Run run = run("probe", "--bogus", "127.0.0.1:1");
        assertEquals(2, run.status());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("probe: bogus is not a recognized option"), run.err());
    }

    @Test
    void unknownHandshakeNamesTheChoices() {
        Run run = run("probe", "--handshake", "warp", "127.0.0.1:1");
        assertEquals(2, run.status());
        assertEquals("probe: unknown handshake 'warp' (expected cold, tfo, tfo-connect or keepalive)\n", run.err());
    }

    @Test
    void unreachableServerIsOneLineWithTheErrnoAndExitStatus1() {
        Run run = run("probe", "--handshake", "cold", Loopback.fresh().getAddress().getHostAddress() + ":9");
        assertEquals(1, run.status());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("cannot reach") && run.err().contains("ECONNREFUSED"), run.err());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void unreachableServerOverEitherTransportIsOneLine(Transport transport) {
        Run run = run("probe", "--transport", transport.label(), "--handshake", "tfo",
                Loopback.fresh().getAddress().getHostAddress() + ":9");
        assertEquals(1, run.status(), run.out() + run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("probe: cannot reach"), run.err());
    }

    @Test
    void malformedTargetIsRejected() {
        Run run = run("probe", "localhost");
        assertEquals(2, run.status());
        assertEquals("probe: expected HOST:PORT or [IPV6]:PORT, got 'localhost'\n", run.err());
    }

    @Test
    void loadRefusesKeepAliveAndBadRatesBeforeDoingAnything() {
        Run keepalive = run("load", "--handshake", "keepalive", "--rate", "100");
        assertEquals(2, keepalive.status());
        assertTrue(keepalive.err().startsWith("load: --handshake keepalive: open-loop load measures new connections"),
                keepalive.err());
        Run rate = run("load", "--rate", "fast");
        assertEquals("load: --rate expects a whole number, got 'fast'\n", rate.err());
        Run missing = run("load");
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("rate"), missing.err());
        Run duration = run("load", "--rate", "10", "--duration", "soon");
        assertEquals("load: --duration expects a duration like 10s, 500ms or 2m, got 'soon'\n", duration.err());
        Run rps = run("load", "--rate", "10", "--rps", "off,maybe");
        assertEquals(2, rps.status());
        assertEquals("load: --rps takes off, on or off,on, not 'maybe'\n", rps.err());
    }

    @Test
    void loadCapacitySearchesPerTransportAndRecordsTheRateItFoundAmongItsPoints(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // A loose p99 bound: only a missed schedule, an error or contradicting evidence stops the doubling.
        try (JarTool load = JarTool.start(java.util.List.of(), java.util.List.of(), dir, "load", "--rate", "50",
                "--duration", "300ms", "--warmup", "200ms", "--threads", "2", "--placement", "none", "--handshake",
                "tfo", "--transport", "native,netty", "--capacity", "--max-p99", "60s", "--results", dir.toString())) {
            assertEquals(0, load.awaitExit(), String.join("\n", load.lines()));
            String output = String.join("\n", load.lines());
            assertTrue(output.contains("# capacity: none native tfo: sustains ")
                    && output.contains("# capacity: none netty tfo: sustains "), output);
        }
        java.nio.file.Path folder;
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(dir)) {
            folder = s.filter(java.nio.file.Files::isDirectory).findFirst().orElseThrow();
        }
        com.google.gson.JsonObject summary = com.google.gson.JsonParser.parseString(java.nio.file.Files.readString(
                folder.resolve("load-summary.json"))).getAsJsonObject();
        com.google.gson.JsonArray capacity = summary.getAsJsonArray("capacity");
        assertEquals(2, capacity.size(), capacity.toString());
        for (com.google.gson.JsonElement e : capacity) {
            com.google.gson.JsonObject found = e.getAsJsonObject();
            String transport = found.get("transport").getAsString();
            int sustained = found.get("sustainedRate").getAsInt();
            int failed = found.get("failedRate").getAsInt();
            java.util.Map<Integer, Boolean> kept = new java.util.TreeMap<>();
            for (com.google.gson.JsonElement p : summary.getAsJsonArray("points")) {
                com.google.gson.JsonObject point = p.getAsJsonObject();
                if (point.get("transport").getAsString().equals(transport)) {
                    assertEquals(1.0, point.get("synDataAcked").getAsDouble(), point.toString());
                    assertTrue(point.getAsJsonObject("cpu").get("serverMicrosPerConnection").getAsDouble() > 0,
                            point.toString());
                    kept.put(point.get("targetRate").getAsInt(), point.get("keptSchedule").getAsBoolean()
                            && point.getAsJsonObject("errors").size() == 0);
                }
            }
            assertTrue(kept.size() > 1, "the search ran points beyond --rate: " + kept);
            if (sustained > 0) {
                assertEquals(Boolean.TRUE, kept.get(sustained), transport + " " + found + " " + kept);
            }
            if (failed > 0) {
                assertEquals(Boolean.FALSE, kept.get(failed), transport + " " + found + " " + kept);
                assertTrue(failed > sustained, found.toString());
            }
        }
    }

    @Test
    void loadSweepWritesARunFolderWithEveryPoint(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (JarTool load = JarTool.start(java.util.List.of(), java.util.List.of(), dir, "load", "--rate",
                "100,300/s", "--duration", "1s", "--warmup", "200ms", "--threads", "2", "--placement", "same-cpu",
                "--results", dir.toString(), "--label", "t")) {
            assertEquals(0, load.awaitExit(), String.join("\n", load.lines()));
            String output = String.join("\n", load.lines());
            assertTrue(output.contains("| same-cpu | native | cold | 100 |")
                    && output.contains("| same-cpu | native | tfo | 300 |"), output);
        }
        java.nio.file.Path folder;
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(dir)) {
            folder = s.filter(java.nio.file.Files::isDirectory).findFirst().orElseThrow();
        }
        assertTrue(folder.getFileName().toString().endsWith("-load-t"), folder.toString());
        com.google.gson.JsonObject summary = com.google.gson.JsonParser.parseString(java.nio.file.Files.readString(
                folder.resolve("load-summary.json"))).getAsJsonObject();
        assertEquals(4, summary.getAsJsonArray("points").size());
        for (com.google.gson.JsonElement e : summary.getAsJsonArray("points")) {
            com.google.gson.JsonObject point = e.getAsJsonObject();
            boolean tfo = point.get("handshake").getAsString().equals("tfo");
            assertEquals(tfo ? 1.0 : 0.0, point.get("synDataAcked").getAsDouble(), point.toString());
            assertEquals(point.get("scheduled").getAsLong(), point.get("completed").getAsLong(), point.toString());
            assertTrue(point.get("tcpTimeouts").getAsLong() >= 0, "retransmission timeouts recorded: " + point);
        }
        for (String name : java.util.List.of("environment.json", "load-summary.md", "load-same-cpu-native-cold-100.hlog",
                "load-same-cpu-native-tfo-300.hgrm")) {
            assertTrue(java.nio.file.Files.exists(folder.resolve(name)), name);
        }
    }

    @Test
    void serverRejectsPortOutOfRange() {
        Run run = run("server", "--port", "70000");
        assertEquals(2, run.status());
        assertEquals("server: --port must be between 0 and 65535, got 70000\n", run.err());
    }

    @Test
    void serverRejectsAMaxConnectionsBelowOne() {
        Run run = run("server", "--max-connections", "0");
        assertEquals(2, run.status());
        assertEquals("server: --max-connections must be between 1 and 1000000, got 0\n", run.err());
    }

    @Test
    void serverListeningBeyondLoopbackSaysSoWithItsBounds() throws Exception {
        try (JarTool server = JarTool.start("server", "--bind", "0.0.0.0", "--port", "0", "--threads", "3",
                "--max-connections", "50", "--idle-timeout", "7", "--request-timeout", "4", "--max-header-bytes",
                "512")) {
            server.awaitLine("listening on 0.0.0.0:");
            String warning = server.lines().stream().filter(l -> l.startsWith("server: warning:")).findFirst()
                    .orElseThrow(() -> new AssertionError("no warning in " + server.lines()));
            assertEquals("server: warning: listening on 0.0.0.0, reachable from outside this host; bounds: at most "
                    + "50 connections open, header block at most 512 bytes, a request complete within 4 s of its "
                    + "first byte (408 after), idle connections closed after 7 s", warning);
        }
    }

    @Test
    void serverOnLoopbackGivesNoWarning() throws Exception {
        try (JarTool server = JarTool.start("server", "--bind", Loopback.fresh().getAddress().getHostAddress(),
                "--port", "0")) {
            server.awaitLine("listening on ");
            assertTrue(server.lines().stream().noneMatch(l -> l.contains("warning")), server.lines().toString());
        }
    }

    @Test
    void serverStartedTwiceOnOnePortSaysAddressInUse() throws Exception {
        String address = Loopback.fresh().getAddress().getHostAddress();
        try (JarTool first = JarTool.start("server", "--bind", address, "--port", "0")) {
            String listening = first.awaitLine("listening on ");
            String port = listening.substring(listening.lastIndexOf(':') + 1).trim();
            Run run = run("server", "--bind", address, "--port", port);
            assertEquals(1, run.status());
            assertTrue(run.err().contains("EADDRINUSE"), run.err());
            assertEquals(1, run.err().lines().count(), run.err());
        }
    }

    @Test
    void probeAgainstAFastOpenServerOnIpv6LoopbackSeesSynDataAckedFromTheSecondRequest() throws Exception {
        // ::1 is this test JVM's only use of that address: the first connection finds no cookie.
        assertProbeOverIpv6("::1", "[::1]", Transport.NATIVE);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void probeOverIpv6SeesSynDataAckedFromTheSecondRequestOnEitherTransport(Transport transport) throws Exception {
        String address = tfobench.HostPort.format(Loopback.fresh(tfobench.AddressFamily.IPV6).getAddress());
        assertProbeOverIpv6(address, "[" + address + "]", transport);
    }

    private static void assertProbeOverIpv6(String bind, String shown, Transport transport) throws Exception {
        try (JarTool server = JarTool.start("server", "--tfo", "--transport", transport.label(), "--bind", bind,
                "--port", "0")) {
            String listening = server.awaitLine("listening on " + shown + ":");
            String target = listening.substring(listening.indexOf(shown)).trim();

            Run run = run("probe", "--handshake", "tfo", "--transport", transport.label(), "--count", "3", target);

            assertEquals(0, run.status(), run.out() + run.err());
            assertTrue(run.out().contains("* 1: Result: 2, SYN data: not sent: no cookie cached, cookie requested,"),
                    run.out());
            assertTrue(run.out().contains("* 2: Result: 2, SYN data: acked,"), run.out());
            assertTrue(run.out().contains("* 3: Result: 2, SYN data: acked,"), run.out());
            assertTrue(run.out().contains("TCPFastOpenActive=2 "), run.out());
        }
    }

    @Test
    void probeWithALargerRequestSaysHowMuchOfItTheSynCarried() throws Exception {
        String address = Loopback.fresh().getAddress().getHostAddress();
        try (JarTool server = JarTool.start("server", "--tfo", "--bind", address, "--port", "0",
                "--max-header-bytes", "4096")) {
            String target = server.awaitLine("listening on ").substring("listening on ".length()).trim();

            Run run = run("probe", "--handshake", "tfo", "--count", "2", "--request-bytes", "3000", target);

            assertEquals(0, run.status(), run.out() + run.err());
            assertTrue(run.out().contains("> Padding: xxxxxxxxxx"), run.out());
            assertTrue(run.out().contains("* 2: Result: 2, SYN data: acked,"), run.out());
            // Loopback's MSS (65,483) holds all 3,000 bytes: the kernel says so.
            assertTrue(run.out().contains("* the SYN carries 3000 of the request's 3000 bytes"), run.out());
        }
    }

    @Test
    void probeRefusesARequestSizeThePaddingCannotMake() {
        Run run = run("probe", "--request-bytes", "85", "127.0.0.1:1");
        assertEquals(2, run.status());
        assertEquals("probe: --request-bytes: a request of 85 bytes cannot be made: this one is 79 bytes unpadded, and "
                + "a Padding header adds at least 11 (sizes 79 or from 90 on)\n", run.err());
    }
}
