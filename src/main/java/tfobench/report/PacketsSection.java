package tfobench.report;

import tfobench.capture.CaptureFile;
import tfobench.capture.CaptureIndex;
import tfobench.capture.Connection;
import tfobench.capture.ExchangeMatch;
import tfobench.capture.Frame;
import tfobench.capture.HandshakeCapture;
import tfobench.capture.Ladder;
import tfobench.capture.PacketCheck;
import tfobench.capture.TcpOption;
import tfobench.capture.TcpSegment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * summary.md's "Packets" section, from the run folder's {@code capture.pcapng} and {@code capture.json} (written
 * by the launcher's capture step): per scenario, transport and RTT what the packets show against the client's
 * {@code TCP_INFO} and the TcpExt counters, then the ladder of each block's first connection, as the seed capture
 * shows one. Every disagreement is a problem: the report names it at the top and its tool exits non-zero.
 */
final class PacketsSection {
    static final String SKIPPED_FILE = CaptureIndex.SKIPPED_FILE;

    private final String markdown;
    private final List<String> problems;

    private PacketsSection(String markdown, List<String> problems) {
        this.markdown = markdown;
        this.problems = problems;
    }

    String markdown() {
        return markdown;
    }

    /** Disagreements between packets and the other evidence, one line each. */
    List<String> problems() {
        return problems;
    }

    static PacketsSection of(Path runDir) throws IOException {
        Path index = runDir.resolve(CaptureIndex.FILE);
        Path skipped = runDir.resolve(SKIPPED_FILE);
        if (!Files.exists(index)) {
            if (Files.exists(skipped)) {
                return new PacketsSection("## Packets\n\nNo capture: " + Files.readString(skipped,
                        StandardCharsets.UTF_8).trim() + "\n\n", List.of());
            }
            return new PacketsSection("", List.of());
        }
        CaptureIndex idx = CaptureIndex.read(index);
        Path file = runDir.resolve(String.valueOf(idx.facts().getOrDefault("file", HandshakeCapture.FILE)));
        List<Frame> frames;
        try {
            frames = CaptureFile.read(file);
        } catch (IOException e) {
            throw new RunFolderException(e.getMessage());
        }
        List<ExchangeMatch> matches = ExchangeMatch.match(frames, idx.exchanges());
        List<String> problems = PacketCheck.problems(matches, idx);
        return new PacketsSection(render(idx, file, frames, matches, problems), problems);
    }

    private static String render(CaptureIndex idx, Path file, List<Frame> frames, List<ExchangeMatch> matches,
                                 List<String> problems) throws IOException {
        StringBuilder out = new StringBuilder("## Packets\n\n");
        out.append("[`").append(file.getFileName()).append("`](").append(file.getFileName()).append(") (Wireshark, ")
                .append("or `tshark -r ").append(file.getFileName()).append("`): ").append(frames.size())
                .append(" frames, ").append(String.format(Locale.ROOT, "%.1f", Files.size(file) / 1024.0))
                .append(" KB, taken by ").append(idx.facts().getOrDefault("tool", "?")).append(" on `")
                .append(idx.facts().getOrDefault("interface", "?")).append("` after the measured iterations, with ")
                .append("the suite's servers and clients (")
                .append(idx.facts().getOrDefault("exchangesPerBlock", "?")).append(" exchanges per scenario, ")
                .append("transport and RTT; the step took ").append(idx.facts().getOrDefault("stepMillis", "?"))
                .append(" ms). `").append(CaptureIndex.FILE).append("` names every connection. Each is held to its ")
                .append("client's `TCP_INFO` and its scenario: a tfo SYN carries a cookie and the whole request and ")
                .append("the SYN-ACK acknowledges it; a cookie-request SYN carries the option without a cookie and no ")
                .append("data; a cold SYN carries no fast open option. `answer`: from the client's call to the first ")
                .append("byte of the answer on the wire, median over the connections.\n\n");
        if (problems.isEmpty()) {
            out.append("Packets, `TCP_INFO` and TcpExt agree for every captured connection.\n\n");
        } else {
            out.append("> **ERROR: the packets contradict the other evidence (").append(problems.size())
                    .append(")**\n");
            for (String p : problems) {
                out.append(">\n> - ").append(p).append('\n');
            }
            out.append('\n');
        }

        Map<String, List<ExchangeMatch>> blocks = new LinkedHashMap<>();
        for (ExchangeMatch m : matches) {
            blocks.computeIfAbsent(CaptureIndex.block(m.first()), k -> new ArrayList<>()).add(m);
        }
        MarkdownTable table = new MarkdownTable("scenario", "transport", "rtt ms", "connections", "requests",
                "SYN", "SYN-ACK", "answer", "TCP_INFO", "TcpExt", "agrees");
        for (Map.Entry<String, List<ExchangeMatch>> b : blocks.entrySet()) {
            List<ExchangeMatch> ms = b.getValue();
            ExchangeMatch first = ms.get(0);
            Optional<Connection> c = first.connection();
            int requests = ms.stream().mapToInt(m -> m.requests().size()).sum();
            boolean agrees = ms.stream().allMatch(m -> m.problems().isEmpty())
                    && problems.stream().noneMatch(p -> p.startsWith(b.getKey() + ":"));
            table.row(first.first().scenario(), first.first().transport(), String.valueOf(first.first().rttMillis()),
                    String.valueOf(ms.size()), String.valueOf(requests),
                    c.map(x -> PacketCheck.describeSyn(x.syn())).orElse("not captured"),
                    c.map(PacketsSection::describeSynAck).orElse("-"), answer(ms),
                    first.first().tcpInfo().description(), counters(idx.tcpExt().get(b.getKey())),
                    agrees ? "yes" : "**NO**");
        }
        out.append(table.render()).append('\n');

        out.append("### The first connection of each\n\n")
                .append("`ms` from the client's call (connect or sendto); frame numbers as Wireshark shows them.\n\n");
        for (Map.Entry<String, List<ExchangeMatch>> b : blocks.entrySet()) {
            ExchangeMatch m = b.getValue().get(0);
            out.append("#### ").append(m.first().scenario()).append(" · ").append(m.first().transport())
                    .append(m.first().rttMillis() > 0 ? " · rtt " + m.first().rttMillis() + " ms" : "")
                    .append(" (server ").append(m.first().server().getAddress().getHostAddress()).append(':')
                    .append(m.first().server().getPort()).append(")\n\n");
            if (m.connection().isEmpty()) {
                out.append("Not in the capture.\n\n");
                continue;
            }
            MarkdownTable ladder = new MarkdownTable("frame", "ms", "direction", "flags", "options", "payload");
            for (Ladder.Row r : Ladder.rows(m.connection().get(), m.origin())) {
                ladder.row(String.valueOf(r.frame()), r.time(), r.direction(), r.flags(), r.options(),
                        String.valueOf(r.payload()));
            }
            out.append(ladder.render()).append('\n');
        }
        return out.toString();
    }

    private static String describeSynAck(Connection c) {
        Optional<TcpSegment> synAck = c.synAck();
        if (synAck.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        synAck.get().fastOpen().filter(TcpOption::fastOpenCookie)
                .ifPresent(o -> parts.add("TFO cookie (" + o.fastOpenCookieBytes() + " bytes)"));
        if (c.syn().payloadLength() > 0) {
            parts.add(c.synDataAcknowledged() ? "acknowledges the SYN's data" : "does NOT acknowledge the SYN's data");
        }
        return parts.isEmpty() ? "plain" : String.join(", ", parts);
    }

    private static String answer(List<ExchangeMatch> ms) {
        double[] millis = ms.stream().map(ExchangeMatch::answerNanos).filter(Optional::isPresent)
                .mapToDouble(o -> o.get() / 1e6).toArray();
        if (millis.length == 0) {
            return "-";
        }
        Arrays.sort(millis);
        double median = millis.length % 2 == 1 ? millis[millis.length / 2]
                : (millis[millis.length / 2 - 1] + millis[millis.length / 2]) / 2;
        int rtt = ms.get(0).first().rttMillis();
        return String.format(Locale.ROOT, "%.3f ms", median)
                + (rtt > 0 ? String.format(Locale.ROOT, " (%.2f RTT)", median / rtt) : "");
    }

    private static String counters(Map<String, Long> delta) {
        if (delta == null) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        for (String name : List.of("TCPFastOpenActive", "TCPFastOpenPassive", "TCPFastOpenCookieReqd",
                "TCPFastOpenActiveFail")) {
            long v = delta.getOrDefault(name, 0L);
            if (v != 0) {
                parts.add(name.replace("TCPFastOpen", "") + " " + v);
            }
        }
        return parts.isEmpty() ? "no fast open" : String.join(", ", parts);
    }
}
