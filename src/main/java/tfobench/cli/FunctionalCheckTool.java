package tfobench.cli;

import com.google.gson.GsonBuilder;
import io.netty.channel.epoll.Epoll;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
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
import tfobench.linux.FastOpenSysctl;
import tfobench.linux.LoopbackDelay;
import tfobench.linux.MissingCapabilityException;
import tfobench.linux.PrivateNetns;
import tfobench.linux.TcpExtCounters;
import tfobench.linux.UnusedLoopbackAddresses;
import tfobench.protocol.Operator;
import tfobench.protocol.Request;
import tfobench.protocol.Response;
import tfobench.report.EnvironmentSnapshot;
import tfobench.server.CalcServer;
import tfobench.server.ServerConfig;
import tfobench.server.Servers;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
 * {@code check [--rtt MS] [--count N] [--json FILE]}: does TCP Fast Open work on this kernel, with evidence? Per
 * transport, against in-process servers in a private namespace: a cold connection sends no SYN data; the first fast
 * open connection requests a cookie ({@code TCPFastOpenCookieReqd}); the next carries the request in the SYN and
 * it is acknowledged ({@code TCPFastOpenActive}/{@code Passive}); {@code TCP_FASTOPEN_CONNECT} does the same; and
 * data sent with a cookie to a server without fast open is reported as not acknowledged
 * ({@code TCPFastOpenActiveFail}) while the request still gets its answer. With {@code --rtt} it then checks the
 * physics under netem: the fast open request must be about one RTT faster than the cold one (0.8-1.2 RTT).
 * With {@code --capture FILE} it also captures every scenario's packets and checks them against the evidence
 * (and under netem: the cold answer two round trips after the call, the fast open one one).
 * Prints one line per check and {@code N passed, N failed}; exit status 0 only if all passed.
 */
final class FunctionalCheckTool implements Main.Tool {
    static final double MIN_SAVING_RTTS = 0.8;
    static final double MAX_SAVING_RTTS = 1.2;
    /**
     * How far a captured answer may be from a whole number of RTTs: a little early (timer granularity of netem),
     * up to half an RTT late (the emulator's CPU cost is milliseconds, a JVM pause more).
     */
    static final double ROUND_TRIP_SLACK_BELOW = 0.1;
    static final double ROUND_TRIP_SLACK_ABOVE = 0.5;
    private static final Request ONE_PLUS_ONE = new Request(1, Operator.ADD, 1, true);
    private static final Response TWO = Response.ok(2, true);

    private final List<Map<String, Object>> results = new ArrayList<>();
    private PrintStream out;
    private Duration timeout = ClientOptions.DEFAULT_TIMEOUT;

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        OptionParser parser = new OptionParser();
        OptionSpec<Void> help = parser.acceptsAll(List.of("h", "help"), "show this help").forHelp();
        OptionSpec<String> rttOption = parser.accepts("rtt", "also check that fast open saves one RTT under netem, "
                + "at this round-trip time (ms, > 0) and twice it").withRequiredArg();
        OptionSpec<String> countOption = parser.accepts("count", "timed exchanges per handshake for --rtt")
                .withRequiredArg().defaultsTo("10");
        OptionSpec<String> timeoutOption = parser.accepts("timeout", "milliseconds an exchange may take (generous: "
                + "under emulation a JVM's first Netty exchange alone takes seconds)").withRequiredArg()
                .defaultsTo("60000");
        OptionSpec<String> jsonOption = parser.accepts("json", "also write the results to this JSON file")
                .withRequiredArg();
        OptionSpec<String> captureOption = parser.accepts("capture", "also capture every scenario's packets (at "
                + "--rtt if given) with dumpcap into FILE and check them: SYN options and data, and under netem two "
                + "round trips for cold, one for fast open; FILE's .json sibling names each connection")
                .withRequiredArg().describedAs("FILE");
        OptionSet options = Options.parse(parser, args);
        if (options.has(help)) {
            out.println("usage: java -jar benchmarks.jar check [--rtt MS] [--count N] [--json FILE] [--capture FILE]");
            out.println("Checks TCP Fast Open end to end in a private network namespace: cookie request, data in");
            out.println("the SYN acknowledged, TCP_FASTOPEN_CONNECT, fallback reported, TcpExt counters; with --rtt");
            out.println("also that a fast open first request is one RTT faster than a cold one (netem on lo).");
            parser.printHelpOn(out);
            return 0;
        }
        if (!options.nonOptionArguments().isEmpty()) {
            throw new UsageException("unexpected argument " + options.nonOptionArguments().get(0) + " (try --help)");
        }
        int rtt = options.has(rttOption) ? Options.intInRange("rtt", options.valueOf(rttOption), 1, 10_000) : 0;
        int count = Options.intInRange("count", options.valueOf(countOption), 3, 10_000);
        timeout = Duration.ofMillis(Options.intInRange("timeout", options.valueOf(timeoutOption), 100, 3_600_000));
        Path json = options.has(jsonOption) ? Path.of(options.valueOf(jsonOption)) : null;
        Path capture = options.has(captureOption) ? Path.of(options.valueOf(captureOption)) : null;
        if (capture != null && Dumpcap.whyNot().isPresent()) {
            throw new MissingCapabilityException("--capture needs " + Dumpcap.whyNot().get());
        }

        String namespace;
        if (PrivateNamespace.inside()) {
            PrivateNetns.prepare();
            namespace = PrivateNetns.describe();
        } else if (PrivateNamespace.optedOut()) {
            namespace = "host's network namespace (TFOBENCH_NETNS=host)";
        } else {
            Optional<String> whyNot = PrivateNamespace.whyNot();
            if (whyNot.isPresent()) {
                throw new MissingCapabilityException(PrivateNamespace.fix(whyNot.get()));
            }
            Optional<Integer> status = PrivateNamespace.reexec();
            if (status.isEmpty()) {
                throw new MissingCapabilityException("cannot read this process's command line to re-run it in a "
                        + "private namespace; run it under unshare with TFOBENCH_NETNS=private");
            }
            return status.get();
        }
        if (rtt > 0) {
            Optional<String> noNetem = LoopbackDelay.whyUnavailable();
            if (noNetem.isPresent()) {
                throw new MissingCapabilityException("--rtt " + rtt + " needs netem on lo (" + noNetem.get() + "): "
                        + LoopbackDelay.FIX);
            }
        }
        FastOpenSysctl sysctl = FastOpenSysctl.read();
        if (!sysctl.serverEnabled()) {
            throw MissingCapabilityException.fastOpenServerOff(sysctl);
        }
        if (!sysctl.clientEnabled()) {
            throw MissingCapabilityException.fastOpenClientOff(sysctl);
        }

        this.out = out;
        String kernel = EnvironmentSnapshot.kernelRelease();
        out.println("# tfo-bench check: kernel " + kernel + ", " + namespace + ", net.ipv4.tcp_fastopen="
                + sysctl.value() + (rtt > 0 ? ", rtt " + rtt + " ms" : ""));
        List<Transport> transports = new ArrayList<>(List.of(Transport.NATIVE));
        if (Epoll.isAvailable()) {
            transports.add(Transport.NETTY);
        } else {
            record("netty", "epoll-available", false, "Netty epoll unavailable: " + Epoll.unavailabilityCause());
        }
        int block = 0;
        for (Transport transport : transports) {
            block++;
            checkHandshakes(transport, block);
        }
        Map<String, Object> physics = new LinkedHashMap<>();
        if (rtt > 0) {
            for (Transport transport : transports) {
                block++;
                physics.put(transport.label(), checkRoundTripSaved(transport, block, rtt, count));
            }
        }

        if (capture != null) {
            checkPackets(transports, rtt, capture);
        }

        long passed = results.stream().filter(r -> Boolean.TRUE.equals(r.get("passed"))).count();
        long failed = results.size() - passed;
        out.println(passed + " passed, " + failed + " failed");
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("tool", "tfo-bench check");
            doc.put("capturedAt", Instant.now().toString());
            doc.put("kernel", kernel);
            doc.put("namespace", namespace);
            doc.put("tcpFastopen", sysctl.value());
            doc.put("emulation", Optional.ofNullable(System.getenv(BenchmarkLauncher.EMULATION_ENV)).orElse("none"));
            doc.put("rttMillis", rtt);
            doc.put("checks", results);
            if (rtt > 0) {
                doc.put("roundTripSaved", physics);
            }
            doc.put("passed", passed);
            doc.put("failed", failed);
            if (json.getParent() != null) {
                Files.createDirectories(json.getParent());
            }
            Files.writeString(json, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(doc)
                    + "\n", StandardCharsets.UTF_8);
        }
        return failed == 0 ? 0 : 1;
    }

    /** Cold, cookie request, SYN data acked, TCP_FASTOPEN_CONNECT and fallback, each with the kernel's counters. */
    private void checkHandshakes(Transport transport, int block) throws Exception {
        String t = transport.label();
        InetSocketAddress plainAddress = address(block, 1);
        // An address no connection in this namespace has used: no cookie is cached for it, without deleting one
        // (which only real root may do).
        InetSocketAddress fastOpenAddress = new InetSocketAddress(UnusedLoopbackAddresses.inThisNamespace().next(), 0);
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

    /**
     * Medians of cold and fast open first requests under netem at the RTT and at twice the RTT. The physics: the
     * saving grows by one RTT per RTT (the slope between the two). Under emulation the cold path also costs a few
     * milliseconds of CPU more than the fast open one (its extra blocking step), the same at both RTTs: the slope
     * leaves it out, where the saving at one RTT alone would count it as part of the round trip.
     */
    private Map<String, Object> checkRoundTripSaved(Transport transport, int block, int rtt, int count)
            throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        try (CalcServer plain = server(ServerConfig.plain(transport).withBind(address(block, 1)));
             CalcServer fast = server(ServerConfig.fastOpen(transport).withBind(address(block, 2)));
             CalcClient coldClient = client(transport, Handshake.COLD, plain.address());
             CalcClient tfoClient = client(transport, Handshake.TFO, fast.address())) {
            coldClient.exchange(ONE_PLUS_ONE); // warm: classes loaded, paths taken once
            tfoClient.exchange(ONE_PLUS_ONE); // and the cookie cached
            int notAcked = 0;
            double[] saved = new double[2];
            StringBuilder evidence = new StringBuilder();
            for (int k = 0; k < 2; k++) {
                int delay = rtt * (k + 1);
                double[] cold = new double[count];
                double[] tfo = new double[count];
                try (LoopbackDelay netem = LoopbackDelay.apply(delay)) {
                    for (int i = 0; i < count; i++) { // interleaved, so both see the same machine
                        long start = System.nanoTime();
                        Exchange c = coldClient.exchange(ONE_PLUS_ONE);
                        cold[i] = (System.nanoTime() - start) / 1e6;
                        start = System.nanoTime();
                        Exchange f = tfoClient.exchange(ONE_PLUS_ONE);
                        tfo[i] = (System.nanoTime() - start) / 1e6;
                        if (!TWO.equals(c.response()) || !TWO.equals(f.response())) {
                            throw new IllegalStateException("wrong answer under netem: " + c.response() + " / "
                                    + f.response());
                        }
                        if (!f.synData().acked()) {
                            notAcked++;
                        }
                    }
                }
                double coldMedian = median(cold);
                double tfoMedian = median(tfo);
                saved[k] = coldMedian - tfoMedian;
                evidence.append(String.format(Locale.ROOT, "rtt %d ms: cold %.1f ms, tfo %.1f ms, saved %.2f RTT; ",
                        delay, coldMedian, tfoMedian, saved[k] / delay));
                Map<String, Object> at = new LinkedHashMap<>();
                at.put("coldMedianMillis", round(coldMedian));
                at.put("tfoMedianMillis", round(tfoMedian));
                at.put("savingRtts", round(saved[k] / delay));
                at.put("coldMillis", Arrays.stream(cold).map(FunctionalCheckTool::round).boxed().toList());
                at.put("tfoMillis", Arrays.stream(tfo).map(FunctionalCheckTool::round).boxed().toList());
                r.put("rtt" + delay, at);
            }
            double slope = (saved[1] - saved[0]) / rtt;
            double constant = saved[0] - slope * rtt;
            boolean ok = notAcked == 0 && slope >= MIN_SAVING_RTTS && slope <= MAX_SAVING_RTTS;
            evidence.append(String.format(Locale.ROOT, "saved per RTT (slope) %.2f (expected %.1f-%.1f), constant "
                    + "%.1f ms, %d/%d tfo not acked", slope, MIN_SAVING_RTTS, MAX_SAVING_RTTS, constant, notAcked,
                    2 * count));
            record(transport.label(), "tfo-saves-one-rtt", ok, evidence.toString());
            r.put("rttMillis", rtt);
            r.put("count", count);
            r.put("savingRtts", round(slope));
            r.put("constantMillis", round(constant));
            return r;
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
            double answer = answered.length == 0 ? Double.NaN : median(answered);
            answers.put(first.first().transport() + " " + first.first().scenario(), answer);
            double[] wire = b.getValue().stream().map(ExchangeMatch::wireAnswerNanos).filter(Optional::isPresent)
                    .mapToDouble(o -> o.get() / 1e6).toArray();
            onTheWire.put(first.first().transport() + " " + first.first().scenario(),
                    wire.length == 0 ? Double.NaN : median(wire));
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
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("transport", transport);
        r.put("check", name);
        r.put("passed", passed);
        r.put("evidence", evidence);
        results.add(r);
        out.printf("%-4s %-7s %-28s %s%n", passed ? "PASS" : "FAIL", transport, name, evidence);
        out.flush();
    }

    /** 127.0.77.N: addresses of their own, so no cookie from the benchmarks or the other block is cached. */
    private static InetSocketAddress address(int block, int n) throws IOException {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 77, (byte) (block * 10 + n)}), 0);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
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
                Exchange e = client.exchange(ONE_PLUS_ONE);
                s.response = e.response();
                s.syn = e.synData();
            } catch (Exception e) {
                s.failure = e;
            }
            s.delta = TcpExtCounters.read().minus(before);
            return s;
        }

        boolean right() {
            return failure == null && TWO.equals(response);
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
