package tfobench.stats;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * The Hodges-Lehmann estimate of the shift between two samples (the median of every difference {@code b[j] - a[i]})
 * with its exact distribution-free confidence interval: the {@code k}-th smallest and largest differences, {@code k}
 * from the exact null distribution of the Mann-Whitney U statistic (Bauer 1972; Hollander and Wolfe). Where the
 * samples differ by a shift, the interval covers the true shift with at least the stated confidence for any
 * continuous distribution, however few the values; where the sizes are too small for that confidence the interval
 * is unbounded, and says so, instead of pretending. It is the interval that belongs to {@link ExactRankSum}: it
 * excludes 0 exactly when the two-sided test at the same level rejects (without ties).
 *
 * <p>On a log scale ({@link #ofRatio}) the shift is a ratio: {@code b} is {@code ratio} times {@code a}.
 *
 * @param estimate   the shift (or ratio), Hodges-Lehmann
 * @param low        lower end, or -infinity (0 for a ratio) when the design cannot reach the confidence
 * @param high       upper end, or +infinity
 * @param confidence the coverage the interval actually guarantees ({@code 1 - 2 P(U < k)}, at least the one asked)
 */
public record ShiftInterval(double estimate, double low, double high, double confidence) {

    /** True when the sizes are too small for the asked confidence: the interval is the whole line. */
    public boolean unbounded() {
        return Double.isInfinite(low) || Double.isInfinite(high);
    }

    /** {@code b - a}: the shift in the values' own unit. */
    public static ShiftInterval ofDifference(double[] a, double[] b, double confidence) {
        return of(a, b, confidence, DoubleUnaryOperator.identity(), DoubleUnaryOperator.identity());
    }

    /** {@code b / a}: the shift of the logarithms, back as a ratio. Every value must be positive. */
    public static ShiftInterval ofRatio(double[] a, double[] b, double confidence) {
        for (double v : a) {
            requirePositive(v);
        }
        for (double v : b) {
            requirePositive(v);
        }
        return of(a, b, confidence, Math::log, Math::exp);
    }

    private static void requirePositive(double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException("a ratio needs positive values, got " + v);
        }
    }

    private static ShiftInterval of(double[] a, double[] b, double confidence, DoubleUnaryOperator in,
                                    DoubleUnaryOperator out) {
        int n = a.length;
        int m = b.length;
        if (n == 0 || m == 0) {
            throw new IllegalArgumentException("both samples need at least one value");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1: " + confidence);
        }
        double[] differences = new double[n * m];
        int d = 0;
        for (double x : a) {
            for (double y : b) {
                differences[d++] = in.applyAsDouble(y) - in.applyAsDouble(x);
            }
        }
        Arrays.sort(differences);
        double estimate = out.applyAsDouble(median(differences));
        // Largest k with P(U <= k - 1) <= (1 - confidence) / 2: then [D(k), D(nm - k + 1)] covers the shift with
        // probability 1 - 2 P(U <= k - 1).
        double[] cumulative = cumulativeU(n, m);
        double tail = (1 - confidence) / 2;
        int k = 0;
        while (k < cumulative.length && cumulative[k] <= tail + 1e-12) {
            k++;
        }
        if (k == 0) {
            return new ShiftInterval(estimate, out.applyAsDouble(Double.NEGATIVE_INFINITY),
                    out.applyAsDouble(Double.POSITIVE_INFINITY), 1.0);
        }
        double reached = 1 - 2 * cumulative[k - 1];
        return new ShiftInterval(estimate, out.applyAsDouble(differences[k - 1]),
                out.applyAsDouble(differences[differences.length - k]), reached);
    }

    /** {@code P(U <= u)} for u = 0 .. nm under the null hypothesis, no ties. */
    static double[] cumulativeU(int n, int m) {
        // f(i, j, u): orderings of i values of a and j of b with U = u (U counts the pairs where the b is below the
        // a). The largest value is either a b, f(i, j - 1, u), or an a above all j b's, f(i - 1, j, u - j).
        double[][] previous = new double[n + 1][];
        for (int i = 0; i <= n; i++) {
            previous[i] = new double[1];
            previous[i][0] = 1; // j = 0: U = 0, one arrangement
        }
        for (int j = 1; j <= m; j++) {
            double[][] current = new double[n + 1][];
            current[0] = new double[] {1};
            for (int i = 1; i <= n; i++) {
                current[i] = new double[i * j + 1];
                for (int u = 0; u <= i * j; u++) {
                    double fromB = u < previous[i].length ? previous[i][u] : 0; // last value is a b: f(i, j-1, u)
                    double fromA = u - j >= 0 && u - j < current[i - 1].length ? current[i - 1][u - j] : 0;
                    current[i][u] = fromB + fromA;
                }
            }
            previous = current;
        }
        double[] dist = previous[n];
        double total = 0;
        for (double c : dist) {
            total += c;
        }
        double[] cumulative = new double[dist.length];
        double running = 0;
        for (int u = 0; u < dist.length; u++) {
            running += dist[u];
            cumulative[u] = running / total;
        }
        return cumulative;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
