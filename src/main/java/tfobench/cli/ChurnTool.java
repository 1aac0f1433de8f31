package tfobench.cli;

import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import org.HdrHistogram.Histogram;
import tfobench.AddressFamily;
import tfobench.Transport;
import tfobench.bench.ExchangeBenchmark;
import tfobench.client.ConnectionLoad;
import tfobench.client.Handshake;
import tfobench.client.SynData;
import tfobench.linux.FastOpenSysctl;
import tfobench.linux.ProcFs;
import tfobench.linux.PrivateNetns;
import tfobench.linux.TcpExtCounters;
import tfobench.report.EnvironmentSnapshot;
import tfobench.server.CalcServer;
import tfobench.server.ServerConfig;
import tfobench.server.Servers;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code churn [--connections N] [--handshake cold,tfo] [--transport native|netty] [--threads T]}: N short
 * connections per scenario against an in-process server (plain for cold, fast open otherwise, each on a loopback
 * address of its own), counting every error by kind instead of stopping at the first. Exit status 0 only if every
 * connection of every scenario got the right answer and every fast open one after the first was acked.
 * {@code scripts/million-connections} runs it in a private network namespace with a million per scenario.
 */
final class ChurnTool implements Main.Tool {

    @Override
    public String synopsis() {
        return "churn [--connections N] [--handshake cold,tfo] [--transport native|netty] [--threads N] "
                + "[--family ipv4|ipv6]";
    }

    @Override
    public String summary() {
        return "N short connections per scenario against an in-process server, every failure counted by call and errno";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        OptionParser parser = Options.parser();
        OptionSpec<String> connectionsOption = parser.accepts("connections", "connections per scenario")
                .withRequiredArg().defaultsTo("1000000");
        OptionSpec<String> handshakesOption = parser.accepts("handshake", "scenarios, comma-separated: cold, tfo, "
                + "tfo-connect").withRequiredArg().defaultsTo("cold,tfo");
        OptionSpec<String> transportOption = parser.accepts("transport", "native or netty, client and server")
                .withRequiredArg().defaultsTo("native");
        OptionSpec<String> threadsOption = parser.accepts("threads", "client threads, one connection at a time each")
                .withRequiredArg().defaultsTo("1");
        OptionSpec<String> familyOption = parser.accepts("family", "ipv4 (127.0.0.N) or ipv6 (fd74:666f::N)")
                .withRequiredArg().defaultsTo("ipv4");
        Optional<OptionSet> parsed = Options.parse(this, parser, args, out);
        if (parsed.isEmpty()) {
            return 0;
        }
        OptionSet options = parsed.get();
        Options.noArguments(options);
        long connections = Options.intInRange("connections", options.valueOf(connectionsOption), 1, 100_000_000);
        int threads = Options.intInRange("threads", options.valueOf(threadsOption), 1, 64);
        Transport transport = Options.label(Transport::fromLabel, options.valueOf(transportOption));
        AddressFamily family = Options.label(AddressFamily::fromLabel, options.valueOf(familyOption));
        List<Handshake> handshakes = new ArrayList<>();
        for (String label : options.valueOf(handshakesOption).split(",")) {
            Handshake h = Options.label(Handshake::fromLabel, label.trim());
            if (h == Handshake.KEEPALIVE) {
                throw new UsageException("keepalive opens one connection, not many: use cold, tfo or tfo-connect");
            }
            handshakes.add(h);
        }

        PrivateNamespace.Entry entry = PrivateNamespace.enter(out, err); // re-runs itself in one if it can
        if (entry.finished()) {
            return entry.exitStatus();
        }
        String namespace = entry.namespace();
        PrivateNetns.requireLoopbackAddresses(family);
        out.printf("# tfo-bench churn: %d connections per scenario, transport %s, %s, %d client thread(s)%n",
                connections, transport.label(), family.label(), threads);
        out.println("# kernel " + EnvironmentSnapshot.kernelRelease() + ", " + namespace + ", " + FastOpenSysctl.read());
        out.println("# closing: the client closes first (FIN, its port then sits in TIME_WAIT), no SO_LINGER; "
                + timeWaitSettings());
        out.flush();

        boolean clean = true;
        for (Handshake handshake : handshakes) {
            clean &= runScenario(handshake, transport, family, connections, threads, out);
        }
        out.println(clean ? "# every connection answered right, 0 errors, every fast open after the first acked"
                : "# FAILED: see the scenario lines above");
        return clean ? 0 : 1;
    }

    private static boolean runScenario(Handshake handshake, Transport transport, AddressFamily family,
                                       long connections, int threads, PrintStream out)
            throws IOException, InterruptedException {
        ServerConfig config = handshake.fastOpen()
                ? ServerConfig.fastOpen(transport).withBind(new InetSocketAddress(
                        family.loopback(ExchangeBenchmark.FAST_OPEN_ADDRESS), 0))
                : ServerConfig.plain(transport).withBind(new InetSocketAddress(
                        family.loopback(ExchangeBenchmark.PLAIN_ADDRESS), 0));
        TcpExtCounters before = TcpExtCounters.read();
        ConnectionLoad.Result result;
        try (CalcServer server = Servers.start(config)) {
            long every = Math.max(1, connections / 10);
            long start = System.nanoTime();
            result = ConnectionLoad.run(transport, handshake, server.address(), connections, threads, every,
                    done -> {
                        synchronized (out) {
                            out.printf("  %s: %d connections, %.1f s%n", handshake.label(), done,
                                    (System.nanoTime() - start) / 1e9);
                            out.flush();
                        }
                    });
        } catch (Exception e) {
            if (e instanceof IOException) {
                throw (IOException) e;
            }
            if (e instanceof InterruptedException) {
                throw (InterruptedException) e;
            }
            throw new IOException("server on " + config.bind() + " did not stop cleanly: " + e.getMessage(), e);
        }
        TcpExtCounters delta = TcpExtCounters.read().minus(before);
        double seconds = result.elapsedNanos() / 1e9;
        Histogram latency = result.latency();
        out.printf("%s: %d connections, %d answered right, %d errors%s, %.1f s (%.0f/s); SYN data: %s; "
                        + "p50 %.1f us, p99 %.1f us, max %.1f us; TIME_WAIT now %s; TcpExt %s%n",
                handshake.label(), result.connections(), result.completed(), result.errorCount(),
                result.errors().isEmpty() ? "" : " " + result.errors(), seconds, result.connections() / seconds,
                synData(result.synData()), latency.getValueAtPercentile(50) / 1e3,
                latency.getValueAtPercentile(99) / 1e3, latency.getMaxValue() / 1e3, timeWaitSockets(),
                counters(delta));
        out.flush();
        long notAcked = result.completed() - result.synData().getOrDefault(SynData.ACKED, 0L);
        // Each client's first fast open connection to the address may only request a cookie.
        boolean evidenceRight = handshake.fastOpen() ? notAcked <= threads
                : result.synData().getOrDefault(SynData.NOT_SENT, 0L) == result.completed();
        return result.errorCount() == 0 && result.completed() == connections && evidenceRight;
    }

    private static String synData(Map<SynData, Long> counts) {
        StringBuilder s = new StringBuilder();
        counts.forEach((outcome, n) -> s.append(s.length() == 0 ? "" : ", ").append(outcome.description())
                .append(' ').append(n));
        return s.toString();
    }

    private static String counters(TcpExtCounters delta) {
        StringBuilder s = new StringBuilder();
        for (String name : List.of("TCPFastOpenActive", "TCPFastOpenActiveFail", "TCPFastOpenPassive",
                "TCPFastOpenCookieReqd", "TCPTimeWaitOverflow")) {
            if (delta.has(name)) {
                s.append(s.length() == 0 ? "" : " ").append(name).append('=').append(delta.get(name));
            }
        }
        return s.toString();
    }

    private static String timeWaitSettings() {
        StringBuilder s = new StringBuilder();
        for (String name : List.of("tcp_tw_reuse", "tcp_tw_reuse_delay", "ip_local_port_range", "tcp_max_tw_buckets",
                "tcp_timestamps")) {
            Path path = Path.of("/proc/sys/net/ipv4", name);
            String value;
            try {
                value = Files.exists(path) ? ProcFs.readSysctl(path) : "absent (kernel before 6.13: 1000 ms)";
            } catch (IOException e) {
                value = "unreadable";
            }
            s.append(s.length() == 0 ? "" : ", ").append(name).append('=').append(value);
        }
        return s.toString();
    }

    /** TIME_WAIT sockets in this namespace, from {@code /proc/net/sockstat} ({@code TCP: ... tw N ...}). */
    private static String timeWaitSockets() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/sockstat"))) {
                if (line.startsWith("TCP:")) {
                    String[] words = line.trim().split("\\s+");
                    for (int i = 1; i + 1 < words.length; i++) {
                        if (words[i].equals("tw")) {
                            return words[i + 1];
                        }
                    }
                }
            }
        } catch (IOException ignored) {
            // not Linux-like
        }
        return "unknown";
    }
}
