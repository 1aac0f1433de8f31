package tfobench.cli;

import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import tfobench.report.GeneratedDocs;
import tfobench.report.KernelMatrix;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code matrix [--out FILE] [--require-one-rtt] RUN_FOLDER...}: the kernel matrix as Markdown (see
 * {@link KernelMatrix}): per run folder kernel, emulated or not, functional check; per first-request result what
 * fast open saved against cold, in RTTs where one was emulated.
 */
final class MatrixTool implements Main.Tool {

    @Override
    public String synopsis() {
        return "matrix [--out FILE] [--require-one-rtt] RUN_FOLDER...";
    }

    @Override
    public String summary() {
        return "the cross-kernel Markdown table: check result, what fast open saved against cold, in RTTs where "
                + "emulated";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        OptionParser parser = Options.parser();
        OptionSpec<String> outOption = parser.accepts("out", "also write the Markdown to this file, as a document "
                + "with a title and the command that regenerates it").withRequiredArg();
        OptionSpec<Void> requireOneRtt = parser.accepts("require-one-rtt", "exit 1 if a result with an emulated "
                + "RTT saved less than " + KernelMatrix.MIN_RTTS + " or more than " + KernelMatrix.MAX_RTTS + " RTT");
        Optional<OptionSet> parsed = Options.parse(this, parser, args, out);
        if (parsed.isEmpty()) {
            return 0;
        }
        OptionSet options = parsed.get();
        if (options.nonOptionArguments().isEmpty()) {
            throw new UsageException("name at least one run folder (try --help)");
        }
        KernelMatrix matrix = new KernelMatrix();
        for (Object folder : options.nonOptionArguments()) {
            Path dir = Path.of((String) folder);
            if (!Files.isDirectory(dir)) {
                throw new UsageException("not a run folder: " + dir);
            }
            matrix.add(dir);
        }
        String markdown = matrix.markdown();
        out.print(markdown);
        if (options.has(outOption)) {
            StringBuilder command = new StringBuilder("java -jar target/benchmarks.jar matrix");
            for (String arg : args) {
                command.append(' ').append(arg);
            }
            Files.writeString(Path.of(options.valueOf(outOption)), "# Kernel matrix\n\nGenerated from the run "
                    + "folders below, and nothing else, by\n`" + command + "`\n" + GeneratedDocs.WRITTEN_BY_MATRIX
                    + ". How the folders are made: docs/KERNELS.md.\n\n" + markdown,
                    StandardCharsets.UTF_8);
        }
        if (options.has(requireOneRtt) && !matrix.physicsHolds()) {
            err.println("matrix: a fast open first request with an emulated RTT did not save "
                    + KernelMatrix.ONE_RTT_BAND + " RTT (rows marked above)");
            return 1;
        }
        return 0;
    }
}
