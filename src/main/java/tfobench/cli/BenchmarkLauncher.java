package tfobench.cli;

import com.google.gson.GsonBuilder;
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
import tfobench.bench.FastOpenEvidenceProfiler;
import tfobench.bench.LatencyRecording;
import tfobench.bench.Placement;
import tfobench.linux.LoopbackDelay;
import tfobench.bench.ServerLocation;
import tfobench.linux.PrivateNetns;
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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar benchmarks.jar [JMH options]}: JMH as its users know it, plus what makes the numbers
 * citable. Listing and help go straight to JMH. A run first moves into a private network namespace with TCP
 * Fast Open on (re-executing itself under {@code unshare}; the host is never changed), prints the preflight,
 * then runs JMH with the evidence profiler added, writing a run folder: JMH's JSON, {@code environment.json},
 * the HdrHistogram files and the run's TcpExt deltas. Exits non-zero if any benchmark failed.
 */
final class BenchmarkLauncher {
    /** Results root: system property or environment variable, default {@code bench-results}. */
    static final String RESULTS_PROPERTY = "tfobench.results";
    static final String LABEL_PROPERTY = "tfobench.label";
    /**
     * Set by whoever runs the jar inside an emulated machine (scripts/kernel-matrix.sh: qemu without KVM): its
     * value describes the emulation. The run folder's label then starts with {@code emulated-} and
     * environment.json says its timings are not the hardware's.
     */
    static final String EMULATION_ENV = "TFOBENCH_EMULATION";
    /** Optional: where the jar came from (the kernel matrix script passes the git commit). */
    static final String SOURCE_ENV = "TFOBENCH_SOURCE";

    private BenchmarkLauncher() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            err.println("Error parsing command line:");
            err.println(" " + e.getMessage());
            return 1;
        }
        if (cmd.shouldHelp() || cmd.shouldList() || cmd.shouldListWithParams() || cmd.shouldListProfilers()
                || cmd.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return 0;
        }

        List<String> remoteHosts;
        try {
            remoteHosts = remoteHosts(cmd);
        } catch (IllegalArgumentException e) {
            err.println("tfo-bench: " + e.getMessage());
            return 1;
        }
        String namespace;
        if (!remoteHosts.isEmpty()) {
            // A fresh namespace has only lo: it could not reach the server. Measure from where the user is.
            namespace = "this network namespace (-p host=" + String.join(",", remoteHosts) + " names a remote server, "
                    + "which a private namespace could not reach)";
            out.println("# tfo-bench: " + namespace + "; the server's TcpExt counters stay on its host");
        } else {
            PrivateNamespace.Entry entry = PrivateNamespace.enter(out, err);
            if (entry.finished()) {
                return entry.exitStatus();
            }
            namespace = entry.namespace();
        }

        Preflight preflight = remoteHosts.isEmpty() ? Preflight.check(namespace)
                : Preflight.checkWithoutTrials(namespace);
        preflight.print(out);

        List<Integer> rtts;
        try {
            rtts = requestedRtts(cmd);
        } catch (IllegalArgumentException e) {
            err.println("tfo-bench: " + e.getMessage());
            return 1;
        }
        if (rtts.stream().anyMatch(r -> r > 0) && preflight.netemWhyNot != null) {
            err.println("tfo-bench: -p rtt=" + join(rtts) + " needs netem on lo, which is not available here ("
                    + preflight.netemWhyNot + "): " + LoopbackDelay.FIX);
            return 1;
        }

        Path root = Path.of(setting(RESULTS_PROPERTY, "TFOBENCH_RESULTS", RunFolder.DEFAULT_ROOT));
        String emulation = System.getenv(EMULATION_ENV);
        String label = setting(LABEL_PROPERTY, "TFOBENCH_LABEL", "run");
        if (emulation != null && !emulation.isBlank() && !label.startsWith("emulated-")) {
            label = "emulated-" + label;
        }
        Path runDir = RunFolder.create(root, preflight.kernel, label);
        out.println("# results: " + runDir);
        Map<String, Object> facts = runFacts(args, preflight, runDir);
        facts.put("network", !remoteHosts.isEmpty()
                ? Map.of("path", "to remote server(s) " + String.join(", ", remoteHosts)
                        + " (see each result's host parameter)", "rttEmulation", "none")
                : network(rtts, preflight));
        facts.put("emulation", emulation == null || emulation.isBlank() ? "none: timings are this machine's"
                : Map.of("emulated", true, "how", emulation, "meaning", "function and millisecond (RTT-scale) "
                        + "effects only; microsecond timings under emulation are not the hardware's"));
        facts.put("provenance", provenance());
        EnvironmentSnapshot.write(runDir.resolve(RunFolder.ENVIRONMENT_JSON),
                EnvironmentSnapshot.capture(namespace, facts));

        String runDirProperty = "-D" + LatencyRecording.RUN_DIR_PROPERTY + "=" + runDir.toAbsolutePath();
        System.setProperty(LatencyRecording.RUN_DIR_PROPERTY, runDir.toAbsolutePath().toString()); // for -f 0
        announceRunDir(runDir);
        List<String> jvmArgsAppend = new ArrayList<>(cmd.getJvmArgsAppend().orElse(List.of()));
        jvmArgsAppend.add(runDirProperty);
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cmd)
                .addProfiler(FastOpenEvidenceProfiler.class)
                .jvmArgsAppend(jvmArgsAppend.toArray(new String[0]));
        Path userResult = null;
        if (cmd.getResult().hasValue() || cmd.getResultFormat().hasValue()) {
            ResultFormatType type = cmd.getResultFormat().orElse(Defaults.RESULT_FORMAT);
            userResult = Path.of(cmd.getResult().orElse(Defaults.RESULT_FILE_PREFIX + "."
                    + type.toString().toLowerCase()));
        } else {
            options.resultFormat(ResultFormatType.JSON).result(runDir.resolve(RunFolder.JMH_JSON).toString());
        }

        TrackingOutputFormat output = new TrackingOutputFormat(OutputFormatFactory.createFormatInstance(out,
                cmd.verbosity().orElse(Defaults.VERBOSITY)));
        TcpExtCounters before = TcpExtCounters.read();
        Collection<RunResult> results;
        try {
            results = new Runner(options.build(), output).run();
        } catch (NoBenchmarksException e) {
            err.println("No matching benchmarks. Miss-spelled regexp? (java -jar benchmarks.jar -l lists them)");
            return 1;
        } catch (ProfilersFailedException e) {
            err.println("tfo-bench: a profiler failed: " + e.getMessage());
            return 1;
        } catch (RunnerException e) {
            err.print("ERROR: ");
            e.printStackTrace(err);
            return 1;
        }
        writeCounters(runDir.resolve(RunFolder.TCPEXT_JSON), TcpExtCounters.read().minus(before),
                FastOpenEvidenceProfiler.trialCounters(runDir));
        if (userResult != null && Files.exists(userResult)
                && cmd.getResultFormat().orElse(Defaults.RESULT_FORMAT) == ResultFormatType.JSON) {
            Files.copy(userResult, runDir.resolve(RunFolder.JMH_JSON), StandardCopyOption.REPLACE_EXISTING);
        }

        CaptureStep.run(results, runDir, out, err);
        CalibrationStep.run(results, runDir, preflight.cpus, out, err);

        List<BenchmarkParams> failed = output.failed();
        out.println("# tfo-bench: " + results.size() + " benchmark(s) measured, " + failed.size() + " failed; "
                + "results in " + runDir);
        for (BenchmarkParams f : failed) {
            err.println("FAILED: " + f.getBenchmark() + " " + params(f) + " (its error is printed above)");
        }
        return failed.isEmpty() ? 0 : 1;
    }

    /** The {@code -p host=} values that name a remote server (anything but loopback), checked. */
    private static List<String> remoteHosts(CommandLineOptions cmd) {
        List<String> remote = new ArrayList<>();
        for (String host : cmd.getParameter("host").orElse(List.of())) {
            if (ServerLocation.remote(host).isPresent()) {
                remote.add(host);
            }
        }
        return remote;
    }

    private static Map<String, Object> runFacts(String[] args, Preflight preflight, Path runDir) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("jmhArguments", List.of(args));
        facts.put("runFolder", runDir.toString());
        Map<String, String> plans = new LinkedHashMap<>();
        for (Placement p : Placement.values()) {
            try {
                plans.put(p.label(), p.plan(preflight.cpus).toString());
            } catch (RuntimeException e) {
                plans.put(p.label(), "impossible: " + e.getMessage());
            }
        }
        facts.put("placements", Map.of("parameter", "placement (see each result's params)", "plans", plans));
        facts.put("scenarios", preflight.scenarios);
        facts.put("nettyEpoll", preflight.epoll ? "available" : "unavailable: " + preflight.epollWhyNot);
        facts.put("jmhVersion", org.openjdk.jmh.util.Version.getPlainVersion());
        facts.put("nettyVersion", EnvironmentSnapshot.nettyVersion());
        return facts;
    }

    /**
     * The rtt values of {@code -p rtt=...}, or [0] (the default) when not given.
     *
     * @throws IllegalArgumentException with one line when a value is not a whole number of milliseconds
     */
    static List<Integer> requestedRtts(CommandLineOptions cmd) {
        org.openjdk.jmh.util.Optional<Collection<String>> values = cmd.getParameter("rtt");
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

    private static Map<String, Object> network(List<Integer> rtts, Preflight preflight) {
        Map<String, Object> network = new LinkedHashMap<>();
        network.put("path", "loopback");
        network.put("rttMillisRequested", rtts);
        network.put("rttEmulation", rtts.stream().anyMatch(r -> r > 0)
                ? "netem on lo: delay rtt/2 per direction, applied per trial (each result's params.rtt)"
                : "none (plain loopback)");
        network.put("netem", preflight.netemWhyNot == null ? "available" : "unavailable: " + preflight.netemWhyNot);
        return network;
    }

    /** Which jar measured: the commit it was built from and whether it had changes, its SHA-256, its origin. */
    private static Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>(EnvironmentSnapshot.build());
        try {
            Path jar = Path.of(BenchmarkLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            p.put("jar", jar.toString());
            if (Files.isRegularFile(jar)) {
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                try (java.io.InputStream in = Files.newInputStream(jar)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        sha.update(buffer, 0, n);
                    }
                }
                p.put("jarSha256", java.util.HexFormat.of().formatHex(sha.digest()));
            }
        } catch (Exception e) {
            p.put("jar", "unknown: " + e);
        }
        String source = System.getenv(SOURCE_ENV);
        if (source != null && !source.isBlank()) {
            p.put("source", source);
        }
        return p;
    }

    private static String join(List<Integer> values) {
        StringBuilder s = new StringBuilder();
        for (Integer v : values) {
            s.append(s.length() == 0 ? "" : ",").append(v);
        }
        return s.toString();
    }

    /**
     * The whole run's counters: the launcher's namespace over the run plus every trial's own namespace (each trial
     * of a network benchmark runs in a fresh one, so its traffic is counted there, not here).
     */
    private static void writeCounters(Path file, TcpExtCounters launcher, TcpExtCounters trials) throws IOException {
        TcpExtCounters delta = launcher.plus(trials);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("scope", "whole run (all forks, warm-up and setup included): this network namespace plus each "
                + "trial's own (" + FastOpenEvidenceProfiler.TRIAL_COUNTERS + ")");
        doc.put("fastOpen", delta.fastOpen());
        doc.put("tail", delta.tail());
        doc.put("all", delta.asMap());
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(doc) + "\n",
                StandardCharsets.UTF_8);
    }

    private static String params(BenchmarkParams p) {
        StringBuilder s = new StringBuilder("(");
        for (String key : p.getParamsKeys()) {
            if (s.length() > 1) {
                s.append(", ");
            }
            s.append(key).append('=').append(p.getParam(key));
        }
        return s.append(')').toString();
    }

    private static String setting(String property, String env, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    /** A file to write the run folder's absolute path into once it exists, for scripts (scripts/bench.sh). */
    static final String RUN_DIR_FILE_PROPERTY = "tfobench.runDirFile";

    /** Tells a calling script where the results go, without it having to parse the console output. */
    private static void announceRunDir(Path runDir) throws IOException {
        String file = setting(RUN_DIR_FILE_PROPERTY, "TFOBENCH_RUN_DIR_FILE", "");
        if (!file.isEmpty()) {
            Files.writeString(Path.of(file), runDir.toAbsolutePath() + "\n", StandardCharsets.UTF_8);
        }
    }
}
