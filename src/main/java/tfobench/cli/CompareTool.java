package tfobench.cli;

import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import tfobench.report.ComparisonReport;
import tfobench.report.Run;
import tfobench.report.RunReader;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code compare [--output FILE] RUN_DIR RUN_DIR...}: compares run folders benchmark by benchmark against the first
 * and prints the Markdown (see {@link ComparisonReport}). A folder that is not a readable run is one line on
 * stderr and exit status 1.
 */
final class CompareTool implements Main.Tool {

    @Override
    public String synopsis() {
        return "compare [--output FILE] RUN_DIR RUN_DIR...";
    }

    @Override
    public String summary() {
        return "compares run folders against the first: p50/p99, ratio with 95% bootstrap CI, Mann-Whitney U verdict, "
                + "TFO evidence";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        OptionParser parser = Options.parser();
        OptionSpec<String> output = parser.accepts("output", "write the Markdown to FILE instead of stdout")
                .withRequiredArg().describedAs("FILE");
        Optional<OptionSet> parsed = Options.parse(this, parser, args, out);
        if (parsed.isEmpty()) {
            return 0;
        }
        OptionSet options = parsed.get();
        List<?> dirs = options.nonOptionArguments();
        if (dirs.size() < 2) {
            throw new UsageException("expected two or more run folders, got " + dirs.size()
                    + " (report describes a single run; try --help)");
        }
        List<Run> runs = new ArrayList<>();
        for (Object dir : dirs) {
            runs.add(RunReader.read(Path.of((String) dir)));
        }
        String markdown = new ComparisonReport(runs).render();
        if (options.has(output)) {
            Path file = Path.of(options.valueOf(output));
            Files.writeString(file, markdown, StandardCharsets.UTF_8);
            out.println("compare: wrote " + file);
        } else {
            out.print(markdown);
        }
        return 0;
    }
}
