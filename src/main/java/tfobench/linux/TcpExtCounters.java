package tfobench.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of the {@code TcpExt} counters in {@code /proc/net/netstat} (per network namespace), to subtract
 * from a later one. In a private namespace the deltas belong to the benchmark alone.
 */
public final class TcpExtCounters {
    public static final Path PATH = Path.of("/proc/net/netstat");

    /** The fast open counters, in the order reports show them. */
    public static final List<String> FAST_OPEN = List.of(
            "TCPFastOpenActive", "TCPFastOpenActiveFail", "TCPFastOpenPassive", "TCPFastOpenPassiveFail",
            "TCPFastOpenCookieReqd", "TCPFastOpenListenOverflow", "TCPFastOpenPassiveAltKey",
            "TCPFastOpenBlackhole");

    /**
     * Counters of the tail's causes, recorded per iteration beside the fast open ones: retransmission timeouts (either
     * end), retransmitted SYNs, and TIME_WAIT sockets the kernel could not keep because {@code tcp_max_tw_buckets}
     * was reached (those connections skip TIME_WAIT, which changes what their close costs).
     */
    public static final List<String> TAIL = List.of(TcpExtCounters.TIMEOUTS, "TCPSynRetrans", "TCPTimeWaitOverflow");

    /**
     * Retransmission timeouts. On loopback nothing is lost, so in a fast open result each one is the server
     * resending data its client dropped in SYN-SENT (docs/FINDINGS-TFO-DATA-BEFORE-SYNACK.md), and each costs an
     * operation at least TCP_RTO_MIN (200 ms).
     */
    public static final String TIMEOUTS = "TCPTimeouts";

    private final Map<String, Long> values;

    private TcpExtCounters(Map<String, Long> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** The counters of the process's namespace ({@code /proc/net}: its main thread's). */
    public static TcpExtCounters read() throws IOException {
        return parse(Files.readString(PATH, StandardCharsets.US_ASCII));
    }

    /** The counters of the namespace whose {@code /proc/.../net} directory this is (see {@link NetworkNamespace}). */
    public static TcpExtCounters read(Path procNet) throws IOException {
        return parse(Files.readString(procNet.resolve("netstat"), StandardCharsets.US_ASCII));
    }

    /** Parses the two-line-per-group format: a {@code TcpExt:} line of names, then one of values. */
    static TcpExtCounters parse(String netstat) throws IOException {
        String[] lines = netstat.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("TcpExt:") && lines[i + 1].startsWith("TcpExt:")) {
                String[] names = lines[i].trim().split("\\s+");
                String[] numbers = lines[i + 1].trim().split("\\s+");
                if (names.length != numbers.length) {
                    throw new IOException(PATH + ": TcpExt has " + (names.length - 1) + " names but "
                            + (numbers.length - 1) + " values");
                }
                Map<String, Long> values = new LinkedHashMap<>();
                for (int k = 1; k < names.length; k++) {
                    values.put(names[k], Long.parseLong(numbers[k]));
                }
                return new TcpExtCounters(values);
            }
        }
        throw new IOException(PATH + " has no TcpExt section");
    }

    /** The counter's value, or 0 if this kernel does not have it. */
    public long get(String name) {
        return values.getOrDefault(name, 0L);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** This snapshot minus an earlier one, counter by counter. */
    public TcpExtCounters minus(TcpExtCounters earlier) {
        Map<String, Long> delta = new LinkedHashMap<>();
        values.forEach((name, value) -> delta.put(name, value - earlier.get(name)));
        return new TcpExtCounters(delta);
    }

    /** This snapshot plus another (of another namespace), counter by counter. */
    public TcpExtCounters plus(TcpExtCounters other) {
        Map<String, Long> sum = new LinkedHashMap<>(values);
        other.values.forEach((name, value) -> sum.merge(name, value, Long::sum));
        return new TcpExtCounters(sum);
    }

    /** Counters from elsewhere (a file the run wrote). */
    public static TcpExtCounters of(Map<String, Long> values) {
        return new TcpExtCounters(new LinkedHashMap<>(values));
    }

    /** No counters: the sum of none. */
    public static TcpExtCounters empty() {
        return new TcpExtCounters(new LinkedHashMap<>());
    }

    public Map<String, Long> asMap() {
        return values;
    }

    /** The fast open counters only, in {@link #FAST_OPEN} order, leaving out those the kernel lacks. */
    public Map<String, Long> fastOpen() {
        return selected(FAST_OPEN);
    }

    /** The {@link #TAIL} counters, leaving out those the kernel lacks. */
    public Map<String, Long> tail() {
        return selected(TAIL);
    }

    private Map<String, Long> selected(List<String> names) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String name : names) {
            if (values.containsKey(name)) {
                out.put(name, values.get(name));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return fastOpen().toString();
    }
}
