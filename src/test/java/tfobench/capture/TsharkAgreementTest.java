package tfobench.capture;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tfobench.Transport;
import tfobench.testing.CaptureFixture;
import tfobench.testing.FastOpenNamespace;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wireshark's dissector, the reference engineers trust, reads the file the capture step writes and must see
 * what the project's decoder sees, frame by frame: flags, MSS, option kinds, fast open cookie request and cookie,
 * payload length, raw sequence and acknowledgment numbers. And the three handshakes the issue names are there
 * as tshark's display filters find them.
 */
class TsharkAgreementTest {
    private static final String FIELDS = "frame.number,tcp.flags,tcp.len,tcp.options.mss_val,tcp.option_kind,"
            + "tcp.options.tfo.request,tcp.options.tfo.cookie,tcp.seq_raw,tcp.ack_raw";

    @BeforeAll
    static void namespaceAndTools() {
        FastOpenNamespace.require();
        CaptureFixture.requireDumpcap();
        if (which("tshark") == null) {
            throw new AssertionError("tshark not found on PATH: apt-get install tshark (.ci/run installs it)");
        }
    }

    @Test
    void tsharkAgreesWithTheDecoderOnEveryFrame(@TempDir Path dir) throws Exception {
        List<HandshakeCapture.Block> blocks = HandshakeCapture.everyScenario(List.of(Transport.values()), 0);
        Path file = dir.resolve("capture.pcapng");
        HandshakeCapture.Result result = HandshakeCapture.run(blocks, 1, file, dir.resolve("capture.json"));
        assertEquals(List.of(), result.problems());

        List<String> fromTshark = tshark(file, "tcp", FIELDS.split(","));
        List<String> ours = new ArrayList<>();
        for (Frame f : CaptureFile.read(file)) {
            TcpSegment.decode(f).ifPresent(s -> ours.add(row(s)));
        }
        assertTrue(ours.size() > 40, "frames decoded: " + ours.size());
        assertEquals(fromTshark, ours);

        // the done-when of the issue, in tshark's own words
        assertTrue(count(file, "tcp.flags.syn==1 && tcp.flags.ack==0 && tcp.len==79 && tcp.options.tfo.cookie")
                >= 4, "fast open SYNs with the 79-byte request and a cookie (tfo, tfo-connect; both transports)");
        assertEquals(2, count(file, "tcp.flags.syn==1 && tcp.flags.ack==0 && tcp.options.tfo.request "
                + "&& tcp.len==0"), "cookie-request SYNs without data, one per transport");
        assertTrue(count(file, "tcp.flags.syn==1 && tcp.flags.ack==0 && !tcp.options.tfo") >= 4,
                "cold and keep-alive SYNs without the option");
    }

    /** One frame as tshark prints these fields with {@code -E separator=|}. */
    private static String row(TcpSegment s) {
        String mss = s.options().stream().filter(o -> o.mss() >= 0).map(o -> String.valueOf(o.mss()))
                .collect(Collectors.joining(","));
        String kinds = s.options().stream().map(o -> String.valueOf(o.kind())).collect(Collectors.joining(","));
        String request = s.fastOpen().filter(TcpOption::fastOpenCookieRequest).map(o -> "1").orElse("");
        String cookie = s.fastOpen().map(TcpOption::fastOpenCookieHex).orElse("");
        return String.join("|", String.valueOf(s.frame()), String.format(Locale.ROOT, "0x%04x", s.flags()),
                String.valueOf(s.payloadLength()), mss, kinds, request, cookie, String.valueOf(s.sequence()),
                String.valueOf(s.has(TcpSegment.ACK) ? s.acknowledgment() : 0));
    }

    private static long count(Path file, String filter) throws Exception {
        return tshark(file, filter, "frame.number").size();
    }

    private static List<String> tshark(Path file, String filter, String... fields) throws Exception {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-Y", filter, "-T",
                "fields", "-E", "separator=|"));
        for (String f : fields) {
            command.add("-e");
            command.add(f);
        }
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "tshark failed on " + filter);
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    private static String which(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (java.nio.file.Files.isExecutable(Path.of(dir, tool))) {
                return dir;
            }
        }
        return null;
    }

}
