package tfobench.report;

import org.HdrHistogram.Histogram;

/**
 * How many of a result's operations saw a retransmission on their connection, and how much of its tail they make:
 * read from the evidence the run recorded per operation (the {@code retransmitted} intervals of the {@code .hlog}
 * logs: operations whose client {@code TCP_INFO} counted a retransmitted segment of its own, or a response segment
 * received more than once, i.e. resent by the server). A retransmission on loopback costs a retransmission timeout
 * (200 ms and more), so a handful of them decide the tail while leaving the median alone: a result whose tail holds
 * them measures the timeouts as much as the handshake. Use {@link #affectsTail()} to label such results.
 *
 * @param recorded            false when the logs predate the per-operation record (nothing else here is meaningful)
 * @param operations          all measured operations
 * @param retransmitted       operations that saw a retransmission
 * @param tailPercentile      where the tail starts (percentile of all operations)
 * @param tailThresholdMicros latency at {@code tailPercentile}
 * @param tailOperations      operations slower than the threshold
 * @param retransmittedInTail retransmitted operations among them
 * @param p99Micros           p99 of all operations
 * @param p99WithoutMicros    p99 of the operations that saw no retransmission
 */
public record RetransmittedOperations(boolean recorded, long operations, long retransmitted, double tailPercentile,
                                      double tailThresholdMicros, long tailOperations, long retransmittedInTail,
                                      double p99Micros, double p99WithoutMicros) {
    /** The tail is the slowest 0.1%: where a single retransmission timeout among a thousand operations lands. */
    public static final double TAIL_PERCENTILE = 99.9;

    static final RetransmittedOperations NOT_RECORDED = new RetransmittedOperations(false, 0, 0, TAIL_PERCENTILE,
            Double.NaN, 0, 0, Double.NaN, Double.NaN);

    public static RetransmittedOperations of(LatencyData latency) {
        Histogram subset = latency.retransmitted();
        if (subset == null || latency.isEmpty()) {
            return NOT_RECORDED;
        }
        Histogram all = latency.pooled();
        long threshold = all.getValueAtPercentile(TAIL_PERCENTILE);
        long above = all.nextNonEquivalentValue(threshold);
        long tail = all.getCountBetweenValues(above, Math.max(above, all.getMaxValue()));
        long tailRetransmitted = subset.getTotalCount() == 0 ? 0
                : subset.getCountBetweenValues(above, Math.max(above, subset.getMaxValue()));
        Histogram without = all.copy();
        without.subtract(subset);
        return new RetransmittedOperations(true, all.getTotalCount(), subset.getTotalCount(), TAIL_PERCENTILE,
                threshold / 1000.0, tail, tailRetransmitted, all.getValueAtPercentile(99) / 1000.0,
                without.getTotalCount() == 0 ? Double.NaN : without.getValueAtPercentile(99) / 1000.0);
    }

    public static RetransmittedOperations of(BenchmarkResult result) {
        return of(result.latency());
    }

    /** True when retransmitted operations are among the slowest 0.1%: the tail figures include their timeouts. */
    public boolean affectsTail() {
        return recorded && retransmittedInTail > 0;
    }

    /** Share of the tail's operations that were retransmitted, or NaN without a tail. */
    public double tailShare() {
        return tailOperations == 0 ? Double.NaN : (double) retransmittedInTail / tailOperations;
    }

    /** The table cell: {@code 0}, {@code 21 (18% of > p99.9)}, or a dash when not recorded. */
    public String label() {
        if (!recorded) {
            return Numbers.MISSING;
        }
        if (retransmitted == 0) {
            return "0";
        }
        String count = Numbers.count(retransmitted);
        return affectsTail() ? count + " (" + Numbers.percent(tailShare()) + " of > p99.9)" : count;
    }
}
