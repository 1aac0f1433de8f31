package tfobench.capture;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A connection the suite made during a capture, with the packets found for it and what is wrong with them.
 * Connections are matched by the server address and port they went to, in the order they were made: the
 * k-th connection to an address is the k-th connection to it whose SYN is in the capture.
 *
 * @param requests   the requests made on it (one, or several for keep-alive)
 * @param connection its packets; empty when the capture holds no such connection
 * @param problems   disagreements between packets, {@code TCP_INFO} and scenario; empty when all agree
 */
public record ExchangeMatch(List<CapturedExchange> requests, Optional<Connection> connection, List<String> problems) {

    public CapturedExchange first() {
        return requests.get(0);
    }

    /** Time from the client's first call to the first byte of the answer in the capture, in nanoseconds. */
    public Optional<Long> answerNanos() {
        return connection.flatMap(Connection::firstAnswer).map(a -> a.epochNanos() - origin());
    }

    /**
     * Time from the client's SYN leaving it to the first byte of the answer, in nanoseconds: the round trips on the
     * wire, without the client's own work before its SYN (a Netty channel's setup takes milliseconds under
     * emulation). With netem delaying {@code lo} by rtt/2, every packet is captured as it leaves the delay, so the
     * SYN left rtt/2 before its capture.
     */
    public Optional<Long> wireAnswerNanos() {
        long oneWay = first().rttMillis() * 1_000_000L / 2;
        return connection.flatMap(c -> c.firstAnswer().map(a -> a.epochNanos() - (c.syn().epochNanos() - oneWay)));
    }

    /**
     * Where a ladder's clock starts: when the client started the request, if that was recorded and precedes the
     * SYN in the capture; otherwise the SYN itself.
     */
    public long origin() {
        long syn = connection.map(c -> c.syn().epochNanos()).orElse(0L);
        long started = first().startedEpochNanos();
        return started > 0 && started <= syn ? started : syn;
    }

    /** Matches every connection of {@code exchanges} to its packets and checks them. */
    public static List<ExchangeMatch> match(List<Frame> frames, List<CapturedExchange> exchanges) {
        List<TcpSegment> segments = new ArrayList<>();
        for (Frame f : frames) {
            TcpSegment.decode(f).ifPresent(segments::add);
        }
        List<Connection> captured = Connection.group(segments);
        Map<Integer, List<CapturedExchange>> byConnection = new LinkedHashMap<>();
        for (CapturedExchange e : exchanges) {
            byConnection.computeIfAbsent(e.connection(), k -> new ArrayList<>()).add(e);
        }
        Map<InetSocketAddress, Integer> usedPerServer = new LinkedHashMap<>();
        List<ExchangeMatch> out = new ArrayList<>();
        for (List<CapturedExchange> requests : byConnection.values()) {
            InetSocketAddress server = requests.get(0).server();
            int nth = usedPerServer.merge(server, 1, Integer::sum);
            Optional<Connection> connection = captured.stream().filter(c -> c.server().equals(server)).skip(nth - 1)
                    .findFirst();
            List<String> problems = connection.map(c -> PacketCheck.problems(c, requests))
                    .orElse(List.of("connection " + nth + " to " + server.getAddress().getHostAddress() + ":"
                            + server.getPort() + " is not in the capture"));
            out.add(new ExchangeMatch(List.copyOf(requests), connection, problems));
        }
        return out;
    }
}
