package tfobench.cli;

import io.netty.channel.epoll.Epoll;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import tfobench.JsonFile;
import tfobench.Settings;
import tfobench.Transport;
import tfobench.capture.CaptureIndex;
import tfobench.capture.Dumpcap;
import tfobench.capture.ExchangeMatch;
import tfobench.capture.HandshakeCapture;
import tfobench.capture.PacketCheck;
import tfobench.client.CalcClient;
import tfobench.client.ClientOptions;
import tfobench.client.Clients;
import tfobench.client.Exchange;
import tfobench.client.Handshake;
import tfobench.client.SynData;
import tfobench.linux.FastOpenBlackhole;
import tfobench.linux.FastOpenSysctl;
import tfobench.linux.LoopbackDelay;
import tfobench.linux.MissingCapabilityException;
import tfobench.linux.TcpExtCounters;
import tfobench.linux.UnusedLoopbackAddresses;
import tfobench.protocol.Request;
import tfobench.protocol.Response;
import tfobench.report.EnvironmentSnapshot;
import tfobench.report.KernelMatrix;
import tfobench.report.Median;
import tfobench.server.CalcServer;
import tfobench.server.ServerConfig;
import tfobench.server.Servers;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code check}: does TCP Fast Open work on this kernel, with evidence? Each check is one exchange against an
 * in-process server in a private namespace, judged on the client's SYN-data evidence and the namespace's TcpExt
 * deltas ({@link #checkHandshakes(Transport, int)}), and with {@code --rtt} the saving under netem
 * ({@link #checkRoundTripSaved}), and with {@code --capture} the packets of every scenario held to that evidence
 * ({@link #checkPackets}); then the behaviours that differ between kernel versions ({@link KernelBehaviours}),
 * blackhole detection among them, each PASS, FAIL or not on this kernel. Before all of it: whether the kernel's
 * blackhole detection has disabled fast open in this namespace; if it has, the physics is not measured (its fast
 * open numbers would be a plain handshake's) and the behaviours are not observed. One line per check, then
 * {@code N passed, N failed}; exit status 0 only if none failed. What each check proves, for users:
 * docs/KERNELS.md.
 */
final class FunctionalCheckTool implements Main.Tool {
    /**
     * How far a captured answer may be from a whole number of RTTs: a little early (timer granularity of netem),
     * up to half an RTT late (the emulator's CPU cost is milliseconds, a JVM pause more).
     */
    static final double ROUND_TRIP_SLACK_BELOW = 0.1;
    static final double ROUND_TRIP_SLACK_ABOVE = 0.5;

    private final List<CheckResult> results = new ArrayList<>();
    private PrintStream out;
    private Duration timeout = ClientOptions.DEFAULT_TIMEOUT;

    /**
     * One check's line: PASS, FAIL, not on this kernel or not run ({@code status}), with the evidence it was judged
     * on; a kernel behaviour also has its row in the kernel matrix ({@code behaviour}) and its cell ({@code observed}),
     * other checks leave both null (left out of the JSON).
     */
    record CheckResult(String transport, String check, boolean passed, String status, String behaviour,
                       String observed, String evidence) {
    }

    /** Cold and fast open medians at one emulated RTT, with every timed exchange (milliseconds). */
    record AtRtt(int rttMillis, double coldMedianMillis, double tfoMedianMillis, double savingRtts,
                 List<Double> coldMillis, List<Double> tfoMillis) {
    }

    /** The RTT physics for one transport: the saving per RTT (slope between the two RTTs) and the constant. */
    record RoundTripSaved(int rttMillis, int count, double savingRtts, double constantMillis, List<AtRtt> measured) {
    }

    /** {@code --json FILE}: what scripts/kernel-matrix.sh keeps as {@code functional-check.json}. */
    record CheckReport(String tool, String capturedAt, String kernel, String namespace, int tcpFastopen,
                       String emulation, int rttMillis, List<CheckResult> checks,
                       Map<String, RoundTripSaved> roundTripSaved, long passed, long failed, long notOnThisKernel,
                       long notRun) {
    }

    @Override
    public String synopsis() {
        return "check [--rtt MS] [--count N] [--json FILE] [--capture FILE]";
    }

    @Override
    public String summary() {
        return "checks TCP Fast Open end to end on this kernel, with evidence; with --rtt also one RTT saved under "
                + "netem; then the fast open behaviours that differ between kernels, blackhole detection among them";
    }

    /** The command line: {@code rtt} 0 without the physics check; {@code json} and {@code capture} null if not asked. */
    record CheckOptions(int rtt, int count, Duration timeout, Path json, Path capture) {
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Optional<CheckOptions> parsed = parseOptions(args, out);
        if (parsed.isEmpty()) {
            return 0; // --help
        }
        CheckOptions options = parsed.get();
        this.out = out;
        this.timeout = options.timeout();

        PrivateNamespace.Entry namespace = PrivateNamespace.enterOrRefuse();
        if (namespace.finished()) {
            return namespace.exitStatus(); // the check ran in the re-executed child, inside the namespace
        }
        requireNetemFor(options.rtt());
        FastOpenSysctl sysctl = requireFastOpenClientAndServer();
        String kernel = EnvironmentSnapshot.kernelRelease();
        out.println("# tfo-bench check: kernel " + kernel + ", " + namespace.namespace() + ", net.ipv4.tcp_fastopen="
                + sysctl.value() + (options.rtt() > 0 ? ", rtt " + options.rtt() + " ms" : ""));

        FastOpenBlackhole blackhole = FastOpenBlackhole.probe();
        record("kernel", "fast-open-not-blackholed", !blackhole.active(), blackhole.active() ? blackhole.refusal()
                : blackhole.describe());

        List<Transport> transports = transportsToCheck();
        checkHandshakes(transports);
        Map<String, RoundTripSaved> physics = null;
        if (options.rtt() > 0 && blackhole.active()) {
            for (Transport transport : transports) {
                record(transport.label(), "tfo-saves-one-rtt", false, "not measured: " + blackhole.refusal());
            }
        } else if (options.rtt() > 0) {
            physics = checkRoundTripsSaved(transports, options.rtt(), options.count());
        }
        if (options.capture() != null) {
            checkPackets(transports, options.rtt(), options.capture());
        }
        KernelBehaviours behaviours = new KernelBehaviours(this::recordBehaviour, PrivateNamespace.inside(),
                LoopbackDelay.whyUnavailable().isEmpty());
        if (blackhole.active()) {
            behaviours.skipAll("not observed: fast open is disabled in this namespace by blackhole detection");
        } else {
            behaviours.runAll();
        }

        long passed = count(KernelBehaviours.Status.PASS);
        long failed = count(KernelBehaviours.Status.FAIL);
        long notOnThisKernel = count(KernelBehaviours.Status.NOT_ON_THIS_KERNEL);
        long notRun = count(KernelBehaviours.Status.NOT_RUN);
        out.println(passed + " passed, " + failed + " failed"
                + (notOnThisKernel > 0 ? ", " + notOnThisKernel + " not on this kernel" : "")
                + (notRun > 0 ? ", " + notRun + " not run" : ""));
        if (options.json() != null) {
            writeJson(options.json(), new CheckReport("tfo-bench check", Instant.now().toString(), kernel,
                    namespace.namespace(), sysctl.value(), Settings.EMULATION.value().isEmpty() ? "none"
                    : Settings.EMULATION.value(), options.rtt(), results, physics, passed, failed, notOnThisKernel,
                    notRun));
        }
        return failed == 0 ? 0 : 1;
    }

    /** The options, or empty after {@code --help}. */
    private Optional<CheckOptions> parseOptions(String[] args, PrintStream out) throws Exception {
        OptionParser parser = Options.parser();
        OptionSpec<String> rtt = parser.accepts("rtt", "also check that fast open saves one RTT under netem, "
                + "at this round-trip time (ms, > 0) and twice it").withRequiredArg();
        OptionSpec<String> count = parser.accepts("count", "timed exchanges per handshake for --rtt")
                .withRequiredArg().defaultsTo("10");
        OptionSpec<String> timeout = parser.accepts("timeout", "milliseconds an exchange may take (generous: "
                + "under emulation a JVM's first Netty exchange alone takes seconds)").withRequiredArg()
                .defaultsTo("60000");
        OptionSpec<String> json = parser.accepts("json", "also write the results to this JSON file")
                .withRequiredArg();
        OptionSpec<String> capture = parser.accepts("capture", "also capture every scenario's packets (at "
                + "--rtt if given) with dumpcap into FILE and check them: SYN options and data, and under netem two "
                + "round trips for cold, one for fast open; FILE's .json sibling names each connection")
                .withRequiredArg().describedAs("FILE");
        Optional<OptionSet> parsed = Options.parse(this, parser, args, out);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        OptionSet options = parsed.get();
        Options.noArguments(options);
        if (options.has(capture) && Dumpcap.whyNot().isPresent()) {
            throw new MissingCapabilityException("--capture needs " + Dumpcap.whyNot().get());
        }
        return Optional.of(new CheckOptions(
                options.has(rtt) ? Options.intInRange("rtt", options.valueOf(rtt), 1, 10_000) : 0,
                Options.intInRange("count", options.valueOf(count), 3, 10_000),
                Duration.ofMillis(Options.intInRange("timeout", options.valueOf(timeout), 100, 3_600_000)),
                options.has(json) ? Path.of(options.valueOf(json)) : null,
                options.has(capture) ? Path.of(options.valueOf(capture)) : null));
    }

    private static void requireNetemFor(int rtt) {
        if (rtt > 0) {
            Optional<String> noNetem = LoopbackDelay.whyUnavailable();
            if (noNetem.isPresent()) {
                throw new MissingCapabilityException("--rtt " + rtt + " needs netem on lo (" + noNetem.get() + "): "
                        + LoopbackDelay.FIX);
            }
        }
    }

    private static FastOpenSysctl requireFastOpenClientAndServer() throws IOException {
        FastOpenSysctl sysctl = FastOpenSysctl.read();
        if (!sysctl.serverEnabled()) {
            throw MissingCapabilityException.fastOpenServerOff(sysctl);
        }
        if (!sysctl.clientEnabled()) {
            throw MissingCapabilityException.fastOpenClientOff(sysctl);
        }
        return sysctl;
    }

    /** Native always; Netty when its epoll library loads, else a failed check saying why. */
    private List<Transport> transportsToCheck() {
        List<Transport> transports = new ArrayList<>(List.of(Transport.NATIVE));
        if (Epoll.isAvailable()) {
            transports.add(Transport.NETTY);
        } else {
            record("netty", "epoll-available", false, "Netty epoll unavailable: " + Epoll.unavailabilityCause());
        }
        return transports;
    }

    private static void writeJson(Path json, CheckReport report) throws IOException {
        if (json.getParent() != null) {
            Files.createDirectories(json.getParent());
        }
        JsonFile.write(json, report);
    }

    /** Each transport's handshakes, in address blocks 1, 2... of their own. */
    private void checkHandshakes(List<Transport> transports) throws Exception {
        for (int i = 0; i < transports.size(); i++) {
            checkHandshakes(transports.get(i), i + 1);
        }
    }

    /** Each transport's round trip saved under netem, in the address blocks after the handshakes'. */
    private Map<String, RoundTripSaved> checkRoundTripsSaved(List<Transport> transports, int rtt, int count)
            throws Exception {
        Map<String, RoundTripSaved> physics = new LinkedHashMap<>();
        for (int i = 0; i < transports.size(); i++) {
            physics.put(transports.get(i).label(), checkRoundTripSaved(transports.get(i), transports.size() + i + 1,
                    rtt, count));
        }
        return physics;
    }

    /** Cold, cookie request, SYN data acked, TCP_FASTOPEN_CONNECT and fallback, each with the kernel's counters. */
    private void checkHandshakes(Transport transport, int block) throws Exception {
        String t = transport.label();
        InetSocketAddress plainAddress = address(block, 1);
        // An address no connection in this namespace has used: no cookie is cached for it, without deleting one
        // (which only real root may do).
        InetSocketAddress fastOpenAddress = new InetSocketAddress(UnusedLoopbackAddresses.nextNow(), 0);
        try (CalcServer plain = server(ServerConfig.plain(transport).withBind(plainAddress));
             CalcClient cold = client(transport, Handshake.COLD, plain.address())) {
            Step s = Step.run(cold);
            record(t, "cold-sends-no-syn-data", s.right() && s.syn == SynData.NOT_SENT
                    && s.delta.get("TCPFastOpenActive") == 0, s.describe());
        }
        InetSocketAddress cookieHolder;
        try (CalcServer tfo = server(ServerConfig.fastOpen(transport).withBind(fastOpenAddress));
             CalcClient client = client(transport, Handshake.TFO, tfo.address());
             CalcClient connectClient = client(transport, Handshake.TFO_CONNECT, tfo.address())) {
            cookieHolder = tfo.address();
            Step first = Step.run(client);
            record(t, "first-tfo-requests-cookie", first.right() && first.syn == SynData.COOKIE_REQUESTED
                    && first.delta.get("TCPFastOpenCookieReqd") == 1, first.describe());
            Step second = Step.run(client);
            record(t, "tfo-syn-data-acked", second.right() && second.syn == SynData.ACKED
                    && second.delta.get("TCPFastOpenActive") == 1 && second.delta.get("TCPFastOpenPassive") == 1,
                    second.describe());
            Step connect = Step.run(connectClient);
            record(t, "tfo-connect-syn-data-acked", connect.right() && connect.syn == SynData.ACKED
                    && connect.delta.get("TCPFastOpenActive") == 1, connect.describe());
        }
        // A plain listener on the same address (cookies are cached per address): data goes in the SYN with the
        // cookie, the server acknowledges only the SYN, the client sends it again after the handshake.
        InetSocketAddress sameAddress = new InetSocketAddress(cookieHolder.getAddress(), 0);
        try (CalcServer plain = server(ServerConfig.plain(transport).withBind(sameAddress));
             CalcClient client = client(transport, Handshake.TFO, plain.address())) {
            Step s = Step.run(client);
            record(t, "fallback-reported-not-acked", s.right() && s.syn == SynData.NOT_ACKED
                    && s.delta.get("TCPFastOpenActiveFail") == 1 && s.delta.get("TCPFastOpenActive") == 0,
                    s.describe());
        }
    }

    /** Exchanges each client makes before the timed ones, without netem. */
    static final int WARM_UP_EXCHANGES = 5;

    /**
     * Medians of cold and fast open first requests under netem at the RTT and at twice the RTT (in the order RTT,
     * 2 RTT, 2 RTT, RTT, half the exchanges each time), after a few untimed ones. The physics: the
     * saving grows by one RTT per RTT (the slope between the two). Under emulation the cold path also costs a few
     * milliseconds of CPU more than the fast open one (its extra blocking step), the same at both RTTs: the slope
     * leaves it out, where the saving at one RTT alone would count it as part of the round trip.
     */
    private RoundTripSaved checkRoundTripSaved(Transport transport, int block, int rtt, int count) throws Exception {
        try (CalcServer plain = server(ServerConfig.plain(transport).withBind(address(block, 1)));
             CalcServer fast = server(ServerConfig.fastOpen(transport).withBind(address(block, 2)));
             CalcClient coldClient = client(transport, Handshake.COLD, plain.address());
             CalcClient tfoClient = client(transport, Handshake.TFO, fast.address())) {
            for (int i = 0; i < WARM_UP_EXCHANGES; i++) { // warm: classes loaded, paths compiled, cookie cached
                coldClient.exchange(Request.ONE_PLUS_ONE);
                tfoClient.exchange(Request.ONE_PLUS_ONE);
            }
            int notAcked = 0;
            double[][] cold = new double[2][count];
            double[][] tfo = new double[2][count];
            int[] filled = new int[2];
            // ABBA: the RTT, twice the RTT, twice the RTT, the RTT. Whatever drifts through the check (under
            // emulation the JIT is still compiling Netty's paths) then falls on both RTTs alike and leaves the
            // slope alone; measured once each in order, it went into the first RTT's saving.
            int[] order = {0, 1, 1, 0};
            for (int b = 0; b < order.length; b++) {
                int k = order[b];
                int delay = rtt * (k + 1);
                int n = b < 2 ? count / 2 : count - count / 2;
                try (LoopbackDelay netem = LoopbackDelay.apply(delay)) {
                    for (int i = 0; i < n; i++, filled[k]++) { // interleaved, so both see the same machine
                        long start = System.nanoTime();
                        Exchange c = coldClient.exchange(Request.ONE_PLUS_ONE);
                        cold[k][filled[k]] = (System.nanoTime() - start) / 1e6;
                        start = System.nanoTime();
                        Exchange f = tfoClient.exchange(Request.ONE_PLUS_ONE);
                        tfo[k][filled[k]] = (System.nanoTime() - start) / 1e6;
                        if (!Response.TWO.equals(c.response()) || !Response.TWO.equals(f.response())) {
                            throw new IllegalStateException("wrong answer under netem: " + c.response() + " / "
                                    + f.response());
                        }
                        if (!f.synData().acked()) {
                            notAcked++;
                        }
                    }
                }
            }
            double[] saved = new double[2];
            List<AtRtt> measured = new ArrayList<>();
            StringBuilder evidence = new StringBuilder();
            for (int k = 0; k < 2; k++) {
                int delay = rtt * (k + 1);
                double coldMedian = Median.of(cold[k]);
                double tfoMedian = Median.of(tfo[k]);
                saved[k] = coldMedian - tfoMedian;
                evidence.append(String.format(Locale.ROOT, "rtt %d ms: cold %.1f ms, tfo %.1f ms, saved %.2f RTT; ",
                        delay, coldMedian, tfoMedian, saved[k] / delay));
                measured.add(new AtRtt(delay, round(coldMedian), round(tfoMedian), round(saved[k] / delay),
                        Arrays.stream(cold[k]).map(FunctionalCheckTool::round).boxed().toList(),
                        Arrays.stream(tfo[k]).map(FunctionalCheckTool::round).boxed().toList()));
            }
            double slope = (saved[1] - saved[0]) / rtt;
            double constant = saved[0] - slope * rtt;
            boolean ok = notAcked == 0 && KernelMatrix.savesOneRtt(slope);
            evidence.append(String.format(Locale.ROOT, "saved per RTT (slope) %.2f (expected %s), constant "
                    + "%.1f ms, %d/%d tfo not acked", slope, KernelMatrix.ONE_RTT_BAND, constant, notAcked,
                    2 * count));
            record(transport.label(), "tfo-saves-one-rtt", ok, evidence.toString());
            return new RoundTripSaved(rtt, count, round(slope), round(constant), measured);
        }
    }

    /**
     * Every scenario captured ({@link HandshakeCapture}) and each block's connections held to their evidence; with
     * an RTT also the physics on the wire: the cold answer two round trips after the client's call, the fast open
     * answer one (medians).
     */
    private void checkPackets(List<Transport> transports, int rtt, Path file) throws Exception {
        List<HandshakeCapture.Block> blocks = HandshakeCapture.everyScenario(transports, rtt);
        String name = file.getFileName().toString();
        Path index = file.resolveSibling((name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name)
                + ".json");
        HandshakeCapture.Result result = HandshakeCapture.run(blocks, HandshakeCapture.DEFAULT_EXCHANGES, file,
                index, timeout);
        List<String> problems = result.problems();
        Map<String, List<ExchangeMatch>> byBlock = new LinkedHashMap<>();
        for (ExchangeMatch m : result.matches()) {
            byBlock.computeIfAbsent(CaptureIndex.block(m.first()), k -> new ArrayList<>()).add(m);
        }
        Map<String, Double> answers = new LinkedHashMap<>();
        Map<String, Double> onTheWire = new LinkedHashMap<>();
        for (Map.Entry<String, List<ExchangeMatch>> b : byBlock.entrySet()) {
            ExchangeMatch first = b.getValue().get(0);
            List<String> mine = problems.stream().filter(p -> p.startsWith(b.getKey() + ",")
                    || p.startsWith(b.getKey() + ":")).toList();
            double[] answered = b.getValue().stream().map(ExchangeMatch::answerNanos).filter(Optional::isPresent)
                    .mapToDouble(o -> o.get() / 1e6).toArray();
            double answer = answered.length == 0 ? Double.NaN : Median.of(answered);
            answers.put(first.first().transport() + " " + first.first().scenario(), answer);
            double[] wire = b.getValue().stream().map(ExchangeMatch::wireAnswerNanos).filter(Optional::isPresent)
                    .mapToDouble(o -> o.get() / 1e6).toArray();
            onTheWire.put(first.first().transport() + " " + first.first().scenario(),
                    wire.length == 0 ? Double.NaN : Median.of(wire));
            String evidence = first.connection().map(c -> PacketCheck.describeSyn(c.syn())).orElse("not captured")
                    + String.format(Locale.ROOT, "; answer after %.3f ms", answer)
                    + (rtt > 0 ? String.format(Locale.ROOT, " (%.2f RTT)", answer / rtt) : "")
                    + (mine.isEmpty() ? "; agrees with TCP_INFO and TcpExt" : "; " + String.join("; ", mine));
            record(first.first().transport(), "packets-" + first.first().scenario(), mine.isEmpty(), evidence);
        }
        if (rtt > 0) {
            for (Transport t : transports) {
                double cold = onTheWire.getOrDefault(t.label() + " cold", Double.NaN) / rtt;
                double tfo = onTheWire.getOrDefault(t.label() + " tfo", Double.NaN) / rtt;
                boolean ok = roundTrips(cold, 2) && roundTrips(tfo, 1);
                record(t.label(), "packets-round-trips", ok, String.format(Locale.ROOT, "on the wire at rtt %d ms, "
                        + "from the SYN leaving the client to the answer: cold %.1f ms = %.2f RTT (expected 2), tfo "
                        + "%.1f ms = %.2f RTT (expected 1); from the client's call: cold %.1f ms, tfo %.1f ms", rtt,
                        cold * rtt, cold, tfo * rtt, tfo, answers.getOrDefault(t.label() + " cold", Double.NaN),
                        answers.getOrDefault(t.label() + " tfo", Double.NaN)));
            }
        }
        out.println("# packets: " + file + " (" + result.index().facts().get("packetsInFile") + " packets), "
                + index.getFileName() + " beside it");
    }

    /** True when an answer that took {@code rtts} round-trip times is {@code expected} of them, within the slack. */
    static boolean roundTrips(double rtts, int expected) {
        return rtts >= expected - ROUND_TRIP_SLACK_BELOW && rtts < expected + ROUND_TRIP_SLACK_ABOVE;
    }

    /**
     * A server whose idle timeout is the check's exchange timeout: under emulation a first exchange can take longer
     * than the default 10 s between accept and request, and the check must see the kernel, not a timeout.
     */
    private CalcServer server(ServerConfig config) throws Exception {
        return Servers.start(config.withIdleTimeout(timeout));
    }

    private CalcClient client(Transport transport, Handshake handshake, InetSocketAddress server) throws Exception {
        return Clients.create(transport, handshake, server, ClientOptions.defaults().withTimeout(timeout));
    }

    private void record(String transport, String name, boolean passed, String evidence) {
        record(transport, name, passed ? KernelBehaviours.Status.PASS : KernelBehaviours.Status.FAIL, null, null,
                evidence);
    }

    /** A kernel behaviour: also its row in the kernel matrix ({@code behaviour}) and the short cell text. */
    private void recordBehaviour(String name, String behaviour, KernelBehaviours.Status status, String observed,
                                 String evidence) {
        record("kernel", name, status, behaviour, observed, evidence);
    }

    private void record(String transport, String name, KernelBehaviours.Status status, String behaviour,
                        String observed, String evidence) {
        results.add(new CheckResult(transport, name, status == KernelBehaviours.Status.PASS, status.json, behaviour,
                observed, evidence));
        out.printf("%-4s %-7s %-28s %s%n", status.column, transport, name,
                (observed != null ? observed + ". " : "") + evidence);
        out.flush();
    }

    private long count(KernelBehaviours.Status status) {
        return results.stream().filter(r -> status.json.equals(r.status())).count();
    }

    /** 127.0.77.N: addresses of their own, so no cookie from the benchmarks or the other block is cached. */
    private static InetSocketAddress address(int block, int n) throws IOException {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 77, (byte) (block * 10 + n)}), 0);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** One exchange with the namespace's TcpExt deltas around it; a failed exchange is a failed check, not an abort. */
    private static final class Step {
        Response response;
        SynData syn;
        TcpExtCounters delta;
        Exception failure;

        static Step run(CalcClient client) throws IOException {
            Step s = new Step();
            TcpExtCounters before = TcpExtCounters.read();
            try {
                Exchange e = client.exchange(Request.ONE_PLUS_ONE);
                s.response = e.response();
                s.syn = e.synData();
            } catch (Exception e) {
                s.failure = e;
            }
            s.delta = TcpExtCounters.read().minus(before);
            return s;
        }

        boolean right() {
            return failure == null && Response.TWO.equals(response);
        }

        String describe() {
            StringBuilder counters = new StringBuilder();
            for (Map.Entry<String, Long> c : delta.fastOpen().entrySet()) {
                if (c.getValue() != 0) {
                    counters.append(counters.length() == 0 ? "" : " ").append(c.getKey()).append("=+")
                            .append(c.getValue());
                }
            }
            String tcpExt = "; TcpExt " + (counters.length() == 0 ? "no fast open change" : counters);
            if (failure != null) {
                return "exchange failed: " + failure.getMessage() + tcpExt;
            }
            return "SYN data: " + syn.description() + "; answer " + (right() ? "1+1=2" : "WRONG " + response) + tcpExt;
        }
    }
}
