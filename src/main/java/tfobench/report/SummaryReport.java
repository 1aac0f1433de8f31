package tfobench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code summary.md} and its plots for one run (written into the run folder) or several (written into a folder
 * of their own): environment, results, TFO and keep-alive savings, evidence, plots.
 */
public final class SummaryReport {
    public static final String FILE = "summary.md";

    private final List<Run> runs;
    private final List<String> problems = new ArrayList<>();

    public SummaryReport(List<Run> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs");
        }
        this.runs = List.copyOf(runs);
    }

    /** Writes {@code summary.md}, the PNG and the SVG plots into {@code dir}; returns the files written. */
    public List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ReportCharts charts = new ReportCharts(runs);
        List<ReportCharts.Plot> plots = charts.write(dir);
        Path summary = dir.resolve(FILE);
        Files.writeString(summary, markdown(plots, charts.leftOut(), dir), StandardCharsets.UTF_8);
        List<Path> files = new ArrayList<>();
        files.add(summary);
        plots.forEach(p -> files.addAll(List.of(p.png(), p.svg())));
        return files;
    }

    /** The {@code summary.md} that {@link #write} would write into {@code dir}, drawing no plot. */
    public String markdown(Path dir) throws IOException {
        ReportCharts charts = new ReportCharts(runs);
        return markdown(charts.plan(dir), charts.leftOut(), dir);
    }

    String markdown(List<ReportCharts.Plot> plots, List<String> leftOut, Path dir) throws IOException {
        StringBuilder out = new StringBuilder();
        if (runs.size() == 1) {
            out.append("# tfo-bench run ").append(runs.get(0).name()).append("\n\n");
        } else {
            out.append("# tfo-bench report: ").append(runs.size()).append(" runs\n\n");
            MarkdownTable legend = new MarkdownTable("run", "folder");
            for (int i = 0; i < runs.size(); i++) {
                legend.row(String.valueOf(i + 1), relative(dir, runs.get(i).dir()));
            }
            out.append(legend.render()).append('\n');
        }
        out.append("Written by `java -jar target/benchmarks.jar report` from the run folder")
                .append(runs.size() == 1 ? "" : "s").append(": JMH's `jmh-result.json`, `environment.json`, ")
                .append("the `.hlog` latency logs and `tcpext-delta.json`. Latencies are microseconds per ")
                .append("operation (one connection, request and response), over the exchange window: from the ")
                .append("client's call (before its `socket()`) to its return (response parsed, `TCP_INFO` read, socket ")
                .append("closed). docs/RESULTS-METHOD.md says what every number includes.\n\n");

        for (Run run : runs) {
            String emulation = run.environment().emulation();
            if (emulation != null) {
                out.append("> **").append(run.name()).append(" ran emulated (").append(emulation).append(").** ")
                        .append("Only millisecond effects (emulated round trips) mean something in it; its ")
                        .append("microsecond timings are the emulator's, not the hardware's.\n\n");
            }
        }
        int banner = out.length();
        out.append("## Environment\n\n");
        EnvironmentTable env = new EnvironmentTable(runs);
        if (runs.size() > 1 && !env.differences().isEmpty()) {
            out.append("> **The runs differ in: ").append(String.join(", ", env.differences())).append(".**\n\n");
        }
        out.append(env.render()).append('\n');

        out.append("## Results\n\n")
                .append("Percentiles over every measured operation of every fork, timed over the exchange window ")
                .append("(from the `.hlog` logs: `data` = hlog), or JMH's samples of the whole benchmark method where ")
                .append("the folder has no latency log for the result (`jmh samples`, e.g. `Baseline`). `forks`: the ")
                .append("replicates of every verdict. `ops`: operations whose SYN evidence was read. `retransmitted`: ")
                .append("operations whose connection saw a retransmission, with their share of the operations beyond ")
                .append("p99.9 when they are among them (see Retransmissions). TFO check: `ok` when every ")
                .append("tfo/tfo-connect operation's SYN data was acknowledged; FALLBACK when some were not (those ")
                .append("numbers are not TCP Fast Open's); BLACKHOLE when the kernel's blackhole detection fired during it ")
                .append("(`TCPFastOpenBlackhole` > 0: fast open was disabled for the namespace, those numbers are plain ")
                .append("handshakes'). What each number includes: docs/RESULTS-METHOD.md.\n\n")
                .append(ResultsTable.render(runs)).append('\n');

        out.append("## TFO and keep-alive against cold\n\n").append(SavingsTable.METHOD).append("\n\n");
        for (int i = 0; i < runs.size(); i++) {
            String savings = SavingsTable.render(runs.get(i));
            if (runs.size() > 1) {
                out.append("### run ").append(i + 1).append("\n\n");
            }
            out.append(savings.isEmpty() ? "No cold result to compare with.\n" : savings).append('\n');
        }

        out.append("## Retransmissions\n\n").append(RetransmissionTable.METHOD).append("\n\n")
                .append(RetransmissionTable.render(runs)).append('\n');

        out.append("## Evidence\n\n")
                .append("Per result, over its measured iterations: the client's view of each operation's SYN ")
                .append("(`tfo.*`, from `TCP_INFO`) and the kernel's TcpExt counter deltas in the run's network ")
                .append("namespace (the trial's own where `own netns` says yes). `TIME_WAIT`: sockets in TIME_WAIT at the ")
                .append("end of an iteration, mean over iterations; `TCPTimeWaitOverflow` counts connections that ")
                .append("could not enter TIME_WAIT because the table was full. `agrees`: whether the client's view ")
                .append("and the counters tell the same story.\n\n")
                .append(EvidenceTable.render(runs)).append('\n');
        for (int i = 0; i < runs.size(); i++) {
            Map<String, Long> counters = runs.get(i).runCounters();
            out.append(runs.size() > 1 ? "Run " + (i + 1) + ", whole" : "Whole").append(" run ")
                    .append("(`tcpext-delta.json`, all forks including warm-up and setup): ")
                    .append(counters.isEmpty() ? "not recorded." : joined(counters) + ".").append('\n');
        }
        out.append('\n');

        out.append(CpuCostTable.summary(runs));
        List<PacketsSection> packets = new ArrayList<>();
        problems.clear();
        for (Run run : runs) {
            PacketsSection section = PacketsSection.of(run.dir());
            packets.add(section);
            section.problems().forEach(p -> problems.add(run.name() + ": " + p));
        }
        if (runs.size() == 1) {
            out.append(packets.get(0).markdown());
            out.append(CalibrationSection.render(runs.get(0)));
        }

        if (!problems.isEmpty()) {
            out.insert(banner, "> **ERROR: the packets contradict the other evidence in " + problems.size()
                    + " place(s); see Packets.**\n\n");
        }

        out.append("## JMH's sampled percentiles (not used above)\n\n").append(SampledPercentilesTable.METHOD)
                .append("\n\n").append(SampledPercentilesTable.render(runs)).append('\n');

        out.append("## Plots\n\n");
        if (plots.isEmpty()) {
            out.append("No result has an `.hlog` latency log: nothing to plot.\n\n");
        } else {
            out.append("Latency spectra: x is 1/(1-p) on a log scale, labelled as percentiles; the dashed line ")
                    .append("marks the median. Medians chart: marker at p50, bar from p25 to p75 of all ")
                    .append("operations (the spread of single operations, not a confidence interval).\n\n");
        }
        for (ReportCharts.Plot p : plots) {
            out.append("![").append(p.title()).append("](").append(p.png().getFileName()).append(")\n\n")
                    .append("[SVG](").append(p.svg().getFileName()).append(")\n\n");
        }
        if (!leftOut.isEmpty()) {
            out.append("Not plotted: ").append(String.join("; ", leftOut)).append(".\n");
        }
        return out.toString();
    }

    /**
     * Where a run's packets contradict its other evidence (found while writing): one line each. A report with any
     * is an error, whatever else it shows.
     */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    private static String joined(Map<String, Long> counters) {
        StringJoiner j = new StringJoiner(", ");
        counters.forEach((k, v) -> j.add(k + " " + Numbers.count(v)));
        return j.toString();
    }

    private static String relative(Path from, Path to) {
        try {
            return from.toAbsolutePath().normalize().relativize(to.toAbsolutePath().normalize()).toString();
        } catch (IllegalArgumentException e) {
            return to.toString();
        }
    }
}
