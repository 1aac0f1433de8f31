package tfobench.report;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Latency by percentile, as HdrHistogram plots it: x is 1/(1-p) on a log scale, labelled as percentiles (0%, 90%,
 * 99%, 99.9%...; 50% marked), y is microseconds on a log scale; one line per scenario (and run).
 */
final class SpectrumChart {
    /** Percentile points per halving of the distance to 100%, as {@code outputPercentileDistribution} uses. */
    private static final int TICKS_PER_HALF_DISTANCE = 5;
    private static final double NANOS_PER_MICRO = 1000.0;
    private static final double MEDIAN_X = Math.log10(2);

    /** One line: its legend label, colour, stroke and all operations' latencies (nanoseconds). */
    record Line(String label, Color color, BasicStroke stroke, Histogram latencies) {
    }

    private SpectrumChart() {
    }

    static XYChart build(String title, List<Line> lines) {
        XYChart chart = ChartStyle.newChart(title, "percentile (x axis: 1/(1-p), log scale)",
                "latency (microseconds, log scale)");
        XYStyler s = chart.getStyler();
        s.setYAxisLogarithmic(true);
        s.setYAxisLogarithmicDecadeOnly(true);
        s.setYAxisDecimalPattern("#,##0.###");
        s.setLegendPosition(Styler.LegendPosition.InsideSE); // the curves rise to the right: that corner stays empty
        double maxX = 1;
        for (Line line : lines) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            points(line.latencies(), x, y);
            if (x.isEmpty()) {
                continue;
            }
            maxX = Math.max(maxX, x.get(x.size() - 1));
            XYSeries series = chart.addSeries(line.label(), x, y);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(line.color());
            series.setLineStyle(line.stroke());
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        double axisMax = maxX + 0.1;
        s.setXAxisMin(0.0);
        s.setXAxisMax(axisMax);
        // One tick per decade of 1/(1-p): XChart picks a step of 1 when the hint is about the width of one unit.
        s.setXAxisTickMarkSpacingHint((int) (ChartStyle.WIDTH * 0.8 / axisMax));
        s.setxAxisTickLabelsFormattingFunction(SpectrumChart::percentileLabel);
        chart.addAnnotation(new AnnotationLine(MEDIAN_X, true, false));
        AnnotationText median = new AnnotationText("50%", MEDIAN_X, 0, false);
        chart.addAnnotation(median);
        chart.getStyler().setAnnotationTextFontColor(Color.DARK_GRAY);
        placeMedianLabel(chart, median, lines);
        return chart;
    }

    /** The median label sits at the top of the median line, just inside the plot. */
    private static void placeMedianLabel(XYChart chart, AnnotationText label, List<Line> lines) {
        double top = 0;
        for (Line line : lines) {
            top = Math.max(top, line.latencies().getMaxValue() / NANOS_PER_MICRO);
        }
        label.setY(top);
        label.setX(MEDIAN_X + 0.12);
    }

    /** x = log10(1/(1-p)), y = microseconds; the last point is the maximum at x = log10(count). */
    static void points(Histogram h, List<Double> x, List<Double> y) {
        long count = h.getTotalCount();
        if (count == 0) {
            return;
        }
        double lastX = Math.log10(count);
        for (HistogramIterationValue v : h.percentiles(TICKS_PER_HALF_DISTANCE)) {
            double p = v.getPercentileLevelIteratedTo() / 100.0;
            if (p >= 1.0) {
                break;
            }
            double px = Math.log10(1 / (1 - p));
            if (px >= lastX) {
                break;
            }
            x.add(px);
            y.add(Math.max(v.getValueIteratedTo(), 1) / NANOS_PER_MICRO);
        }
        x.add(lastX);
        y.add(h.getMaxValue() / NANOS_PER_MICRO);
    }

    /** The percentile at x = log10(1/(1-p)): 0 -> 0%, 1 -> 90%, 2 -> 99%, 3 -> 99.9%. */
    static String percentileLabel(double x) {
        double p = (1 - Math.pow(10, -x)) * 100;
        BigDecimal rounded = new BigDecimal(p).setScale(Math.max(0, (int) Math.ceil(x) - 1) + 1,
                java.math.RoundingMode.HALF_UP).stripTrailingZeros();
        return rounded.toPlainString() + "%";
    }
}
