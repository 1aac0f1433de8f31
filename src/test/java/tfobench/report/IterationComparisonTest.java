package tfobench.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IterationComparisonTest {
    private static final double[] COLD = {25.1, 25.9, 26.3, 25.4, 25.7, 26.0, 25.2, 25.8, 26.1, 25.5};

    private static double[] times(double[] values, double factor) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] * factor;
        }
        return out;
    }

    @Test
    void identicalIterationsAreWithinNoiseWithAnIntervalAroundOne() {
        IterationComparison c = IterationComparison.of(COLD, COLD.clone());

        assertEquals(1.0, c.ratio(), 1e-12);
        assertTrue(c.ciLow() < 1.0 && c.ciHigh() > 1.0, c.toString());
        assertEquals(Verdict.WITHIN_NOISE, c.verdict());
    }

    @Test
    void tenPercentFasterIterationsAreFaster() {
        IterationComparison c = IterationComparison.of(COLD, times(COLD, 0.9));

        assertEquals(0.9, c.ratio(), 1e-9);
        assertTrue(c.ciHigh() < 1.0, c.toString());
        assertTrue(c.pValue() < 0.001, c.toString());
        assertEquals(Verdict.FASTER, c.verdict());
    }

    @Test
    void slowerIterationsAreSlower() {
        assertEquals(Verdict.SLOWER, IterationComparison.of(COLD, times(COLD, 1.25)).verdict());
    }

    @Test
    void aShiftSmallerThanTheSpreadIsWithinNoise() {
        assertEquals(Verdict.WITHIN_NOISE, IterationComparison.of(COLD, times(COLD, 1.004)).verdict());
    }

    @Test
    void fewerThanThreeIterationsGetARatioButNoTest() {
        IterationComparison c = IterationComparison.of(COLD, new double[] {30.0, 31.0});

        assertEquals(Verdict.NOT_TESTED, c.verdict());
        assertTrue(Double.isNaN(c.pValue()) && Double.isNaN(c.ciLow()));
        assertEquals(30.5 / 25.75, c.ratio(), 1e-9);
    }

    @Test
    void theIntervalIsReproducible() {
        double[] other = times(COLD, 0.97);
        IterationComparison a = IterationComparison.of(COLD, other);
        IterationComparison b = IterationComparison.of(COLD, other);

        assertArrayEquals(new double[] {a.ciLow(), a.ciHigh()}, new double[] {b.ciLow(), b.ciHigh()});
    }
}
