package tfobench.report;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.List;

/** The look shared by the report's plots: size, fonts, colours per scenario and setting, line styles per run. */
final class ChartStyle {
    static final int WIDTH = 1200;
    static final int HEIGHT = 720;
    /** Colours for scenarios in {@link Scenario#ORDER}: cold red, tfo blue, tfo-connect purple, cookie orange, keep-alive green. */
    private static final List<Color> SCENARIO_COLORS = List.of(new Color(0xd62728), new Color(0x1f77b4),
            new Color(0x9467bd), new Color(0xff7f0e), new Color(0x2ca02c));
    /** For anything else, and for settings. */
    private static final List<Color> PALETTE = List.of(new Color(0x1f77b4), new Color(0xff7f0e),
            new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2),
            new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf));
    private static final float LINE_WIDTH = 2.2f;
    private static final List<Marker> MARKERS = List.of(SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND,
            SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS);

    private ChartStyle() {
    }

    static XYChart newChart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).theme(Styler.ChartTheme.XChart).build();
        XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(Color.GRAY);
        s.setPlotGridLinesColor(new Color(0xdddddd));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
        s.setChartTitleBoxVisible(false);
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 18));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setLegendSeriesLineLength(36);
        s.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        s.setAnnotationTextFontColor(Color.DARK_GRAY);
        s.setAnnotationLineColor(Color.GRAY);
        s.setAnnotationLineStroke(dashed(1.2f));
        s.setChartPadding(14);
        s.setMarkerSize(10);
        s.setToolTipsEnabled(false);
        return chart;
    }

    static Color scenarioColor(Scenario scenario, int otherIndex) {
        int rank = scenario.rank();
        return rank < SCENARIO_COLORS.size() ? SCENARIO_COLORS.get(rank)
                : PALETTE.get((otherIndex + 5) % PALETTE.size());
    }

    static Color paletteColor(int index) {
        return PALETTE.get(index % PALETTE.size());
    }

    static Marker marker(int index) {
        return MARKERS.get(index % MARKERS.size());
    }

    /** A line in one colour, with the index's marker, drawn with the stroke. */
    static XYSeries styled(XYSeries series, Color color, int index, BasicStroke stroke) {
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setMarker(marker(index));
        series.setLineStyle(stroke);
        return series;
    }

    /** Run 1 solid, run 2 dashed, run 3 dotted, then again. */
    static BasicStroke runStroke(int runIndex) {
        switch (runIndex % 3) {
            case 0:
                return new BasicStroke(LINE_WIDTH);
            case 1:
                return new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                        new float[] {10f, 6f}, 0f);
            default:
                return new BasicStroke(LINE_WIDTH, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
                        new float[] {2f, 5f}, 0f);
        }
    }

    static BasicStroke solid() {
        return new BasicStroke(LINE_WIDTH);
    }

    private static BasicStroke dashed(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
    }
}
