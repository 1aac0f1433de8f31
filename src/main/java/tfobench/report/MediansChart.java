package tfobench.report;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;

/**
 * Median latency per scenario with error bars from the 25th to the 75th percentile of all operations: scenarios
 * along x, one coloured series per setting (transport and placement, and run), side by side within a scenario.
 */
final class MediansChart {
    /** Share of the space between two scenarios that a scenario's group of points spreads over. */
    private static final double GROUP_WIDTH = 0.7;

    /** One point: p50 and the p25-p75 bar, microseconds. */
    record Point(String scenario, double p25, double p50, double p75) {
    }

    /** One series: its legend label, colour, marker, and a point for some of the scenarios. */
    record Series(String label, Color color, Marker marker, List<Point> points) {
    }

    private MediansChart() {
    }

    static XYChart build(String title, List<String> scenarios, List<Series> series) {
        XYChart chart = ChartStyle.newChart(title, "scenario", "latency (microseconds)");
        XYStyler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setXAxisMin(-0.5);
        s.setXAxisMax(scenarios.size() - 0.5);
        s.setYAxisMin(0.0);
        s.setXAxisTickMarkSpacingHint((int) (ChartStyle.WIDTH * 0.7 / scenarios.size()));
        s.setxAxisTickLabelsFormattingFunction(x -> scenarioLabel(scenarios, x));
        s.setYAxisDecimalPattern("#,##0.#");
        double step = series.size() <= 1 ? 0 : GROUP_WIDTH / (series.size() - 1);
        for (int i = 0; i < series.size(); i++) {
            Series one = series.get(i);
            double offset = series.size() <= 1 ? 0 : -GROUP_WIDTH / 2 + i * step;
            double[] x = new double[one.points().size()];
            double[] y = new double[one.points().size()];
            for (int k = 0; k < x.length; k++) {
                Point p = one.points().get(k);
                x[k] = scenarios.indexOf(p.scenario()) + offset;
                y[k] = p.p50();
                XYSeries bar = chart.addSeries(one.label() + " " + p.scenario() + " p25-p75",
                        new double[] {x[k], x[k]}, new double[] {p.p25(), p.p75()});
                bar.setMarker(SeriesMarkers.NONE);
                bar.setLineColor(one.color());
                bar.setLineStyle(new BasicStroke(2.5f));
                bar.setShowInLegend(false);
            }
            if (x.length == 0) {
                continue;
            }
            XYSeries medians = chart.addSeries(one.label(), x, y);
            medians.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            medians.setMarker(one.marker());
            medians.setMarkerColor(one.color());
        }
        return chart;
    }

    /** Scenario names at whole numbers; anything else (never inside the plot) gets a unique placeholder. */
    static String scenarioLabel(List<String> scenarios, double x) {
        long index = Math.round(x);
        if (Math.abs(x - index) < 1e-9 && index >= 0 && index < scenarios.size()) {
            return scenarios.get((int) index);
        }
        return String.format(java.util.Locale.ROOT, "%.2f", x);
    }
}
