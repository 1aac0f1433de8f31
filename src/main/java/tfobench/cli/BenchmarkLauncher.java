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
import java.util.Optional;

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
        } else if (PrivateNamespace.inside()) {
            PrivateNetns.prepare();
            namespace = "private network namespace (unshare " + String.join(" ", PrivateNamespace.unshareFlags())
                    + "); tcp_fastopen=3 set there, host untouched";
        } else if (PrivateNamespace.optedOut()) {
            namespace = "host's network namespace (TFOBENCH_NETNS=host): counters include other traffic";
        } else {
            Optional<String> whyNot = PrivateNamespace.whyNot();
            if (whyNot.isEmpty()) {
                out.println("# tfo-bench: re-running inside a private network namespace (unshare "
                        + String.join(" ", PrivateNamespace.unshareFlags()) + ") where tcp_fastopen=3 applies to "
                        + "this run only; the host's settings stay as they are");
                out.flush();
                Optional<Integer> status = PrivateNamespace.reexec();
                if (status.isPresent()) {
                    return status.get();
                }
                whyNot = Optional.of("cannot read this process's command line to re-run it");
            }
            namespace = "host's network namespace (no private one: " + whyNot.get() + ")";
            Preflight preflight = Preflight.check(namespace);
            if (!preflight.fastOpenReady()) {
                preflight.print(out);
                err.println("tfo-bench: " + PrivateNamespace.fix(whyNot.get()));
                return 1;
            }
        }

        Preflight preflight = Preflight.check(namespace);
        preflight.print(out);

        Path root = Path.of(setting(RESULTS_PROPERTY, "TFOBENCH_RESULTS", RunFolder.DEFAULT_ROOT));
        Path runDir = RunFolder.create(root, preflight.kernel, setting(LABEL_PROPERTY, "TFOBENCH_LABEL", "run"));
        out.println("# results: " + runDir);
        Map<String, Object> facts = runFacts(args, preflight, runDir);
        if (!remoteHosts.isEmpty()) {
            facts.put("network", Map.of("path", "to remote server(s) " + String.join(", ", remoteHosts)
                    + " (see each result's host parameter)", "rttEmulation", "none"));
        }
        EnvironmentSnapshot.write(runDir.resolve(RunFolder.ENVIRONMENT_JSON),
                EnvironmentSnapshot.capture(namespace, facts));

        String runDirProperty = "-D" + LatencyRecording.RUN_DIR_PROPERTY + "=" + runDir.toAbsolutePath();
        System.setProperty(LatencyRecording.RUN_DIR_PROPERTY, runDir.toAbsolutePath().toString()); // for -f 0
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
        writeCounters(runDir.resolve(RunFolder.TCPEXT_JSON), TcpExtCounters.read().minus(before));
        if (userResult != null && Files.exists(userResult)
                && cmd.getResultFormat().orElse(Defaults.RESULT_FORMAT) == ResultFormatType.JSON) {
            Files.copy(userResult, runDir.resolve(RunFolder.JMH_JSON), StandardCopyOption.REPLACE_EXISTING);
        }

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
        facts.put("nettyVersion", io.netty.util.Version.identify().values().stream()
                .filter(v -> v.artifactId().equals("netty-transport-classes-epoll")).map(v -> v.artifactVersion())
                .findFirst().orElse("unknown"));
        return facts;
    }

    private static void writeCounters(Path file, TcpExtCounters delta) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("scope", "whole run (all forks), this network namespace");
        doc.put("fastOpen", delta.fastOpen());
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
}
