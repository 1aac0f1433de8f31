package tfobench.load;

import org.HdrHistogram.Histogram;
import tfobench.client.SynData;
import tfobench.linux.TcpExtCounters;

import java.util.Map;

/**
 * What one open-loop point measured.
 *
 * @param point          what was asked
 * @param scheduled      measured connections in the schedule
 * @param completed      measured connections that got their answer
 * @param errors         measured connections that failed (connect, timeout, wrong answer), by message
 * @param notStarted     measured connections never started because the schedule could not be kept in time
 * @param elapsedSeconds from the first measured intended start to the last measured completion
 * @param response       latency from each connection's intended start to its parsed response (ns): what a
 *                       user arriving on schedule waits, including the generator falling behind
 * @param service        latency from actual start to response (ns): what a closed loop would report
 * @param startLag       actual start minus intended start (ns): the generator's own lateness
 * @param outcomes       SYN-data evidence per measured connection
 * @param counters       TcpExt deltas over the measured window
 * @param retransmitted  measured connections that waited for a retransmission (client {@code TCP_INFO})
 * @param cpu            CPU used in the measured window by the server's and the generator's threads, or null
 */
public record LoadResult(LoadPoint point, long scheduled, long completed, Map<String, Long> errors,
                         long notStarted, double elapsedSeconds, Histogram response, Histogram service,
                         Histogram startLag, Map<SynData, Long> outcomes, TcpExtCounters counters,
                         long retransmitted, LoadCpu cpu) {

    /** Below this share of the target rate, the point did not keep its schedule. */
    public static final double KEPT_SCHEDULE_SHARE = 0.95;
    /** The least start lag that counts as behind schedule, whatever the rate. */
    public static final long MIN_LAG_LIMIT_NANOS = 1_000_000;

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Completed connections per second over the measured window. */
    public double achievedRate() {
        return elapsedSeconds <= 0 ? 0 : completed / elapsedSeconds;
    }

    /**
     * How late the median connection may start before the schedule counts as not kept: 1 ms, or one interval between
     * connections at rates below 1,000/s. Later than that, half the connections ran on a schedule of the
     * generator's making, not the one asked for (the rate may still be met by catching up in bursts).
     */
    public long startLagLimitNanos() {
        return Math.max(MIN_LAG_LIMIT_NANOS, Math.round(point.intervalNanos()));
    }

    /** Median start lag: how late the median connection started after its intended time (ns). */
    public long startLagMedianNanos() {
        return startLag.getTotalCount() == 0 ? 0 : startLag.getValueAtPercentile(50);
    }

    /** True when the median connection started later than {@link #startLagLimitNanos()}. */
    public boolean lagged() {
        return startLagMedianNanos() > startLagLimitNanos();
    }

    /**
     * False when the generator fell behind: connections never started, the achieved rate below 95%, or the median
     * connection started late ({@link #lagged()}).
     */
    public boolean keptSchedule() {
        return notStarted == 0 && achievedRate() >= KEPT_SCHEDULE_SHARE * point.ratePerSecond() && !lagged();
    }

    public double synDataAckedShare() {
        return completed == 0 ? 0 : (double) outcomes.getOrDefault(SynData.ACKED, 0L) / completed;
    }

    /** Fast open tried and not acknowledged. */
    public long fallbacks() {
        return outcomes.getOrDefault(SynData.NOT_ACKED, 0L) + outcomes.getOrDefault(SynData.SYN_RETRANSMITTED, 0L)
                + outcomes.getOrDefault(SynData.FALLBACK_UNEXPLAINED, 0L)
                + (point.handshake().fastOpen() ? outcomes.getOrDefault(SynData.COOKIE_REQUESTED, 0L) : 0L);
    }

    /** True when the evidence contradicts the handshake's name (and fallback was not allowed for fast open). */
    public boolean evidenceContradicts() {
        if (point.handshake().fastOpen()) {
            return !point.allowFallback() && fallbacks() > 0;
        }
        return outcomes.getOrDefault(SynData.ACKED, 0L) > 0;
    }
}
