package tfobench.stats;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Known answers: R's {@code p.adjust(p, "holm")}. */
class HolmTest {

    @Test
    void matchesRsAdjustment() {
        // p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, Holm.adjust(new double[] {0.01, 0.04, 0.03, 0.005}),
                1e-12);
    }

    @Test
    void adjustedValuesAreCappedAtOneAndNeverDecreaseWithTheRawOnes() {
        double[] adjusted = Holm.adjust(new double[] {0.5, 0.2, 0.9});

        assertArrayEquals(new double[] {1.0, 0.6, 1.0}, adjusted, 1e-12);
    }

    @Test
    void nanIsNotATestAndDoesNotCount() {
        double[] adjusted = Holm.adjust(new double[] {0.01, Double.NaN, 0.02});

        assertEquals(0.02, adjusted[0], 1e-12);
        assertTrue(Double.isNaN(adjusted[1]));
        assertEquals(0.02, adjusted[2], 1e-12);
    }
}
