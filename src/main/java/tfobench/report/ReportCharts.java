package tfobench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The report's plots for one or more runs: a latency spectrum per setting (transport and placement) with one line
 * per scenario and run, and one chart of medians with p25-p75 bars. Only results with {@code .hlog} latencies are
 * plotted, and never a fast open result that fell back.
 */
final class ReportCharts {
    /** A plot written to disk: its title (for the Markdown) and its PNG and SVG files. */
    record Plot(String title, Path png, Path svg) {
    }

    private final List<Run> runs;

    ReportCharts(List<Run> runs) {
        this.runs = runs;
    }

    static boolean plotted(BenchmarkResult r) {
        return r.latency().source() == LatencyData.Source.HLOG && !r.latency().isEmpty()
                && r.fastOpenCheck().comparable();
    }

    /** Results left out of the plots, with why. */
    List<String> leftOut() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            for (BenchmarkResult r : runs.get(i).results()) {
                if (!plotted(r)) {
                    String why = !r.fastOpenCheck().comparable() ? r.fastOpenCheck().label()
                            : "no .hlog latency file";
                    out.add(runPrefix(i) + r.id() + " (" + why + ")");
                }
            }
        }
        return out;
    }

    /** Draws every plot into {@code dir}. */
    List<Plot> write(Path dir) throws IOException {
        return plots(dir, true);
    }

    /** The plots {@link #write} would draw, with their titles and file names, drawing nothing. */
    List<Plot> plan(Path dir) throws IOException {
        return plots(dir, false);
    }

    private List<Plot> plots(Path dir, boolean draw) throws IOException {
        List<Plot> plots = new ArrayList<>();
        for (String setting : settings()) {
            String title = "Latency by percentile: " + (setting.isEmpty() ? "all" : setting) + titleSuffix(true);
            String name = "latency-spectrum-" + ChartFiles.slug(setting);
            if (draw) {
                ChartFiles.write(SpectrumChart.build(title, spectrumLines(setting)), dir, name);
            }
            plots.add(new Plot(title, dir.resolve(name + ".png"), dir.resolve(name + ".svg")));
        }
        if (!settings().isEmpty()) {
            String title = "Median latency, bar p25-p75" + titleSuffix(false);
            if (draw) {
                ChartFiles.write(MediansChart.build(title, scenarios(), medianSeries()), dir, "medians");
            }
            plots.add(new Plot(title, dir.resolve("medians.png"), dir.resolve("medians.svg")));
        }
        return plots;
    }

    private List<SpectrumChart.Line> spectrumLines(String setting) {
        List<SpectrumChart.Line> lines = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            int other = 0;
            for (BenchmarkResult r : sortedPlotted(runs.get(i))) {
                Scenario s = Scenario.of(r.id());
                if (s.setting().equals(setting)) {
                    lines.add(new SpectrumChart.Line(s.name() + runSuffix(i), ChartStyle.scenarioColor(s, other++),
                            ChartStyle.runStroke(i), r.latency().pooled()));
                }
            }
        }
        return lines;
    }

    /**
     * One series per setting and run, a setting's runs side by side: colour by setting; marker by run when there
     * are several runs, else by setting too.
     */
    private List<MediansChart.Series> medianSeries() {
        List<MediansChart.Series> series = new ArrayList<>();
        int settingIndex = 0;
        for (String setting : settings()) {
            for (int i = 0; i < runs.size(); i++) {
                List<MediansChart.Point> points = new ArrayList<>();
                for (BenchmarkResult r : sortedPlotted(runs.get(i))) {
                    Scenario s = Scenario.of(r.id());
                    if (s.setting().equals(setting)) {
                        LatencyData l = r.latency();
                        points.add(new MediansChart.Point(s.name(), l.percentileMicros(25), l.percentileMicros(50),
                                l.percentileMicros(75)));
                    }
                }
                if (!points.isEmpty()) {
                    String label = (setting.isEmpty() ? "all" : setting) + runSuffix(i);
                    series.add(new MediansChart.Series(label, ChartStyle.paletteColor(settingIndex),
                            ChartStyle.marker(runs.size() == 1 ? settingIndex : i), points));
                }
            }
            settingIndex++;
        }
        return series;
    }

    private Set<String> settings() {
        Set<String> settings = new LinkedHashSet<>();
        runs.forEach(run -> sortedPlotted(run).forEach(r -> settings.add(Scenario.of(r.id()).setting())));
        return settings;
    }

    private List<String> scenarios() {
        Set<String> names = new LinkedHashSet<>();
        runs.forEach(run -> sortedPlotted(run).forEach(r -> names.add(Scenario.of(r.id()).name())));
        return new ArrayList<>(names);
    }

    private static List<BenchmarkResult> sortedPlotted(Run run) {
        return run.results().stream().filter(ReportCharts::plotted)
                .sorted(Comparator.comparingInt(r -> Scenario.of(r.id()).rank())).toList();
    }

    /** The kernel for one run; for several, which line style is which run when there are lines. */
    private String titleSuffix(boolean lines) {
        if (runs.size() == 1) {
            return ", kernel " + runs.get(0).environment().kernelRelease();
        }
        if (!lines) {
            return ", " + runs.size() + " runs";
        }
        return " (solid: run 1, dashed: run 2" + (runs.size() > 2 ? ", dotted: run 3" : "") + ")";
    }

    private String runSuffix(int run) {
        return runs.size() == 1 ? "" : ", run " + (run + 1);
    }

    private String runPrefix(int run) {
        return runs.size() == 1 ? "" : "run " + (run + 1) + ": ";
    }
}
