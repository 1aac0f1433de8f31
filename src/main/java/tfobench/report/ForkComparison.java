package tfobench.report;

import tfobench.stats.ExactRankSum;
import tfobench.stats.ShiftInterval;

/**
 * One result against another, fork by fork: each fork's median over all its operations is one replicate (see
 * {@link LatencyData#forkMediansMicros()}). The p-value is the exact two-sided rank-sum test on the fork medians,
 * the estimate and its 95% interval the Hodges-Lehmann shift that belongs to it (a ratio for runs compared with each
 * other, a difference in microseconds for savings within a run). Whether the difference earns a verdict is decided
 * for the whole table at once ({@link VerdictFamily}: Holm).
 *
 * @param kind       what the interval measures
 * @param interval   the shift of {@code other} from {@code reference}: a ratio or a saving in microseconds
 * @param pValue     exact two-sided p
 * @param smallestP  the smallest p the two fork counts could give at all: a design that cannot go below the level
 *                   can never earn a verdict
 * @param referenceForks forks of the reference
 * @param otherForks forks of the other result
 */
public record ForkComparison(Kind kind, ShiftInterval interval, double pValue, double smallestP, int referenceForks,
                             int otherForks) {
    /** What a comparison's interval is about. */
    public enum Kind {
        /** {@code other / reference}: below 1 means other is faster. */
        RATIO,
        /** {@code reference - other} in microseconds: above 0 means other is faster (it saves time). */
        SAVING
    }

    /** Family-wise significance level of every table. */
    public static final double ALPHA = 0.05;
    /** Coverage of the intervals shown. */
    public static final double CONFIDENCE = 0.95;

    /** {@code other / reference} of the fork medians. */
    public static ForkComparison ratio(LatencyData reference, LatencyData other) {
        double[] a = reference.forkMediansMicros();
        double[] b = other.forkMediansMicros();
        return new ForkComparison(Kind.RATIO, ShiftInterval.ofRatio(a, b, CONFIDENCE), ExactRankSum.twoSidedP(a, b),
                ExactRankSum.smallestP(a.length, b.length), a.length, b.length);
    }

    /** {@code reference - other} of the fork medians, microseconds: what {@code other} saves. */
    public static ForkComparison saving(LatencyData reference, LatencyData other) {
        double[] a = other.forkMediansMicros();
        double[] b = reference.forkMediansMicros();
        return new ForkComparison(Kind.SAVING, ShiftInterval.ofDifference(a, b, CONFIDENCE),
                ExactRankSum.twoSidedP(a, b), ExactRankSum.smallestP(a.length, b.length), b.length, a.length);
    }

    /** True when the estimate says {@code other} takes less time than {@code reference}. */
    public boolean otherFaster() {
        return kind == Kind.RATIO ? interval.estimate() < 1 : interval.estimate() > 0;
    }

    /** Both sides have latencies to compare. */
    static boolean possible(LatencyData reference, LatencyData other) {
        return !reference.isEmpty() && !other.isEmpty();
    }
}
