package tfobench.capture;

import tfobench.AddressFamily;
import tfobench.Transport;
import tfobench.client.CalcClient;
import tfobench.client.ClientOptions;
import tfobench.client.Clients;
import tfobench.client.Exchange;
import tfobench.client.Handshake;
import tfobench.linux.LoopbackDelay;
import tfobench.linux.TcpExtCounters;
import tfobench.linux.UnusedLoopbackAddresses;
import tfobench.protocol.ProtocolException;
import tfobench.protocol.Request;
import tfobench.protocol.RequestEncoder;
import tfobench.protocol.Response;
import tfobench.server.CalcServer;
import tfobench.server.ServerConfig;
import tfobench.server.Servers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A few exchanges per scenario, transport and RTT, with the suite's own servers and clients, captured on
 * {@code lo} by dumpcap: the packets beside the evidence. Nothing here is timed for a result; it runs after JMH.
 *
 * <p>Before the capture starts, each client makes one exchange that is not captured (classes loaded, and for
 * tfo and tfo-connect the cookie cached, as in the benchmarks' setup). Then, per block, {@code exchanges}
 * requests: cold, tfo and tfo-connect one connection each; keep-alive all on one connection; cookie request one
 * connection each to a loopback address never used in this namespace ({@link UnusedLoopbackAddresses}: the
 * client's cookie cache is keyed by address, so a fresh address is a cookie request without the netlink deletion
 * only real root may make), served by a fast open listener on the wildcard address.
 * The TcpExt counters are read around each block.
 */
public final class HandshakeCapture {
    public static final String FILE = "capture.pcapng";
    public static final int DEFAULT_EXCHANGES = 3;
    public static final List<String> SCENARIOS = List.of("cold", "tfo", "tfo-connect", "cookie-request",
            "keepalive");

    /**
     * One scenario in one transport at one emulated RTT (0: plain loopback), over one address family with requests
     * of one size (the seed's 79 bytes, or grown with a Padding header as {@code -p requestBytes} does).
     */
    public record Block(String scenario, Transport transport, int rttMillis, AddressFamily family,
                        int requestBytes) {
        public Block {
            if (!SCENARIOS.contains(scenario)) {
                throw new IllegalArgumentException("unknown scenario '" + scenario + "' (expected " + SCENARIOS
                        + ")");
            }
            Request.ONE_PLUS_ONE.withSize(requestBytes); // throws for a size no request can have
        }

        /** Over IPv4 with the seed's request. */
        public Block(String scenario, Transport transport, int rttMillis) {
            this(scenario, transport, rttMillis, AddressFamily.IPV4, Request.SEED_BYTES);
        }

        Request request() {
            return Request.ONE_PLUS_ONE.withSize(requestBytes);
        }

        Handshake handshake() {
            switch (scenario) {
                case "cold":
                    return Handshake.COLD;
                case "tfo":
                case "cookie-request":
                    return Handshake.TFO;
                case "tfo-connect":
                    return Handshake.TFO_CONNECT;
                default:
                    return Handshake.KEEPALIVE;
            }
        }

        /** The block's name in capture.json; family and size only when they are not the defaults. */
        String key() {
            return CaptureIndex.blockKey(scenario, transport.label(), rttMillis, family, requestBytes);
        }
    }

    /** Every scenario in each of these transports, at one RTT: what the check captures. */
    public static List<Block> everyScenario(List<Transport> transports, int rttMillis) {
        List<Block> blocks = new ArrayList<>();
        for (Transport t : transports) {
            for (String scenario : SCENARIOS) {
                blocks.add(new Block(scenario, t, rttMillis));
            }
        }
        return blocks;
    }

    /** What the capture step did: the index it wrote and each connection checked against its packets. */
    public record Result(CaptureIndex index, List<ExchangeMatch> matches) {
        public List<String> problems() {
            return PacketCheck.problems(matches, index);
        }
    }

    private HandshakeCapture() {
    }

    /**
     * Runs the blocks with the capture on and writes {@code pcapng} and {@code index}.
     *
     * @throws IOException dumpcap missing or unable to capture, a server or client failing, a wrong answer
     */
    public static Result run(List<Block> blocks, int exchanges, Path pcapng, Path index)
            throws IOException, InterruptedException {
        return run(blocks, exchanges, pcapng, index, ClientOptions.DEFAULT_TIMEOUT);
    }

    /**
     * As {@link #run(List, int, Path, Path)}, with clients that wait up to {@code timeout} for each step and
     * servers that keep an idle connection at least as long (under emulation a JVM's first Netty exchange alone
     * takes seconds).
     */
    public static Result run(List<Block> blocks, int exchanges, Path pcapng, Path index, Duration timeout)
            throws IOException, InterruptedException {
        ClientOptions clientOptions = ClientOptions.defaults().withTimeout(timeout);
        // other JVMs in this namespace (JMH's forks) may have used addresses since this JVM's cursor was made
        for (AddressFamily family : blocks.stream().map(Block::family).distinct().toList()) {
            UnusedLoopbackAddresses.inThisNamespace(family).catchUp();
        }
        long started = System.nanoTime();
        String tool = Dumpcap.version();
        Map<Block, CalcServer> servers = new LinkedHashMap<>();
        Map<Block, CalcClient> clients = new LinkedHashMap<>();
        List<CapturedExchange> made = new ArrayList<>();
        Map<String, Map<String, Long>> tcpExt = new LinkedHashMap<>();
        Dumpcap.Stats stats;
        String filter;
        try {
            int n = 0;
            for (Block b : blocks) {
                n++;
                ServerConfig config = b.handshake().fastOpen() ? ServerConfig.fastOpen(b.transport())
                        : ServerConfig.plain(b.transport());
                config = config.withMaxHeaderBytes(Math.max(config.maxHeaderBytes(), b.requestBytes()));
                // cookie requests go to fresh addresses: that server listens on all of lo's
                InetAddress bind = b.scenario().equals("cookie-request") ? b.family().wildcard()
                        : serverAddress(b.family(), n);
                CalcServer server = Servers.start(config.withBind(new InetSocketAddress(bind, 0))
                        .withIdleTimeout(timeout.compareTo(ServerConfig.DEFAULT_IDLE_TIMEOUT) > 0 ? timeout
                                : ServerConfig.DEFAULT_IDLE_TIMEOUT));
                servers.put(b, server);
                if (b.scenario().equals("cookie-request")) {
                    exchangeOnce(b, freshAddress(b.family(), server.address().getPort()), clientOptions); // warm, not captured
                } else if (!b.scenario().equals("keepalive")) {
                    CalcClient client = Clients.create(b.transport(), b.handshake(), target(server),
                            clientOptions);
                    clients.put(b, client);
                    ask(client, b); // warm (and the cookie), not captured
                }
            }
            StringBuilder f = new StringBuilder();
            servers.values().stream().map(s -> s.address().getPort()).distinct()
                    .forEach(p -> f.append(f.length() == 0 ? "tcp port " : " or tcp port ").append(p));
            filter = f.toString();

            try (Dumpcap dumpcap = Dumpcap.start(pcapng, "lo", filter, "tfo-bench capture step: " + exchanges
                    + " exchanges per scenario, transport and RTT; " + CaptureIndex.FILE + " beside this file "
                    + "names each connection")) {
                int connection = 0;
                int maxRtt = 0;
                for (Block b : blocks) {
                    maxRtt = Math.max(maxRtt, b.rttMillis());
                    TcpExtCounters before = TcpExtCounters.read();
                    try (LoopbackDelay delay = b.rttMillis() > 0 ? LoopbackDelay.apply(b.rttMillis()) : null) {
                        if (b.scenario().equals("keepalive")) {
                            connection++;
                            try (CalcClient client = Clients.create(b.transport(), b.handshake(),
                                    target(servers.get(b)), clientOptions)) {
                                for (int i = 0; i < exchanges; i++) {
                                    made.add(exchange(client, b, client.server(), connection));
                                }
                            }
                        } else {
                            for (int i = 0; i < exchanges; i++) {
                                connection++;
                                if (b.scenario().equals("cookie-request")) {
                                    InetSocketAddress fresh = freshAddress(b.family(), servers.get(b).address().getPort());
                                    try (CalcClient client = Clients.create(b.transport(), b.handshake(), fresh,
                                            clientOptions)) {
                                        made.add(exchange(client, b, fresh, connection));
                                    }
                                } else {
                                    CalcClient client = clients.get(b);
                                    made.add(exchange(client, b, client.server(), connection));
                                }
                            }
                        }
                        // let the closing packets leave before the delay goes
                        Thread.sleep(Math.max(20, 2L * b.rttMillis()));
                    }
                    tcpExt.put(b.key(), TcpExtCounters.read().minus(before).fastOpen());
                }
                stats = dumpcap.stop();
            }
        } finally {
            for (CalcClient c : clients.values()) {
                c.close();
            }
            for (CalcServer s : servers.values()) {
                try {
                    s.close();
                } catch (Exception e) {
                    // the capture's result does not depend on a clean stop; the namespace goes with the run
                }
            }
        }
        if (Files.exists(pcapng)) {
            Files.setPosixFilePermissions(pcapng, PosixFilePermissions.fromString("rw-r--r--")); // dumpcap: 0600
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("what", "packets of a few exchanges per scenario, transport and RTT, made with the suite's servers "
                + "and clients after the measured iterations; never part of a result's timing");
        facts.put("file", pcapng.getFileName().toString());
        facts.put("tool", tool);
        facts.put("interface", "lo");
        facts.put("filter", filter);
        facts.put("exchangesPerBlock", exchanges);
        facts.put("requestBytes", blocks.stream().map(Block::requestBytes).distinct().sorted().toList());
        facts.put("families", blocks.stream().map(b -> b.family().label()).distinct().sorted().toList());
        List<Frame> frames = CaptureFile.read(pcapng);
        facts.put("packetsInFile", frames.size());
        facts.put("packetsDropped", stats.dropped() >= 0 ? String.valueOf(stats.dropped()) : "not reported by dumpcap");
        facts.put("fileBytes", Files.size(pcapng));
        facts.put("stepMillis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        CaptureIndex idx = new CaptureIndex(facts, made, tcpExt);
        idx.write(index);
        return new Result(idx, ExchangeMatch.match(frames, made));
    }

    private static InetSocketAddress target(CalcServer server) {
        return server.address();
    }

    private static void exchangeOnce(Block b, InetSocketAddress address, ClientOptions clientOptions)
            throws IOException {
        try (CalcClient client = Clients.create(b.transport(), b.handshake(), address, clientOptions)) {
            ask(client, b);
        }
    }

    private static CapturedExchange exchange(CalcClient client, Block b, InetSocketAddress server, int connection)
            throws IOException {
        Instant now = Instant.now();
        long started = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        Exchange e = ask(client, b);
        return new CapturedExchange(b.scenario(), b.transport().label(), b.rttMillis(), server, connection, started,
                e.synData(), RequestEncoder.encodedLength(b.request()));
    }

    /** One request, its answer checked: a wrong one is an error, as in the benchmarks. */
    private static Exchange ask(CalcClient client, Block b) throws IOException {
        Exchange e;
        try {
            e = client.exchange(b.request());
        } catch (ProtocolException ex) {
            throw new IOException(b.key() + ": bad response: " + ex.getMessage(), ex);
        }
        if (!Response.TWO.equals(e.response())) {
            throw new IOException(b.key() + ": wrong answer to 1 + 1: " + e.response());
        }
        return e;
    }

    /** A loopback address no connection in this namespace has gone to ({@link UnusedLoopbackAddresses}). */
    private static InetSocketAddress freshAddress(AddressFamily family, int port) throws IOException {
        return new InetSocketAddress(UnusedLoopbackAddresses.inThisNamespace(family).next(), port);
    }

    /** The n-th block's listener: 127.0.90.n, or fd74:666f::5a:n inside the namespace's local IPv6 prefix. */
    static InetAddress serverAddress(AddressFamily family, int n) throws UnknownHostException {
        if (family == AddressFamily.IPV4) {
            return InetAddress.getByAddress(new byte[] {127, 0, 90, (byte) n});
        }
        byte[] ip = family.loopback(1).getAddress();
        ip[13] = 0x5a;
        ip[14] = (byte) (n >>> 8);
        ip[15] = (byte) n;
        return InetAddress.getByAddress(ip);
    }

    /** Milliseconds, for messages. */
    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }
}
