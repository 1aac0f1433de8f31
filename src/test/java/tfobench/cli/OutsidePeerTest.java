package tfobench.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tfobench.Transport;
import tfobench.testing.CPeers;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.JarTool;
import tfobench.testing.Loopback;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interoperability with peers written in C from docs/PROTOCOL.md alone: the standalone server takes a C client's
 * request from the SYN, and the probe gets its SYN data acked by a C fast open server.
 */
class OutsidePeerTest {

    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    @ParameterizedTest(name = "{0} server")
    @EnumSource(Transport.class)
    void standaloneTfoServerAcceptsSynDataFromCClient(Transport transport) throws Exception {
        String address = Loopback.fresh().getAddress().getHostAddress();
        try (JarTool server = JarTool.start("server", "--tfo", "--transport", transport.label(), "--bind", address,
                "--port", "0")) {
            String listening = server.awaitLine("listening on ");
            String port = listening.substring(listening.lastIndexOf(':') + 1).trim();
            Process client = new ProcessBuilder(CPeers.binary("tfo_peer_client").toString(), address, port, "3")
                    .redirectErrorStream(true).start();
            List<String> lines = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.US_ASCII)).lines().collect(Collectors.toList());
            assertTrue(client.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, client.exitValue(), lines.toString());
            assertEquals(List.of(
                    "MATH/1.1 200 OK | Result: 2 | syn-data not-acked", // first connection: cookie requested
                    "MATH/1.1 200 OK | Result: 2 | syn-data acked",
                    "MATH/1.1 200 OK | Result: 2 | syn-data acked"), lines);
        }
    }

    @ParameterizedTest(name = "{0} probe")
    @EnumSource(Transport.class)
    void probeReportsAckedAgainstCTfoServerFromTheSecondRequestOn(Transport transport) throws Exception {
        String address = Loopback.fresh().getAddress().getHostAddress();
        Process server = new ProcessBuilder(CPeers.binary("tfo_peer_server").toString(), address, "3")
                .redirectErrorStream(true).start();
        try {
            BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.US_ASCII));
            String port = serverOut.readLine().replace("port ", "").trim();

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Main.runTool("probe", new String[] {"--handshake", "tfo", "--transport", transport.label(),
                "--count", "3", address + ":" + port}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String printed = out.toString(StandardCharsets.UTF_8);

            assertEquals(0, status, printed + err.toString(StandardCharsets.UTF_8));
            assertTrue(printed.contains("< MATH/1.1 200 OK\n< Result: 2\n"), printed);
            assertTrue(printed.contains("* 1: Result: 2, SYN data: not sent: no cookie cached, cookie requested"),
                    printed);
            assertTrue(printed.contains("* 2: Result: 2, SYN data: acked,"), printed);
            assertTrue(printed.contains("* 3: Result: 2, SYN data: acked,"), printed);
            assertTrue(printed.contains("* 3 requests, 2 with SYN data acked, 0 wrong answers"), printed);
            // The C server saw the same from its side.
            assertEquals(List.of("syn-data none", "syn-data acked", "syn-data acked"),
                    List.of(serverOut.readLine(), serverOut.readLine(), serverOut.readLine()));
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
