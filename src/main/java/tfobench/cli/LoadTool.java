package tfobench.cli;

import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import tfobench.AddressFamily;
import tfobench.Settings;
import tfobench.Transport;
import tfobench.bench.ExchangeBenchmark;
import tfobench.bench.Placement;
import tfobench.client.Handshake;
import tfobench.load.CapacitySearch;
import tfobench.linux.LoopbackSteering;
import tfobench.linux.PrivateNetns;
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
import java.util.BitSet;
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
 * its intended start. Several rates make a sweep. Writes a run folder like the JMH suite's. Every point also
 * measures the CPU the server's threads (and the generator's) used per connection; with {@code --capacity} the tool
 * then searches, per transport and handshake, the highest rate the server sustains ({@link CapacitySearch}): with
 * {@code --placement cross-cpu} the server's threads share one CPU and the generator has the other, the TCP Fast
 * Open paper's server experiment.
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
        OptionSpec<String> transport = parser.accepts("transport", "native, netty (client and server; comma list)")
                .withRequiredArg().defaultsTo("native");
        OptionSpec<String> familyOption = parser.accepts("family", "ipv4 (127.0.0.N) or ipv6 (fd74:666f::N)")
                .withRequiredArg().defaultsTo("ipv4");
        OptionSpec<String> placement = parser.accepts("placement", "same-cpu, cross-cpu or none (comma list)")
                .withRequiredArg().defaultsTo("cross-cpu");
        OptionSpec<Void> capacity = parser.accepts("capacity", "after the --rate points, search the highest rate "
                + "the server sustains, per transport and handshake (see --max-p99)");
        OptionSpec<String> maxP99 = parser.accepts("max-p99", "with --capacity: a sustained rate also keeps p99 from "
                + "intended start within this").withRequiredArg().defaultsTo("10ms");
        OptionSpec<String> rps = parser.accepts("rps", "off, on, or off,on: Receive Packet Steering on the "
                + "namespace's lo, each flow through one CPU's backlog, which keeps a fast open server's data from "
                + "overtaking its SYN-ACK (docs/FINDINGS-TFO-DATA-BEFORE-SYNACK.md); on needs root")
                .withRequiredArg().defaultsTo("off");
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
        List<Transport> transports = new ArrayList<>();
        for (String tr : options.valueOf(transport).split(",")) {
            transports.add(Options.label(Transport::fromLabel, tr.trim()));
        }
        AddressFamily family = Options.label(AddressFamily::fromLabel, options.valueOf(familyOption));
        List<Placement> placements = new ArrayList<>();
        for (String pl : options.valueOf(placement).split(",")) {
            placements.add(Options.label(Placement::fromLabel, pl.trim()));
        }
        List<Boolean> steerings = new ArrayList<>();
        for (String value : options.valueOf(rps).split(",")) {
            switch (value.trim()) {
                case "off" -> steerings.add(false);
                case "on" -> steerings.add(true);
                default -> throw new UsageException("--rps takes off, on or off,on, not '" + value.trim() + "'");
            }
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
        Duration p99Bound = Options.duration("max-p99", options.valueOf(maxP99));

        PrivateNamespace.Entry entry = PrivateNamespace.enter(out, err);
        if (entry.finished()) {
            return entry.exitStatus();
        }
        PrivateNetns.requireLoopbackAddresses(family);
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
        List<String> rpsText = steerings.stream().map(on -> on ? "on: rps_cpus of lo = every allowed CPU "
                + preflight.cpus : "off").toList();
        EnvironmentSnapshot.write(runDir.resolve(RunFolder.ENVIRONMENT_JSON), EnvironmentSnapshot.capture(
                entry.namespace(), new LoadFacts("load (open loop)", List.of(args), planText, rpsText, clientThreads,
                        transports.stream().map(Transport::label).toList(), family.label(), preflight.scenarios)));

        LoadResultsWriter writer = new LoadResultsWriter(runDir);
        List<LoadResult> all = new ArrayList<>();
        CapacitySearch search = new CapacitySearch(p99Bound);
        List<String> capacityLines = new ArrayList<>();
        for (Map.Entry<Placement, Placement.CpuPlan> plan : plans.entrySet()) {
            for (Transport t : transports) {
                Map<Handshake, CalcServer> servers = new EnumMap<>(Handshake.class);
                try {
                    for (Handshake h : handshakeList) {
                        servers.put(h, startServer(t, family, h, clientThreads, plan.getValue()));
                    }
                    for (boolean steered : steerings) {
                        try (LoopbackSteering steering = steered ? LoopbackSteering.apply(preflight.cpus) : null) {
                            String placementLabel = plan.getKey().label() + (steering != null ? "+rps" : "");
                            Map<Handshake, Map<Integer, LoadResult>> byRate = new EnumMap<>(Handshake.class);
                            for (int rate : rateList) {
                                for (Handshake h : handshakeList) {
                                    LoadPoint point = new LoadPoint(h, t, rate, warm, measured, clientThreads,
                                            plan.getValue().client(), options.has(allowFallback), placementLabel);
                                    LoadResult result = runPoint(point, servers.get(h), plan.getValue().server(),
                                            writer, out);
                                    all.add(result);
                                    byRate.computeIfAbsent(h, k -> new java.util.TreeMap<>()).put(rate, result);
                                }
                            }
                            if (!options.has(capacity)) {
                                continue;
                            }
                            for (Handshake h : handshakeList) {
                                out.printf(Locale.ROOT, "# capacity: %s %s %s, doubling then halving the gap to "
                                        + "%.0f%%...%n", placementLabel, t.label(), h.label(),
                                        (CapacitySearch.PRECISION - 1) * 100);
                                CapacitySearch.Result found = search.search(byRate.getOrDefault(h, Map.of()), rate -> {
                                    LoadPoint point = new LoadPoint(h, t, rate, warm, measured, clientThreads,
                                            plan.getValue().client(), options.has(allowFallback), placementLabel);
                                    LoadResult r = runPoint(point, servers.get(h), plan.getValue().server(), writer,
                                            out);
                                    all.add(r);
                                    return r;
                                }, rateList.first());
                                LoadPoint like = new LoadPoint(h, t, 1, warm, measured, clientThreads, null,
                                        options.has(allowFallback), placementLabel);
                                writer.addCapacity(like, found, p99Bound);
                                String line = String.format(Locale.ROOT, "%s %s %s: sustains %,d connections/s%s",
                                        placementLabel, t.label(), h.label(), found.sustained(),
                                        found.failedAt() == 0 ? " (no failure up to the search's limit)"
                                                : String.format(Locale.ROOT, "; %,d/s did not: %s", found.failedAt(),
                                                found.whyFailed()));
                                capacityLines.add(line);
                                out.println("# capacity: " + line);
                            }
                        }
                    }
                } finally {
                    for (CalcServer server : servers.values()) {
                        server.close();
                    }
                }
            }
        }
        out.println();
        out.print(LoadResultsWriter.table(all));
        capacityLines.forEach(l -> out.println("# capacity: " + l));
        out.println("# results in " + runDir);
        boolean contradicted = all.stream().anyMatch(LoadResult::evidenceContradicts);
        if (contradicted) {
            err.println("load: a point's SYN-data evidence contradicts its handshake (see the table); run with "
                    + "--allow-fallback to measure anyway");
            return 1;
        }
        return 0;
    }

    /** Runs one point against the server (pinned to {@code serverCpus}), writes its files and prints its line. */
    private static LoadResult runPoint(LoadPoint point, CalcServer server, BitSet serverCpus, LoadResultsWriter writer,
                                       PrintStream out) throws Exception {
        out.printf(Locale.ROOT, "# load: %s, %s %s at %d connections/s for %.1f s (+%.1f s warm-up), %d threads...%n",
                point.placement(), point.transport().label(), point.handshake().label(), point.ratePerSecond(),
                point.duration().toMillis() / 1000.0, point.warmup().toMillis() / 1000.0, point.threads());
        out.flush();
        LoadResult result;
        try (LoadResultsWriter.IntervalLog log = writer.openLog(point)) {
            result = new OpenLoopRunner(point, server.address(), server.threads(), serverCpus).run(log.writer());
        }
        writer.add(result);
        out.print(LoadResultsWriter.table(List.of(result)).lines().skip(2).filter(line -> line.startsWith("|"))
                .reduce("", (a, b) -> a + "#   " + b + "\n"));
        if (!result.errors().isEmpty()) {
            out.println("#   errors: " + result.errors());
        }
        return result;
    }

    /** What an open-loop run's environment.json records besides the machine ({@code loopbackRps}: --rps). */
    record LoadFacts(String tool, List<String> arguments, Map<String, String> placements, List<String> loopbackRps,
                     int clientThreads, List<String> transports, String family, Map<String, String> scenarios) {
    }

    private static CalcServer startServer(Transport t, AddressFamily family, Handshake h, int clientThreads,
                                          Placement.CpuPlan cpus) throws Exception {
        InetAddress address = family.loopback(h.fastOpen() ? ExchangeBenchmark.FAST_OPEN_ADDRESS
                : ExchangeBenchmark.PLAIN_ADDRESS);
        ServerConfig config = (h.fastOpen() ? ServerConfig.fastOpen(t) : ServerConfig.plain(t))
                .withBind(new InetSocketAddress(address, 0)).withCpus(cpus.server());
        if (t == Transport.NATIVE) {
            config = config.withThreads(clientThreads + 2); // one server thread per open connection
        }
        return Servers.start(config);
    }
}
