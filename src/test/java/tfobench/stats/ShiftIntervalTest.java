package tfobench.stats;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import tfobench.testing.Figures;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Known answers for the Hodges-Lehmann interval (checked against a brute-force enumeration in Python), and its
 * coverage on synthetic data: fork medians drawn from a log-normal distribution with a known ratio between the two
 * samples, as many times as it takes to see whether 95% intervals cover it 95% of the time.
 */
class ShiftIntervalTest {

    @Test
    void matchesTheTextbookExample() {
        double[] x = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
        double[] y = {1.15, 0.88, 0.90, 0.74, 1.21};

        ShiftInterval s = ShiftInterval.ofDifference(x, y, 0.95);

        assertEquals(-0.305, s.estimate(), 1e-9);
        assertEquals(-0.76, s.low(), 1e-9);
        assertEquals(0.15, s.high(), 1e-9);
        assertEquals(0.9600399600399601, s.confidence(), 1e-12);
    }

    @Test
    void fourAgainstFourReachesNinetySevenPercentWithTheExtremeDifferences() {
        ShiftInterval s = ShiftInterval.ofDifference(new double[] {1, 2, 3, 4}, new double[] {5, 6, 7, 8}, 0.95);

        assertEquals(4.0, s.estimate(), 1e-12);
        assertEquals(1.0, s.low(), 1e-12);
        assertEquals(7.0, s.high(), 1e-12);
        assertEquals(1 - 2.0 / 70, s.confidence(), 1e-12);
        assertFalse(s.unbounded());
    }

    @Test
    void threeAgainstThreeCannotReachNinetyFivePercent() {
        ShiftInterval s = ShiftInterval.ofRatio(new double[] {10, 11, 12}, new double[] {20, 21, 22}, 0.95);

        assertTrue(s.unbounded(), s.toString());
        assertEquals(20.0 / 11, s.estimate(), 0.15);
    }

    @Test
    void aRatioIsTheShiftOfTheLogarithms() {
        double[] a = {10, 11, 12, 13, 14, 15};
        double[] b = {9, 9.9, 10.8, 11.7, 12.6, 13.5};

        ShiftInterval s = ShiftInterval.ofRatio(a, b, 0.95);

        assertEquals(0.9, s.estimate(), 1e-9);
        assertTrue(s.low() < 0.9 && s.high() > 0.9, s.toString());
        assertTrue(s.high() > 1.0, "the two ranges overlap: six values a side cannot tell 0.9 from 1 here: " + s);
    }

    @Test
    void the95PercentIntervalCoversTheTrueRatioAtLeast95PercentOfTheTime() {
        // Six forks a side, fork-to-fork spread of 5% (as measured between forks here), true ratio 0.9.
        Well19937c random = new Well19937c(20261129L);
        int trials = 4000;
        int covered = 0;
        int coveredByIterationBootstrap = 0;
        for (int t = 0; t < trials; t++) {
            double[] a = new double[6];
            double[] b = new double[6];
            for (int i = 0; i < 6; i++) {
                a[i] = 25 * Math.exp(0.05 * random.nextGaussian());
                b[i] = 0.9 * 25 * Math.exp(0.05 * random.nextGaussian());
            }
            ShiftInterval s = ShiftInterval.ofRatio(a, b, 0.95);
            if (s.low() <= 0.9 && 0.9 <= s.high()) {
                covered++;
            }
        }
        double coverage = (double) covered / trials;
        Figures.record("shift-interval-coverage", String.format(Locale.ROOT,
                "6 vs 6 log-normal fork medians (sd 5%%), true ratio 0.9, %d trials: 95%% interval covered %.4f",
                trials, coverage));
        // Exact intervals are conservative: at least the nominal 0.95, here 1 - 2/924 * ... = 0.9589 by design.
        assertTrue(coverage >= 0.945, "coverage " + coverage);
        assertTrue(coverage <= 0.975, "coverage far above the guarantee means the interval is wrong: " + coverage);
    }

    @Test
    void rejectsRatiosOfNonPositiveValues() {
        try {
            ShiftInterval.ofRatio(new double[] {1, 0}, new double[] {1, 2}, 0.95);
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("positive"));
            return;
        }
        throw new AssertionError("a zero value was accepted for a ratio");
    }
}
