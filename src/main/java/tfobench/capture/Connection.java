package tfobench.capture;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One TCP connection in a capture: the segments between the endpoint that sent the opening SYN (the client) and
 * the one it was sent to, from that SYN on. A new SYN on the same four addresses and ports with another initial
 * sequence number is a new connection (ports come back quickly with TIME_WAIT reuse); the same one again is a
 * retransmission. Segments of connections whose SYN was not captured are left out.
 */
public record Connection(InetSocketAddress client, InetSocketAddress server, List<TcpSegment> segments) {

    public Connection {
        segments = List.copyOf(segments);
    }

    /** The connections in capture order of their first SYN. */
    public static List<Connection> group(List<TcpSegment> all) {
        Map<String, List<TcpSegment>> open = new LinkedHashMap<>();
        List<List<TcpSegment>> connections = new ArrayList<>();
        for (TcpSegment s : all) {
            String key = key(s.source(), s.destination());
            List<TcpSegment> current = open.get(key);
            if (s.syn() && (current == null || current.get(0).sequence() != s.sequence()
                    || !current.get(0).source().equals(s.source()))) {
                current = new ArrayList<>();
                open.put(key, current);
                connections.add(current);
            }
            if (current != null) {
                current.add(s);
            }
        }
        List<Connection> out = new ArrayList<>();
        for (List<TcpSegment> c : connections) {
            out.add(new Connection(c.get(0).source(), c.get(0).destination(), c));
        }
        return out;
    }

    private static String key(InetSocketAddress a, InetSocketAddress b) {
        String x = a.getAddress().getHostAddress() + ":" + a.getPort();
        String y = b.getAddress().getHostAddress() + ":" + b.getPort();
        return x.compareTo(y) < 0 ? x + "|" + y : y + "|" + x;
    }

    public boolean fromClient(TcpSegment s) {
        return s.source().equals(client);
    }

    /** The opening SYN (the first one, when it was retransmitted). */
    public TcpSegment syn() {
        return segments.get(0);
    }

    /** How many times the client sent its SYN (1 unless it was retransmitted). */
    public int synsSent() {
        return (int) segments.stream().filter(s -> fromClient(s) && s.syn()).count();
    }

    /** The server's first SYN-ACK. */
    public Optional<TcpSegment> synAck() {
        return segments.stream().filter(s -> !fromClient(s) && s.synAck()).findFirst();
    }

    /** True when the SYN-ACK acknowledges the data the SYN carried (RFC 7413 section 4.2.2), not only the SYN. */
    public boolean synDataAcknowledged() {
        TcpSegment syn = syn();
        return syn.payloadLength() > 0 && synAck().map(a -> a.acknowledgment()
                == ((syn.sequence() + 1 + syn.payloadLength()) & 0xFFFFFFFFL)).orElse(false);
    }

    /** The client's segments that carry data (the SYN's data included), in order. */
    public List<TcpSegment> clientData() {
        return segments.stream().filter(s -> fromClient(s) && s.payloadLength() > 0).toList();
    }

    /** The first segment carrying the server's answer. */
    public Optional<TcpSegment> firstAnswer() {
        return segments.stream().filter(s -> !fromClient(s) && s.payloadLength() > 0).findFirst();
    }
}
