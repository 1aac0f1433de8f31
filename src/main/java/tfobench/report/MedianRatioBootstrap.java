package tfobench.report;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.StatUtils;

/**
 * Percentile bootstrap confidence interval for the ratio of two medians: each sample is resampled with
 * replacement, independently, {@value #RESAMPLES} times; the interval is the 2.5th and 97.5th percentiles of the
 * resampled ratios. Seeded, so the same input gives the same interval.
 */
final class MedianRatioBootstrap {
    static final int RESAMPLES = 10_000;
    static final double CONFIDENCE = 0.95;
    private static final long SEED = 20261125L;

    private MedianRatioBootstrap() {
    }

    /** {@code {low, high}} for {@code median(other) / median(base)}. Both samples must be non-empty. */
    static double[] interval(double[] base, double[] other) {
        RandomGenerator random = new Well19937c(SEED);
        double[] ratios = new double[RESAMPLES];
        double[] baseResample = new double[base.length];
        double[] otherResample = new double[other.length];
        for (int i = 0; i < RESAMPLES; i++) {
            resample(base, baseResample, random);
            resample(other, otherResample, random);
            ratios[i] = Median.of(otherResample) / Median.of(baseResample);
        }
        double tail = (1 - CONFIDENCE) / 2 * 100;
        return new double[] {StatUtils.percentile(ratios, tail), StatUtils.percentile(ratios, 100 - tail)};
    }

    private static void resample(double[] from, double[] into, RandomGenerator random) {
        for (int i = 0; i < into.length; i++) {
            into[i] = from[random.nextInt(from.length)];
        }
    }
}
