package tfobench.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A connection as the seed capture shows it, one row per packet: frame number, time, direction, flags, options
 * and payload length.
 */
public final class Ladder {
    private Ladder() {
    }

    /**
     * @param frame   the frame's number in the capture file (what Wireshark shows in its No. column)
     * @param millis  milliseconds since the ladder's origin (the client's call, or the SYN)
     * @param toServer true for client to server
     */
    public record Row(int frame, double millis, boolean toServer, String flags, String options, int payload) {
        public String direction() {
            return toServer ? "client → server" : "server → client";
        }

        public String time() {
            return String.format(Locale.ROOT, "%.3f", millis);
        }
    }

    public static List<Row> rows(Connection c, long originNanos) {
        List<Row> rows = new ArrayList<>();
        for (TcpSegment s : c.segments()) {
            rows.add(new Row(s.frame(), (s.epochNanos() - originNanos) / 1e6, c.fromClient(s), s.flagNames(),
                    s.optionSummary(), s.payloadLength()));
        }
        return rows;
    }

    /** Plain text for a terminal, one line per packet, with a header line. */
    public static String text(List<Row> rows, String indent) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s%5s %10s  %-15s  %-12s %7s  %s%n", indent, "frame", "ms",
                "direction", "flags", "payload", "options"));
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "%s%5d %10s  %-15s  %-12s %7d  %s%n", indent, r.frame(), r.time(),
                    r.direction(), r.flags(), r.payload(), r.options()));
        }
        return out.toString();
    }
}
