package tfobench.cli;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Defaults;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.ProfilersFailedException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import tfobench.JsonFile;
import tfobench.Settings;
import tfobench.HarnessSwitches;
import tfobench.bench.CpuCostProfiler;
import tfobench.bench.FastOpenEvidenceProfiler;
import tfobench.bench.ServerLocation;
import tfobench.linux.LinuxLayer;
import tfobench.linux.LoopbackDelay;
import tfobench.linux.TcpExtCounters;
import tfobench.report.EnvironmentSnapshot;
import tfobench.report.RunFolder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code java -jar benchmarks.jar [JMH options]}: JMH as its users know it, plus what makes the numbers
 * citable. Help and listing go straight to JMH (help first names the jar's tools). A run first moves into a
 * private network namespace with TCP Fast Open on (re-executing itself under {@code unshare}; the host is never
 * changed), prints the preflight, then runs JMH with the evidence profiler added, writing a run folder: JMH's JSON,
 * {@code environment.json}, the HdrHistogram files and the run's TcpExt deltas. Exits non-zero if any benchmark
 * failed.
 */
final class BenchmarkLauncher {
    private final String[] args;
    private final PrintStream out;
    private final PrintStream err;

    private BenchmarkLauncher(String[] args, PrintStream out, PrintStream err) {
        this.args = Arrays.stream(args).map(a -> a.equals("--help") ? "-h" : a).toArray(String[]::new);
        this.out = out;
        this.err = err;
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        try {
            return new BenchmarkLauncher(args, out, err).launch();
        } catch (Refusal r) {
            r.print(err);
            return 1;
        }
    }

    /** The run, step by step, in the order the user sees the steps happen. */
    private int launch() throws Exception {
        CommandLineOptions jmh = parseJmhCommandLine();
        if (jmh.shouldHelp() || jmh.shouldList() || jmh.shouldListWithParams() || jmh.shouldListProfilers()
                || jmh.shouldListResultFormats()) {
            return helpOrListWithJmh(jmh);
        }
        List<String> harness = checkHarnessAndLinuxLayer();
        List<String> remoteHosts = remoteHosts(jmh);
        PrivateNamespace.Entry namespace = enterNamespace(remoteHosts);
        if (namespace.finished()) {
            return namespace.exitStatus(); // the run happened in the re-executed child, inside the namespace
        }
        Preflight preflight = printPreflight(namespace.namespace(), remoteHosts);
        List<Integer> rtts = refuseRttsWithoutNetem(jmh, preflight);
        Path runDir = createRunFolder(preflight, harness);
        recordEnvironment(runDir, namespace.namespace(), RunFacts.of(List.of(args), runDir, preflight, remoteHosts,
                rtts, harness));
        announceRunDir(runDir);

        TcpExtCounters before = TcpExtCounters.read();
        TrackingOutputFormat console = new TrackingOutputFormat(OutputFormatFactory.createFormatInstance(out,
                jmh.verbosity().orElse(Defaults.VERBOSITY)));
        Collection<RunResult> results = runJmh(jmh, runDir, console, harness);
        saveTcpExtDelta(runDir, TcpExtCounters.read().minus(before),
                FastOpenEvidenceProfiler.trialCounters(runDir));
        copyUserResultIntoRunFolder(jmh, runDir);

        CaptureStep.run(results, runDir, out, err);
        CalibrationStep.run(results, runDir, preflight.cpus, out, err);
        return printOutcome(results, console.failed(), runDir);
    }

    /** JMH's own command line; a bad option is JMH's error and exit status 1. */
    private CommandLineOptions parseJmhCommandLine() throws Refusal {
        try {
            return new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            throw new Refusal("Error parsing command line:\n " + e.getMessage());
        }
    }

    /** {@code -h} names the jar's tools first; help and every listing are JMH's own, and nothing is written. */
    private int helpOrListWithJmh(CommandLineOptions jmh) throws Exception {
        if (jmh.shouldHelp()) {
            Main.printTools(out);
            out.flush();
        }
        org.openjdk.jmh.Main.main(args);
        return 0;
    }

    /**
     * The harness switches ({@link Settings#HARNESS}) and the linux layer ({@link Settings#LINUX}), checked before
     * the preflight (whose trials load the classes that read them): a bad value is one line, not a failure in every
     * fork.
     */
    private static List<String> checkHarnessAndLinuxLayer() throws Refusal {
        try {
            List<String> harness = HarnessSwitches.parse(Settings.HARNESS.value());
            LinuxLayer.name();
            return harness;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new Refusal("tfo-bench: " + e.getMessage());
        }
    }

    /** The {@code -p host=} values that name a remote server (anything but loopback), checked. */
    private static List<String> remoteHosts(CommandLineOptions jmh) throws Refusal {
        List<String> remote = new ArrayList<>();
        try {
            for (String host : jmh.getParameter("host").orElse(List.of())) {
                if (ServerLocation.remote(host).isPresent()) {
                    remote.add(host);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new Refusal("tfo-bench: " + e.getMessage());
        }
        return remote;
    }

    /**
     * A private namespace with fast open on (re-running this command line inside one when needed), except against
     * a remote server: a fresh namespace has only lo and could not reach it, so that run measures from where the
     * user is.
     */
    private PrivateNamespace.Entry enterNamespace(List<String> remoteHosts) throws IOException, InterruptedException {
        if (remoteHosts.isEmpty()) {
            return PrivateNamespace.enter(out, err);
        }
        String namespace = "this network namespace (-p host=" + String.join(",", remoteHosts) + " names a remote "
                + "server, which a private namespace could not reach)";
        out.println("# tfo-bench: " + namespace + "; the server's TcpExt counters stay on its host");
        return new PrivateNamespace.Entry(namespace, null);
    }

    /** What this machine can measure, before anything is; against a remote server no scenario is tried here. */
    private Preflight printPreflight(String namespace, List<String> remoteHosts) throws IOException {
        Preflight preflight = remoteHosts.isEmpty() ? Preflight.check(namespace)
                : Preflight.checkWithoutTrials(namespace);
        preflight.print(out);
        return preflight;
    }

    /** The requested RTTs; any above 0 needs netem on lo, or the run is refused before anything is measured. */
    private static List<Integer> refuseRttsWithoutNetem(CommandLineOptions jmh, Preflight preflight) throws Refusal {
        List<Integer> rtts;
        try {
            rtts = requestedRtts(jmh);
        } catch (IllegalArgumentException e) {
            throw new Refusal("tfo-bench: " + e.getMessage());
        }
        if (rtts.stream().anyMatch(r -> r > 0) && preflight.netemWhyNot != null) {
            throw new Refusal("tfo-bench: -p rtt=" + rtts.stream().map(String::valueOf)
                    .collect(Collectors.joining(",")) + " needs netem on lo, which is not available here ("
                    + preflight.netemWhyNot + "): " + LoopbackDelay.FIX);
        }
        return rtts;
    }

    /**
     * The rtt values of {@code -p rtt=...}, or [0] (the default) when not given.
     *
     * @throws IllegalArgumentException with one line when a value is not a whole number of milliseconds
     */
    static List<Integer> requestedRtts(CommandLineOptions jmh) {
        org.openjdk.jmh.util.Optional<Collection<String>> values = jmh.getParameter("rtt");
        if (!values.hasValue()) {
            return List.of(0);
        }
        List<Integer> rtts = new ArrayList<>();
        for (String v : values.get()) {
            try {
                int rtt = Integer.parseInt(v.trim());
                if (rtt < 0 || rtt > 10_000) {
                    throw new NumberFormatException();
                }
                rtts.add(rtt);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-p rtt takes round-trip times in whole milliseconds (0-10000), "
                        + "got '" + v + "'");
            }
        }
        return rtts;
    }

    /**
     * {@code <results>/<date>-<kernel>-<label>/}; an emulated run's label starts with {@code emulated-}, one with
     * harness switches ends with {@code -harness-<switches>}.
     */
    private Path createRunFolder(Preflight preflight, List<String> harness) throws IOException {
        String label = Settings.LABEL.value();
        if (!Settings.EMULATION.value().isEmpty() && !label.startsWith("emulated-")) {
            label = "emulated-" + label;
        }
        if (preflight.blackhole.active()) {
            // Labelled where it cannot be missed: the folder name, environment.json and this line.
            out.println("# tfo-bench: " + preflight.blackhole.refusal() + "; fast open benchmarks refuse to run, "
                    + "the others are measured");
            if (!label.contains("blackhole")) {
                label = label + "-fastopen-blackholed";
            }
        }
        if (!harness.isEmpty()) {
            label = label + "-harness-" + String.join("+", harness);
        }
        Path runDir = RunFolder.create(Path.of(Settings.RESULTS.value()), preflight.kernel, label);
        out.println("# results: " + runDir);
        return runDir;
    }

    private static void recordEnvironment(Path runDir, String namespace, RunFacts facts) throws IOException {
        EnvironmentSnapshot.write(runDir.resolve(RunFolder.ENVIRONMENT_JSON),
                EnvironmentSnapshot.capture(namespace, facts));
    }

    /**
     * Tells the forks where the latency files go ({@link Settings#RUN_DIR}; also this JVM, for {@code -f 0}), and a
     * calling script ({@link Settings#RUN_DIR_FILE}) where the run folder is, without parsing the console output.
     */
    private static void announceRunDir(Path runDir) throws IOException {
        System.setProperty(Settings.RUN_DIR.property(), runDir.toAbsolutePath().toString());
        String file = Settings.RUN_DIR_FILE.value();
        if (!file.isEmpty()) {
            Files.writeString(Path.of(file), runDir.toAbsolutePath() + "\n", StandardCharsets.UTF_8);
        }
    }

    /**
     * JMH with the user's options, the evidence and CPU profilers added, the run folder, harness switches and linux
     * layer passed to the forks, and JMH's JSON into the run folder unless the user asked for a result file of
     * their own.
     */
    private Collection<RunResult> runJmh(CommandLineOptions jmh, Path runDir, TrackingOutputFormat console,
                                         List<String> harness) throws Refusal {
        List<String> jvmArgsAppend = new ArrayList<>(jmh.getJvmArgsAppend().orElse(List.of()));
        jvmArgsAppend.add("-D" + Settings.RUN_DIR.property() + "=" + runDir.toAbsolutePath());
        if (!harness.isEmpty()) { // measuring what a part of the harness costs (docs/COST.md): the forks need it too
            jvmArgsAppend.add("-D" + Settings.HARNESS.property() + "=" + String.join(",", harness));
        }
        if (Settings.LINUX.isSet()) { // the forks choose their binding as this JVM did
            jvmArgsAppend.add("-D" + Settings.LINUX.property() + "=" + Settings.LINUX.value());
        }
        if (Runtime.version().feature() >= 22) { // JNA and the FFM layer call native code: no warning in each fork
            jvmArgsAppend.add("--enable-native-access=ALL-UNNAMED");
        }
        ChainedOptionsBuilder options = new OptionsBuilder().parent(jmh)
                .addProfiler(FastOpenEvidenceProfiler.class)
                .addProfiler(CpuCostProfiler.class)
                .jvmArgsAppend(jvmArgsAppend.toArray(new String[0]));
        if (userResultFile(jmh).isEmpty()) {
            options.resultFormat(ResultFormatType.JSON).result(runDir.resolve(RunFolder.JMH_JSON).toString());
        }
        try {
            return new Runner(options.build(), console).run();
        } catch (NoBenchmarksException e) {
            throw new Refusal("No matching benchmarks. Miss-spelled regexp? (java -jar benchmarks.jar -l lists them)");
        } catch (ProfilersFailedException e) {
            throw new Refusal("tfo-bench: a profiler failed: " + e.getMessage());
        } catch (RunnerException e) {
            throw new Refusal("ERROR: ", e);
        }
    }

    /** The result file the user asked for with {@code -rf}/{@code -rff}, if any. */
    private static Optional<Path> userResultFile(CommandLineOptions jmh) {
        if (!jmh.getResult().hasValue() && !jmh.getResultFormat().hasValue()) {
            return Optional.empty();
        }
        ResultFormatType type = jmh.getResultFormat().orElse(Defaults.RESULT_FORMAT);
        return Optional.of(Path.of(jmh.getResult().orElse(Defaults.RESULT_FILE_PREFIX + "."
                + type.toString().toLowerCase())));
    }

    /**
     * {@code tcpext-delta.json}: the whole run's TcpExt counters, the launcher's namespace over the run plus every
     * trial's own namespace (each trial of a network benchmark runs in a fresh one, so its traffic is counted there).
     */
    record TcpExtDelta(String scope, Map<String, Long> fastOpen, Map<String, Long> tail, Map<String, Long> all) {
    }

    private static void saveTcpExtDelta(Path runDir, TcpExtCounters launcher, TcpExtCounters trials)
            throws IOException {
        TcpExtCounters delta = launcher.plus(trials);
        JsonFile.write(runDir.resolve(RunFolder.TCPEXT_JSON), new TcpExtDelta("whole run (all forks, warm-up and "
                + "setup included): this network namespace plus each trial's own ("
                + FastOpenEvidenceProfiler.TRIAL_COUNTERS + ")", delta.fastOpen(), delta.tail(), delta.asMap()));
    }

    /** A JSON result file the user asked for is written where asked and copied into the run folder. */
    private static void copyUserResultIntoRunFolder(CommandLineOptions jmh, Path runDir) throws IOException {
        Optional<Path> userResult = userResultFile(jmh);
        if (userResult.isPresent() && Files.exists(userResult.get())
                && jmh.getResultFormat().orElse(Defaults.RESULT_FORMAT) == ResultFormatType.JSON) {
            Files.copy(userResult.get(), runDir.resolve(RunFolder.JMH_JSON), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** One line for the run, one {@code FAILED:} line per benchmark that produced no result; 0 only if none. */
    private int printOutcome(Collection<RunResult> results, List<BenchmarkParams> failed, Path runDir) {
        out.println("# tfo-bench: " + results.size() + " benchmark(s) measured, " + failed.size() + " failed; "
                + "results in " + runDir);
        for (BenchmarkParams f : failed) {
            err.println("FAILED: " + f.getBenchmark() + " " + params(f) + " (its error is printed above)");
        }
        return failed.isEmpty() ? 0 : 1;
    }

    private static String params(BenchmarkParams p) {
        return p.getParamsKeys().stream().map(key -> key + "=" + p.getParam(key))
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /** A run that stops before measuring, or instead: what stderr gets; exit status 1. */
    private static final class Refusal extends Exception {
        Refusal(String line) {
            super(line);
        }

        /** The line, then the cause's stack trace right after it (JMH's own failures). */
        Refusal(String prefix, Throwable cause) {
            super(prefix, cause);
        }

        void print(PrintStream err) {
            if (getCause() == null) {
                err.println(getMessage());
            } else {
                err.print(getMessage());
                getCause().printStackTrace(err);
            }
        }
    }
}
