package tfobench.report;

import tfobench.stats.Holm;

import java.util.ArrayList;
import java.util.List;

/**
 * The comparisons of one table, judged together: Holm's correction keeps the chance of any false {@code faster} or
 * {@code slower} in the table at {@value ForkComparison#ALPHA} or below. A comparison whose forks could not earn a
 * verdict even with the most extreme data possible, given the others in the table, is {@code n/a (too few forks)}
 * rather than {@code ~}: "within noise" would claim a measurement that was never able to say otherwise.
 */
final class VerdictFamily {
    private final List<ForkComparison> entries = new ArrayList<>();
    private double[] adjusted;
    private Verdict[] verdicts;

    /** Adds a comparison; returns its index for {@link #verdict} and {@link #adjustedP}. */
    int add(ForkComparison comparison) {
        if (verdicts != null) {
            throw new IllegalStateException("the family was already judged");
        }
        entries.add(comparison);
        return entries.size() - 1;
    }

    int size() {
        return entries.size();
    }

    /** Holm-adjusted p of comparison {@code i}. */
    double adjustedP(int i) {
        judge();
        return adjusted[i];
    }

    Verdict verdict(int i) {
        judge();
        return verdicts[i];
    }

    private void judge() {
        if (verdicts != null) {
            return;
        }
        int k = entries.size();
        double[] p = new double[k];
        for (int i = 0; i < k; i++) {
            p[i] = entries.get(i).pValue();
        }
        adjusted = Holm.adjust(p);
        verdicts = new Verdict[k];
        for (int i = 0; i < k; i++) {
            ForkComparison c = entries.get(i);
            if (adjusted[i] < ForkComparison.ALPHA) {
                verdicts[i] = c.otherFaster() ? Verdict.FASTER : Verdict.SLOWER;
            } else {
                double[] best = p.clone();
                best[i] = c.smallestP();
                verdicts[i] = Holm.adjust(best)[i] < ForkComparison.ALPHA ? Verdict.WITHIN_NOISE
                        : Verdict.TOO_FEW_FORKS;
            }
        }
    }

}
