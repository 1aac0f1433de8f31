package tfobench.report;

import org.junit.jupiter.api.Test;
import tfobench.stats.ExactRankSum;
import tfobench.stats.ShiftInterval;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Verdicts are judged per table: Holm over its comparisons, and "too few forks" where no data could have won. */
class VerdictFamilyTest {

    /** A ratio comparison of {@code n} against {@code m} forks with this exact p and estimate. */
    private static ForkComparison ratio(double estimate, double p, int n, int m) {
        return new ForkComparison(ForkComparison.Kind.RATIO, new ShiftInterval(estimate, 0.9 * estimate,
                1.1 * estimate, 0.95), p, ExactRankSum.smallestP(n, m), n, m);
    }

    @Test
    void fourForksASideCompletelySeparatedAreFasterOnTheirOwn() {
        VerdictFamily family = new VerdictFamily();
        int i = family.add(ratio(0.9, 2.0 / 70, 4, 4));

        assertEquals(Verdict.FASTER, family.verdict(i));
        assertEquals(2.0 / 70, family.adjustedP(i), 1e-12);
    }

    @Test
    void aSavingAboveZeroIsFasterAndBelowIsSlower() {
        VerdictFamily family = new VerdictFamily();
        ShiftInterval saved = new ShiftInterval(3.4, 2.9, 3.9, 0.96);
        ShiftInterval lost = new ShiftInterval(-5.6, -6.1, -5.0, 0.96);
        int a = family.add(new ForkComparison(ForkComparison.Kind.SAVING, saved, 2.0 / 924, 2.0 / 924, 6, 6));
        int b = family.add(new ForkComparison(ForkComparison.Kind.SAVING, lost, 2.0 / 924, 2.0 / 924, 6, 6));

        assertEquals(Verdict.FASTER, family.verdict(a));
        assertEquals(Verdict.SLOWER, family.verdict(b));
    }

    @Test
    void threeForksASideCanNeverEarnAVerdict() {
        VerdictFamily family = new VerdictFamily();
        int i = family.add(ratio(0.5, 0.1, 3, 3));

        assertEquals(Verdict.TOO_FEW_FORKS, family.verdict(i));
    }

    @Test
    void oneForkASideIsTooFewWhateverItsRatio() {
        VerdictFamily family = new VerdictFamily();
        int i = family.add(ratio(0.1, 1.0, 1, 1));

        assertEquals(Verdict.TOO_FEW_FORKS, family.verdict(i));
    }

    @Test
    void twelveComparisonsEachBelowFivePercentAloneAreWithinNoiseTogether() {
        // 6 against 6 forks with one pair swapped: p = 4/924 = 0.0043 each, yet 12 of them at once could all be
        // chance at the 5% level: Holm gives 12 x 0.0043 = 0.052 for the smallest.
        VerdictFamily family = new VerdictFamily();
        for (int k = 0; k < 12; k++) {
            family.add(ratio(0.97, 4.0 / 924, 6, 6));
        }
        for (int k = 0; k < 12; k++) {
            assertEquals(Verdict.WITHIN_NOISE, family.verdict(k), "comparison " + k);
        }
    }

    @Test
    void fourForksASideAmongThreeComparisonsAreTooFewForTheTable() {
        // Alone 4 v 4 can reach 0.029; three of them in one table need 0.05 / 3 = 0.017 for the first verdict.
        VerdictFamily family = new VerdictFamily();
        for (int k = 0; k < 3; k++) {
            family.add(ratio(0.9, 2.0 / 70, 4, 4));
        }
        for (int k = 0; k < 3; k++) {
            assertEquals(Verdict.TOO_FEW_FORKS, family.verdict(k));
        }
    }

    @Test
    void sixForksASideReachAVerdictInATableOfTwenty() {
        // The default (6 forks) against the largest table the default suite makes (5 comparisons x 4 settings).
        VerdictFamily family = new VerdictFamily();
        for (int k = 0; k < 20; k++) {
            family.add(ratio(k == 0 ? 0.86 : 1.0, k == 0 ? 2.0 / 924 : 0.6, 6, 6));
        }
        assertEquals(Verdict.FASTER, family.verdict(0));
        assertEquals(Verdict.WITHIN_NOISE, family.verdict(1));
    }
}
