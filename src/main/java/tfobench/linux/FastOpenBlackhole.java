package tfobench.linux;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kernel's fast open blackhole detection in this network namespace (net/ipv4/tcp_fastopen.c, Linux 4.12+).
 * When a connection that sent data in its SYN (or got it acknowledged) times out a third time in a row, or gives up
 * earlier, {@code tcp_fastopen_active_detect_blackhole} calls {@code tcp_fastopen_active_disable}: if
 * {@code net.ipv4.tcp_fastopen_blackhole_timeout_sec} is not 0 it counts {@code TCPFastOpenBlackhole} and from then
 * on {@code tcp_fastopen_active_should_disable} turns every client fast open in the namespace into a plain SYN,
 * with no cookie request and no reason in {@code tcpi_fastopen_client_fail}, for the timeout times 2^(n-1) after
 * the n-th detection (at most 64 times). An out-of-order FIN or RST on a fast open connection that received no data
 * also counts as a detection. It ends early when the sysctl is written (any write resets the count of detections,
 * {@code proc_tfo_blackhole_detect_timeout}; 0 also turns detection off), or when a fast open connection made after
 * the period expired receives data over a device other than loopback. The default is 0 (off) since 5.14 (and stable
 * backports), 3600 before. {@code TCPFastOpenBlackhole} is never reset: it counts every detection since the
 * namespace was made.
 *
 * <p>{@link #read()} tells from the sysctl and the counter alone when it cannot be active; {@link #probe()} settles
 * the remaining case with one fast open connection to a listener on a never-used loopback address: the kernel asks
 * that listener for a cookie unless fast open is disabled.
 *
 * @param timeoutSeconds the sysctl's value, or -1 where the kernel has no blackhole detection
 * @param detections     {@code TCPFastOpenBlackhole} in this namespace (how often detection fired here)
 * @param state          whether fast open is disabled now
 * @param evidence       how {@code state} was decided
 */
public record FastOpenBlackhole(int timeoutSeconds, long detections, State state, String evidence) {
    public static final Path TIMEOUT = Path.of("/proc/sys/net/ipv4/tcp_fastopen_blackhole_timeout_sec");
    public static final String COUNTER = "TCPFastOpenBlackhole";
    /** The default before 5.14: an hour. */
    public static final int OLD_DEFAULT_SECONDS = 3600;
    /** What ends it at once, in a namespace of one's own. */
    public static final String FIX = "sysctl -w net.ipv4.tcp_fastopen_blackhole_timeout_sec=0 ends it at once (and "
            + "turns detection off; writing any value resets it)";

    /** Whether client fast open is disabled in this namespace now. */
    public enum State {
        ACTIVE, INACTIVE, UNKNOWN
    }

    /** The sysctl and the counter: INACTIVE when they prove it, otherwise UNKNOWN (see {@link #probe()}). */
    public static FastOpenBlackhole read() throws IOException {
        long detections = TcpExtCounters.read().get(COUNTER);
        if (!Files.exists(TIMEOUT)) {
            return new FastOpenBlackhole(-1, detections, State.INACTIVE,
                    "this kernel has no fast open blackhole detection (no tcp_fastopen_blackhole_timeout_sec)");
        }
        int timeout = Integer.parseInt(ProcFs.readSysctl(TIMEOUT));
        if (timeout == 0) {
            return new FastOpenBlackhole(0, detections, State.INACTIVE,
                    "tcp_fastopen_blackhole_timeout_sec=0: detection off");
        }
        if (detections == 0) {
            return new FastOpenBlackhole(timeout, 0, State.INACTIVE, "detection never fired in this namespace ("
                    + COUNTER + " 0)");
        }
        return new FastOpenBlackhole(timeout, detections, State.UNKNOWN, "detection fired " + detections
                + " time(s) in this namespace; whether its period is over is not readable");
    }

    /**
     * {@link #read()}, and where that cannot tell: one fast open {@code sendto} to a listener on a loopback address
     * this namespace never used. A cookie request in its SYN ({@code tcpi_fastopen_client_fail} = cookie
     * unavailable, or {@code TCPFastOpenCookieReqd} +1) means fast open is on; a plain SYN, with the kernel giving
     * no reason, means blackhole detection disabled it.
     */
    public static FastOpenBlackhole probe() throws IOException {
        FastOpenBlackhole known = read();
        if (known.state != State.UNKNOWN) {
            return known;
        }
        if (!FastOpenSysctl.read().clientEnabled()) {
            return new FastOpenBlackhole(known.timeoutSeconds, known.detections, State.UNKNOWN,
                    known.evidence + "; not probed: client fast open is off (net.ipv4.tcp_fastopen lacks 0x1)");
        }
        InetAddress fresh = UnusedLoopbackAddresses.nextNow();
        try (RawListener listener = RawListener.open(fresh, 16, 8)) {
            TcpExtCounters before = TcpExtCounters.read();
            boolean cookieRequested;
            int fail;
            try (ProbeSocket client = ProbeSocket.fastOpen(listener.address(), new byte[] {'?'}, true,
                    Duration.ofSeconds(5))) {
                if (client.sendError() != null) {
                    throw client.sendError();
                }
                TcpInfo info = client.info();
                fail = info.fastopenClientFail();
                cookieRequested = fail == TcpInfo.TFO_COOKIE_UNAVAILABLE || info.synDataAcked()
                        || TcpExtCounters.read().minus(before).get("TCPFastOpenCookieReqd") > 0;
            }
            listener.drain();
            String how = "a fast open connect to a never-used address (" + fresh.getHostAddress() + ") ";
            return cookieRequested
                    ? new FastOpenBlackhole(known.timeoutSeconds, known.detections, State.INACTIVE,
                            known.evidence + "; " + how + "requested a cookie: fast open is on")
                    : new FastOpenBlackhole(known.timeoutSeconds, known.detections, State.ACTIVE,
                            known.evidence + "; " + how + "sent a plain SYN, no cookie request, and the kernel gave "
                                    + "no reason (tcpi_fastopen_client_fail " + fail + "): fast open is disabled");
        }
    }

    public boolean active() {
        return state == State.ACTIVE;
    }

    /** One line for the preflight: the sysctl, the counter and the state. */
    public String describe() {
        String setting = timeoutSeconds < 0 ? "no detection in this kernel"
                : "tcp_fastopen_blackhole_timeout_sec=" + timeoutSeconds
                        + (timeoutSeconds == 0 ? " (detection off)" : " (detection on)");
        String now = switch (state) {
            case ACTIVE -> "ACTIVE: client fast open is disabled in this namespace";
            case INACTIVE -> "not active";
            case UNKNOWN -> "unknown";
        };
        return setting + "; " + COUNTER + " " + detections + "; " + now + " (" + evidence + ")";
    }

    /** The one line a tool prints when it refuses to measure fast open because of it. */
    public String refusal() {
        return "fast open is disabled in this network namespace by the kernel's blackhole detection (" + COUNTER
                + " " + detections + ", tcp_fastopen_blackhole_timeout_sec=" + timeoutSeconds + "): every fast open "
                + "connection here is a plain handshake, so no fast open numbers are reported; it lasts "
                + timeoutSeconds + " s times 2^(n-1) after the n-th detection; " + FIX;
    }

    /** For environment.json. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timeoutSeconds", timeoutSeconds < 0 ? "no blackhole detection in this kernel" : timeoutSeconds);
        m.put("detections", detections);
        m.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        m.put("evidence", evidence);
        return m;
    }
}
