package tfobench.stats;

import java.util.Arrays;

/**
 * Holm's step-down correction for a family of tests (Holm 1979): it keeps the chance of even one false verdict in
 * the family at or below the level, for any dependence between the tests, and is never less powerful than
 * Bonferroni. The family is one table: every verdict a reader sees side by side.
 */
public final class Holm {
    private Holm() {
    }

    /**
     * Adjusted p-values, in the input's order: the i-th smallest p times (k - i + 1), made monotone, capped at 1.
     * A test rejects at level alpha when its adjusted p is below alpha. NaN entries are not tests: they stay NaN and
     * do not count in k.
     */
    public static double[] adjust(double[] p) {
        Integer[] order = new Integer[p.length];
        int k = 0;
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
            if (!Double.isNaN(p[i])) {
                k++;
            }
        }
        Arrays.sort(order, (x, y) -> Double.compare(nanLast(p[x]), nanLast(p[y])));
        double[] adjusted = new double[p.length];
        Arrays.fill(adjusted, Double.NaN);
        double running = 0;
        for (int rank = 0; rank < k; rank++) {
            int i = order[rank];
            running = Math.max(running, Math.min(1.0, (k - rank) * p[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }

    private static double nanLast(double v) {
        return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
    }
}
