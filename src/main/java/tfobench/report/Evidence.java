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
 */
public record Evidence(Double synDataAcked, Double fallback, Double cookieRequested, Double ops,
                       Map<String, Double> tcpExt, Double retransmitted, Double timeWait, Double freshNamespace) {

    public static final Evidence NONE = new Evidence(null, null, null, null, Map.of(), null, null, null);

    /** The fast open evidence alone, as results recorded before the other metrics existed carry it. */
    public Evidence(Double synDataAcked, Double fallback, Double cookieRequested, Double ops,
                    Map<String, Double> tcpExt) {
        this(synDataAcked, fallback, cookieRequested, ops, tcpExt, null, null, null);
    }

    public Evidence {
        tcpExt = Collections.unmodifiableMap(new TreeMap<>(tcpExt));
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
        boolean fellBack = synDataAcked < 1.0 || (fallback != null && fallback > 0.0);
        return fellBack ? FastOpenCheck.FALLBACK : FastOpenCheck.CONFIRMED;
    }
}
