package tfobench.report;

import org.apache.commons.math3.stat.inference.MannWhitneyUTest;

/**
 * One result against a reference, on their per-iteration medians (one value per measured iteration of every
 * fork, so the unit of replication is an iteration, not an operation): the ratio of medians with a bootstrap
 * confidence interval ({@link MedianRatioBootstrap}), a two-sided Mann-Whitney U test (commons-math3, normal
 * approximation), and a verdict that is {@code ~} unless p &lt; {@value #ALPHA} and the interval excludes 1.
 *
 * @param ratio  median(other) / median(reference) of the per-iteration medians
 * @param ciLow  lower end of the 95% interval of the ratio (NaN when not tested)
 * @param ciHigh upper end (NaN when not tested)
 * @param pValue Mann-Whitney U two-sided p (NaN when not tested)
 */
public record IterationComparison(double ratio, double ciLow, double ciHigh, double pValue, Verdict verdict) {
    static final double ALPHA = 0.05;
    static final int MIN_ITERATIONS = 3;

    /** Compares {@code other} against {@code reference}; both are per-iteration medians, at least one each. */
    public static IterationComparison of(double[] reference, double[] other) {
        if (reference.length == 0 || other.length == 0) {
            throw new IllegalArgumentException("no iterations to compare");
        }
        double ratio = Median.of(other) / Median.of(reference);
        if (reference.length < MIN_ITERATIONS || other.length < MIN_ITERATIONS) {
            return new IterationComparison(ratio, Double.NaN, Double.NaN, Double.NaN, Verdict.NOT_TESTED);
        }
        double[] interval = MedianRatioBootstrap.interval(reference, other);
        double p = new MannWhitneyUTest().mannWhitneyUTest(reference, other);
        Verdict verdict = Verdict.WITHIN_NOISE;
        if (p < ALPHA && interval[1] < 1.0) {
            verdict = Verdict.FASTER;
        } else if (p < ALPHA && interval[0] > 1.0) {
            verdict = Verdict.SLOWER;
        }
        return new IterationComparison(ratio, interval[0], interval[1], p, verdict);
    }
}
