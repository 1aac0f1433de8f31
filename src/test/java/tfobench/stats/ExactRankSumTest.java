package tfobench.stats;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Known answers for the exact rank-sum test: values from SciPy 1.17 ({@code mannwhitneyu(..., method='exact')}) and
 * R's {@code wilcox.test} example (Hollander and Wolfe), and, with ties, a brute-force count of every split.
 */
class ExactRankSumTest {

    @Test
    void threeAgainstThreeCanNeverGoBelowOneTenth() {
        assertEquals(0.1, ExactRankSum.twoSidedP(new double[] {1, 2, 3}, new double[] {4, 5, 6}), 1e-12);
        assertEquals(0.1, ExactRankSum.twoSidedP(new double[] {100, 200, 300}, new double[] {1, 2, 3}), 1e-12);
        assertEquals(0.1, ExactRankSum.smallestP(3, 3), 1e-12);
    }

    @Test
    void completeSeparationGivesTwoOverTheNumberOfSplits() {
        assertEquals(2.0 / 70, ExactRankSum.twoSidedP(new double[] {1, 2, 3, 4}, new double[] {5, 6, 7, 8}), 1e-12);
        assertEquals(0.0021645021645021645, ExactRankSum.twoSidedP(new double[] {1, 2, 3, 4, 5, 6},
                new double[] {7, 8, 9, 10, 11, 12}), 1e-12);
        assertEquals(2.0 / 924, ExactRankSum.smallestP(6, 6), 1e-15);
        assertEquals(1.0, ExactRankSum.smallestP(1, 1));
        assertEquals(2.0 / 3, ExactRankSum.smallestP(2, 1), 1e-12);
    }

    @Test
    void matchesTheTextbookExampleOfHollanderAndWolfe() {
        double[] x = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
        double[] y = {1.15, 0.88, 0.90, 0.74, 1.21};

        // R: wilcox.test(x, y, alternative = "greater") gives W = 35, p = 0.1272; two-sided twice that.
        assertEquals(0.2544122544122544, ExactRankSum.twoSidedP(x, y), 1e-12);
        assertEquals(0.2544122544122544, ExactRankSum.twoSidedP(y, x), 1e-12);
    }

    @Test
    void overlappingSamplesGiveOne() {
        assertEquals(1.0, ExactRankSum.twoSidedP(new double[] {25.1, 25.9, 26.3}, new double[] {24.0, 26.0, 27.5}),
                1e-12);
    }

    @Test
    void withTiesTheDistributionIsThatOfTheMidRanksCountedSplitBySplit() {
        Random random = new Random(12);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(6);
            int m = 1 + random.nextInt(6);
            double[] a = new double[n];
            double[] b = new double[m];
            for (int i = 0; i < n; i++) {
                a[i] = random.nextInt(4); // few distinct values: many ties
            }
            for (int i = 0; i < m; i++) {
                b[i] = random.nextInt(4) + (trial % 3 == 0 ? 1 : 0);
            }
            assertEquals(bruteForceP(a, b), ExactRankSum.twoSidedP(a, b), 1e-12, "trial " + trial);
        }
    }

    @Test
    void midRanksShareTheMeanOfTheirPlaces() {
        int[] doubled = ExactRankSum.doubledMidRanks(new double[] {5, 1}, new double[] {5, 7, 1});
        // sorted: 1,1 (ranks 1,2 -> 1.5), 5,5 (3,4 -> 3.5), 7 (5)
        assertEquals(7, doubled[0]);
        assertEquals(3, doubled[1]);
        assertEquals(7, doubled[2]);
        assertEquals(10, doubled[3]);
        assertEquals(3, doubled[4]);
    }

    /** Every split of the pooled values, counted: the definition of the exact p. */
    private static double bruteForceP(double[] a, double[] b) {
        int n = a.length;
        int total = n + b.length;
        int[] ranks = ExactRankSum.doubledMidRanks(a, b);
        long observed = 0;
        for (int i = 0; i < n; i++) {
            observed += ranks[i];
        }
        long mean = (long) n * (total + 1);
        long extreme = 0;
        long all = 0;
        for (int mask = 0; mask < (1 << total); mask++) {
            if (Integer.bitCount(mask) != n) {
                continue;
            }
            long sum = 0;
            for (int i = 0; i < total; i++) {
                if ((mask & (1 << i)) != 0) {
                    sum += ranks[i];
                }
            }
            all++;
            if (Math.abs(sum - mean) >= Math.abs(observed - mean)) {
                extreme++;
            }
        }
        assertTrue(all > 0);
        return (double) extreme / all;
    }
}
