package tfobench.report;

import org.apache.commons.math3.stat.StatUtils;

/**
 * The median every comparison, check and report in tfo-bench uses: the middle value, or the mean of the two middle
 * values for an even count (commons-math3's 50th percentile, which interpolates exactly so).
 */
public final class Median {
    private Median() {
    }

    /** The median of a non-empty sample; the array is not changed. */
    public static double of(double[] values) {
        return StatUtils.percentile(values, 50);
    }
}
