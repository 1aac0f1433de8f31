package tfobench.report;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpectrumChartTest {

    @Test
    void decadesOfOneOverOneMinusPAreLabelledAsPercentiles() {
        assertEquals("0%", SpectrumChart.percentileLabel(0));
        assertEquals("90%", SpectrumChart.percentileLabel(1));
        assertEquals("99%", SpectrumChart.percentileLabel(2));
        assertEquals("99.9%", SpectrumChart.percentileLabel(3));
        assertEquals("99.999%", SpectrumChart.percentileLabel(5));
        assertEquals("50%", SpectrumChart.percentileLabel(Math.log10(2)));
    }

    @Test
    void pointsRiseToTheMaximumAtOneInCount() {
        Histogram h = new Histogram(3);
        for (int i = 1; i <= 10_000; i++) {
            h.recordValue(i * 1000L); // 1 us to 10 ms
        }
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();

        SpectrumChart.points(h, x, y);

        assertEquals(0.0, x.get(0), 1e-9);
        assertEquals(4.0, x.get(x.size() - 1), 1e-9, "1/(1-p) = count for the maximum");
        assertEquals(h.getMaxValue() / 1000.0, y.get(y.size() - 1), 1e-9);
        for (int i = 1; i < x.size(); i++) {
            assertTrue(x.get(i) > x.get(i - 1) && y.get(i) >= y.get(i - 1), "monotonic at " + i);
        }
    }
}
