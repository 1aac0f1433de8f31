package tfobench.report;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A result's proof of what it measured: the evidence profiler's secondary metrics, over all measured iterations
 * and forks. Fractions are averages over iterations; counts are sums. A metric the result lacks is null (the run
 * did not use the launcher, or is older than the metric).
 *
 * @param synDataAcked    fraction of operations whose request went in the SYN and was acknowledged
 * @param fallback        fraction that tried fast open and were not acknowledged
 * @param cookieRequested fraction whose SYN carried a cookie request
 * @param ops             operations whose evidence was read
 * @param tcpExt          kernel counter deltas by name (without the {@code tcpext.} prefix), summed: the
 *                        {@code TCPFastOpen*} ones, and since they were recorded {@code TCPTimeouts},
 *                        {@code TCPSynRetrans}, {@code TCPTimeWaitOverflow}
 * @param retransmitted   operations that waited for a retransmission ({@code tcp.retransmitted}), summed
 * @param timeWait        TIME_WAIT sockets at the end of an iteration, averaged over iterations ({@code tcp.timeWait})
 * @param freshNamespace  share of iterations whose trial ran in a fresh network namespace ({@code netns.fresh})
 * @param synDataBytes    for fast open results: how many bytes of the request the SYN carried (null: not measured)
 * @param requestBytes    the request's size, beside {@code synDataBytes}
 */
public record Evidence(Double synDataAcked, Double fallback, Double cookieRequested, Double ops,
                       Map<String, Double> tcpExt, Double retransmitted, Double timeWait, Double freshNamespace,
                       Double synDataBytes, Double requestBytes) {

    /** The kernel's count of blackhole detections (see {@code tfobench.linux.FastOpenBlackhole}). */
    static final String BLACKHOLE_COUNTER = "TCPFastOpenBlackhole";

    public static final Evidence NONE = new Evidence(null, null, null, null, Map.of(), null, null, null, null, null);

    /** The fast open evidence alone, as results recorded before the other metrics existed carry it. */
    public Evidence(Double synDataAcked, Double fallback, Double cookieRequested, Double ops,
                    Map<String, Double> tcpExt) {
        this(synDataAcked, fallback, cookieRequested, ops, tcpExt, null, null, null, null, null);
    }

    public Evidence {
        tcpExt = Collections.unmodifiableMap(new TreeMap<>(tcpExt));
    }

    /**
     * "K of N bytes" when the SYN carried only part of the request (one segment of a larger one), else null: an
     * "acked" next to such a result covers its first K bytes only.
     */
    public String partialSynData() {
        if (synDataBytes == null || requestBytes == null || synDataBytes >= requestBytes) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "%.0f of %.0f bytes", synDataBytes, requestBytes);
    }

    /** The handshakes whose results claim data went in the SYN. */
    static boolean claimsFastOpen(BenchmarkId id) {
        String handshake = id.param("handshake");
        return "tfo".equals(handshake) || "tfo-connect".equals(handshake);
    }

    /** Whether this result may be presented as what its parameters say. */
    public FastOpenCheck check(BenchmarkId id) {
        if (!claimsFastOpen(id)) {
            return FastOpenCheck.NOT_CLAIMED;
        }
        if (synDataAcked == null) {
            return FastOpenCheck.NO_EVIDENCE;
        }
        if (tcpExt.getOrDefault(BLACKHOLE_COUNTER, 0.0) > 0) {
            return FastOpenCheck.BLACKHOLE;
        }
        boolean fellBack = synDataAcked < 1.0 || (fallback != null && fallback > 0.0);
        return fellBack ? FastOpenCheck.FALLBACK : FastOpenCheck.CONFIRMED;
    }
}
