package tfobench.cli;

import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import tfobench.Settings;
import tfobench.Transport;
import tfobench.bench.ExchangeBenchmark;
import tfobench.bench.Placement;
import tfobench.client.Handshake;
import tfobench.load.LoadPoint;
import tfobench.load.LoadResult;
import tfobench.load.LoadResultsWriter;
import tfobench.load.OpenLoopRunner;
import tfobench.report.EnvironmentSnapshot;
import tfobench.report.RunFolder;
import tfobench.server.CalcServer;
import tfobench.server.ServerConfig;
import tfobench.server.Servers;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code load --handshake cold,tfo --rate 1000,5000 --duration 10s}: open-loop load (see {@link OpenLoopRunner}).
 * New connections start on a fixed schedule from several client threads; each first request is measured from
 * its intended start. Several rates make a sweep. Writes a run folder like the JMH suite's.
 */
final class LoadTool implements Main.Tool {

    @Override
    public String synopsis() {
        return "load --rate N[,N...] [--handshake cold,tfo] [--duration 10s] [--placement same-cpu,cross-cpu] "
                + "[options]";
    }

    @Override
    public String summary() {
        return "open-loop load: new connections on a fixed schedule, latency from the intended start; a rate list "
                + "sweeps";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        OptionParser parser = Options.parser();
        OptionSpec<String> handshakes = parser.accepts("handshake", "cold, tfo, tfo-connect (comma list)")
                .withRequiredArg().defaultsTo("cold,tfo");
        OptionSpec<String> rates = parser.accepts("rate", "connections per second, e.g. 5000 or 5000/s; a comma "
                + "list sweeps").withRequiredArg().required();
        OptionSpec<String> duration = parser.accepts("duration", "measured time per point, e.g. 10s, 500ms, 1m")
                .withRequiredArg().defaultsTo("10s");
        OptionSpec<String> warmup = parser.accepts("warmup", "unrecorded time at the rate before each point")
                .withRequiredArg().defaultsTo("2s");
        OptionSpec<String> threads = parser.accepts("threads", "client threads sharing the schedule")
                .withRequiredArg().defaultsTo("4");
        OptionSpec<String> transport = parser.accepts("transport", "native or netty (client and server)")
                .withRequiredArg().defaultsTo("native");
        OptionSpec<String> placement = parser.accepts("placement", "same-cpu, cross-cpu or none (comma list)")
                .withRequiredArg().defaultsTo("cross-cpu");
        OptionSpec<Void> allowFallback = parser.accepts("allow-fallback",
                "count fast opens that fell back instead of failing on them");
        OptionSpec<String> label = parser.accepts("label", "run folder label (after 'load-')").withRequiredArg();
        OptionSpec<String> results = parser.accepts("results", "results root").withRequiredArg()
                .defaultsTo(Settings.RESULTS.defaultValue());
        Optional<OptionSet> parsed = Options.parse(this, parser, args, out);
        if (parsed.isEmpty()) {
            return 0;
        }
        OptionSet options = parsed.get();
        Options.noArguments(options);
        List<Handshake> handshakeList = new ArrayList<>();
        for (String h : options.valueOf(handshakes).split(",")) {
            Handshake handshake = Options.label(Handshake::fromLabel, h.trim());
            if (handshake == Handshake.KEEPALIVE) {
                throw new UsageException("--handshake keepalive: open-loop load measures new connections "
                        + "(cold, tfo, tfo-connect)");
            }
            handshakeList.add(handshake);
        }
        Transport t = Options.label(Transport::fromLabel, options.valueOf(transport));
        List<Placement> placements = new ArrayList<>();
        for (String pl : options.valueOf(placement).split(",")) {
            placements.add(Options.label(Placement::fromLabel, pl.trim()));
        }
        TreeSet<Integer> rateList = new TreeSet<>();
        for (String r : options.valueOf(rates).split(",")) {
            rateList.add(Options.intInRange("rate", r.trim().replaceFirst("/s$", ""), 1, 10_000_000));
        }
        Duration measured = Options.duration("duration", options.valueOf(duration));
        Duration warm = Options.duration("warmup", options.valueOf(warmup));
        if (measured.isZero()) {
            throw new UsageException("--duration must be longer than 0");
        }
        int clientThreads = Options.intInRange("threads", options.valueOf(threads), 1, 1024);

        PrivateNamespace.Entry entry = PrivateNamespace.enter(out, err);
        if (entry.finished()) {
            return entry.exitStatus();
        }
        Preflight preflight = Preflight.check(entry.namespace());
        preflight.print(out);
        Map<Placement, Placement.CpuPlan> plans = new LinkedHashMap<>();
        for (Placement p : placements) {
            plans.put(p, p.plan(preflight.cpus));
        }

        Path runDir = RunFolder.create(Path.of(options.valueOf(results)), preflight.kernel,
                options.has(label) ? "load-" + options.valueOf(label) : "load");
        out.println("# results: " + runDir);
        Map<String, String> planText = new LinkedHashMap<>();
        plans.forEach((p, plan) -> planText.put(p.label(), plan.toString()));
        EnvironmentSnapshot.write(runDir.resolve(RunFolder.ENVIRONMENT_JSON), EnvironmentSnapshot.capture(
                entry.namespace(), new LoadFacts("load (open loop)", List.of(args), planText, clientThreads,
                        preflight.scenarios)));

        LoadResultsWriter writer = new LoadResultsWriter(runDir);
        List<LoadResult> all = new ArrayList<>();
        for (Map.Entry<Placement, Placement.CpuPlan> plan : plans.entrySet()) {
            Map<Handshake, CalcServer> servers = new EnumMap<>(Handshake.class);
            try {
                for (Handshake h : handshakeList) {
                    servers.put(h, startServer(t, h, clientThreads, plan.getValue()));
                }
                for (int rate : rateList) {
                    for (Handshake h : handshakeList) {
                        LoadPoint point = new LoadPoint(h, t, rate, warm, measured, clientThreads,
                                plan.getValue().client(), options.has(allowFallback), plan.getKey().label());
                        out.printf(Locale.ROOT, "# load: %s, %s at %d connections/s for %.1f s (+%.1f s warm-up), "
                                + "%d threads...%n", plan.getKey().label(), h.label(), rate,
                                measured.toMillis() / 1000.0, warm.toMillis() / 1000.0, clientThreads);
                        out.flush();
                        LoadResult result;
                        try (LoadResultsWriter.IntervalLog log = writer.openLog(point)) {
                            result = new OpenLoopRunner(point, servers.get(h).address()).run(log.writer());
                        }
                        writer.add(result);
                        all.add(result);
                        out.print(LoadResultsWriter.table(List.of(result)).lines().skip(2)
                                .reduce("", (a, b) -> a + "#   " + b + "\n"));
                        if (!result.errors().isEmpty()) {
                            out.println("#   errors: " + result.errors());
                        }
                    }
                }
            } finally {
                for (CalcServer server : servers.values()) {
                    server.close();
                }
            }
        }
        out.println();
        out.print(LoadResultsWriter.table(all));
        out.println("# results in " + runDir);
        boolean contradicted = all.stream().anyMatch(LoadResult::evidenceContradicts);
        if (contradicted) {
            err.println("load: a point's SYN-data evidence contradicts its handshake (see the table); run with "
                    + "--allow-fallback to measure anyway");
            return 1;
        }
        return 0;
    }

    /** What an open-loop run's environment.json records besides the machine. */
    record LoadFacts(String tool, List<String> arguments, Map<String, String> placements, int clientThreads,
                     Map<String, String> scenarios) {
    }

    private static CalcServer startServer(Transport t, Handshake h, int clientThreads, Placement.CpuPlan cpus)
            throws Exception {
        InetAddress address = h.fastOpen() ? ExchangeBenchmark.FAST_OPEN_ADDRESS : ExchangeBenchmark.PLAIN_ADDRESS;
        ServerConfig config = (h.fastOpen() ? ServerConfig.fastOpen(t) : ServerConfig.plain(t))
                .withBind(new InetSocketAddress(address, 0)).withCpus(cpus.server());
        if (t == Transport.NATIVE) {
            config = config.withThreads(clientThreads + 2); // one server thread per open connection
        }
        return Servers.start(config);
    }
}
