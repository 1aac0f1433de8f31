package tfobench.stats;

import java.util.Arrays;

/**
 * The two-sided Wilcoxon-Mann-Whitney rank-sum test with its <em>exact</em> permutation distribution: every way of
 * splitting the pooled values into groups of the two sizes is equally likely under the null hypothesis, and p is the
 * share of splits whose rank sum lies at least as far from its mean as the observed one. Ties get mid-ranks and the
 * distribution is that of the tied ranks, so p stays exact with ties too.
 *
 * <p>The distribution is counted by dynamic programming over the doubled (integer) mid-ranks, so it is exact for any
 * sample size a benchmark has (forks: a handful to a few dozen), not only where full enumeration is cheap. Unlike the
 * normal approximation it never claims more than the design allows: with 3 values against 3 the smallest two-sided p
 * is 2/20 = 0.1, whatever the data.
 */
public final class ExactRankSum {
    private ExactRankSum() {
    }

    /**
     * The smallest two-sided p any data can give with these group sizes (no ties): both extreme splits, out of
     * {@code C(n+m, n)}. A design whose smallest p is not below the significance level can never give a verdict.
     */
    public static double smallestP(int n, int m) {
        if (n < 1 || m < 1) {
            return 1.0;
        }
        return Math.min(1.0, 2.0 / binomial(n + m, n));
    }

    /** Exact two-sided p for {@code a} against {@code b}; 1 when either is empty. */
    public static double twoSidedP(double[] a, double[] b) {
        int n = a.length;
        int m = b.length;
        if (n == 0 || m == 0) {
            return 1.0;
        }
        int total = n + m;
        int[] doubledRanks = doubledMidRanks(a, b);
        // The observed statistic: twice the rank sum of a, and twice its mean n(N+1)/2.
        long observed = 0;
        for (int i = 0; i < n; i++) {
            observed += doubledRanks[i];
        }
        long doubledMean = (long) n * (total + 1);
        long observedDistance = Math.abs(observed - doubledMean);

        int maxSum = 0;
        for (int r : doubledRanks) {
            maxSum += r;
        }
        // ways[k][s]: subsets of the values seen so far with k members whose doubled ranks sum to s.
        double[][] ways = new double[n + 1][maxSum + 1];
        ways[0][0] = 1;
        int seenSum = 0;
        for (int v = 0; v < total; v++) {
            int r = doubledRanks[v];
            seenSum += r;
            for (int k = Math.min(n, v + 1); k >= 1; k--) {
                double[] into = ways[k];
                double[] from = ways[k - 1];
                for (int s = seenSum; s >= r; s--) {
                    into[s] += from[s - r];
                }
            }
        }
        double extreme = 0;
        double all = 0;
        for (int s = 0; s <= maxSum; s++) {
            double w = ways[n][s];
            if (w == 0) {
                continue;
            }
            all += w;
            if (Math.abs(s - doubledMean) >= observedDistance) {
                extreme += w;
            }
        }
        return Math.min(1.0, extreme / all);
    }

    /** Twice the mid-rank of every value, {@code a}'s first, then {@code b}'s: integers even with ties. */
    static int[] doubledMidRanks(double[] a, double[] b) {
        int total = a.length + b.length;
        double[] values = new double[total];
        System.arraycopy(a, 0, values, 0, a.length);
        System.arraycopy(b, 0, values, a.length, b.length);
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) {
            if (Double.isNaN(values[i])) {
                throw new IllegalArgumentException("NaN among the values to rank");
            }
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(values[x], values[y]));
        int[] doubled = new int[total];
        int i = 0;
        while (i < total) {
            int j = i;
            while (j + 1 < total && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            // ranks i+1 .. j+1 share their mean (i+1+j+1)/2; doubled: i+j+2
            for (int k = i; k <= j; k++) {
                doubled[order[k]] = i + j + 2;
            }
            i = j + 1;
        }
        return doubled;
    }

    /** {@code C(n, k)} as a double (exact up to 2^53, far beyond any fork count). */
    static double binomial(int n, int k) {
        double c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return Math.rint(c);
    }
}
