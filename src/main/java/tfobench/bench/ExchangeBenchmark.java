package tfobench.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import tfobench.AddressFamily;
import tfobench.HarnessSwitches;
import tfobench.Transport;
import tfobench.client.CalcClient;
import tfobench.client.ClientOptions;
import tfobench.client.Clients;
import tfobench.client.Exchange;
import tfobench.client.Handshake;
import tfobench.client.NativeClient;
import tfobench.client.SynData;
import tfobench.linux.FastOpenBlackhole;
import tfobench.linux.LoopbackDelay;
import tfobench.linux.PrivateNetns;
import tfobench.protocol.Request;
import tfobench.protocol.RequestEncoder;
import tfobench.protocol.Response;
import tfobench.server.CalcServer;
import tfobench.server.ServerConfig;
import tfobench.server.Servers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What every client-server benchmark shares: JMH defaults (sample time in microseconds, so the JSON carries full
 * percentiles), the placement and host parameters, one server per trial started on port 0 (or a remote one, see
 * {@link #host}) and one client per thread,
 * torn down client first, and the check of every answer and its evidence. A wrong answer or a handshake that
 * was not what the benchmark claims throws: it never becomes a fast number. A fast open benchmark refuses to start
 * while the kernel's blackhole detection has disabled fast open in the namespace ({@link FastOpenBlackhole}).
 *
 * <p>The measured operation is {@link #exchange()}. Its latency (the {@code .hlog} logs, every operation) is the
 * exchange window: the client's call alone, for one-shot handshakes a whole connection (socket, request, complete
 * response parsed, {@code TCP_INFO} read, close), for keep-alive one request on the open connection. What a
 * benchmark does before it ({@link #beforeExchange()}) and the checks after it are outside that window but inside
 * JMH's own timing of the benchmark method.
 *
 * <p>In the run's private namespace each trial runs in a fresh network namespace of its own ({@link TrialNetwork}):
 * one trial's TIME_WAIT sockets and cached cookies never reach the next, whatever order JMH runs them in.
 *
 * <p>{@code rtt} (milliseconds, default 0) emulates a network path: for the trial, netem delays the private
 * namespace's {@code lo} by half of it in each direction ({@link LoopbackDelay}), so a cold first request costs two
 * RTTs and a fast open one RTT. 0 leaves lo alone. At 50 ms an operation takes 50-100 ms, so give RTT runs longer
 * iterations than the microsecond defaults (e.g. {@code -p rtt=10,50 -wi 1 -w 2s -i 3 -r 2s}: 20-100 operations
 * per iteration).
 */
@State(Scope.Thread)
public abstract class ExchangeBenchmark extends BenchmarkDefaults {
    /**
     * Loopback address numbers of the in-process servers (127.0.0.N or fd74:666f::N, see
     * {@link AddressFamily#loopback}): the client's cookie cache is per address, so plain and fast open servers never
     * share one. The churn and load tools use the same two.
     */
    public static final int PLAIN_ADDRESS = 2;
    public static final int FAST_OPEN_ADDRESS = 3;
    /** Fast open listener whose cookie is deleted before every operation (cookieMiss=netlink-delete). */
    static final int COOKIE_REQUEST_ADDRESS = 4;

    /**
     * Accepting threads of the native server: one client thread talks to it one connection at a time, so one is
     * enough, and it serves each connection on the same thread, stack and buffers as the last (with several, the
     * kernel wakes the longest-waiting one, a different thread each time). Its slow lane still takes any connection
     * that would make it wait. {@code -Dtfobench.harness=server-workers-4} measures the four it had.
     */
    private static final int NATIVE_SERVER_WORKERS = HarnessSwitches.on("server-workers-4") ? 4 : 1;
    /** {@code -Dtfobench.harness=latency-log-off} measures what recording every operation costs. */
    private static final boolean RECORD_LATENCY = !HarnessSwitches.on("latency-log-off");

    @Param({"same-cpu", "cross-cpu"})
    public String placement;

    /** Emulated round-trip time in milliseconds (netem on the namespace's lo); 0 = plain loopback. */
    @Param({"0"})
    public int rtt;

    /**
     * {@code loopback}: a server in this JVM on a loopback address of its own. {@code HOST:PORT}: a server already
     * running there (e.g. {@code benchmarks.jar server --tfo --bind ADDR} on another machine): none is started
     * here, placement pins the client only, and the evidence is the client's {@code TCP_INFO} and this host's
     * TcpExt counters (the server's own counters stay on its host).
     */
    @Param({ServerLocation.LOOPBACK})
    public String host;

    /**
     * {@code ipv4} (127.0.0.N) or {@code ipv6} (fd74:666f::N, which the private namespace routes to lo). With
     * {@code -p host=}, the remote address's family, said again.
     */
    @Param({"ipv4"})
    public String family;

    /**
     * The request's size in bytes: 79 is the seed's; larger ones carry a Padding header (docs/PROTOCOL.md), which
     * the server counts and ignores. A SYN carries at most one MSS of it: see {@code tfo.synDataBytes}.
     */
    @Param({"79"})
    public int requestBytes;

    /** The request every operation sends (the seed's, grown to {@link #requestBytes}) and the answer it must get. */
    private Request request;

    /** How long the fork's first exchange may take: class loading and compiling on a busy 2-CPU machine. */
    static final Duration FIRST_EXCHANGE_TIMEOUT = Duration.ofSeconds(60);

    CalcServer server; // package-private for the test of its threads
    private InetSocketAddress target;
    private CalcClient client;
    private LoopbackDelay delay;
    private long operations;
    /** False while setup warms up: those exchanges are checked but neither counted nor recorded. */
    private boolean measuring;

    /** Server and client transport: {@code native} (JNA, blocking) or {@code netty} (epoll). */
    @Param({"native", "netty"})
    public String transport;

    /** The transport of server and client. */
    protected Transport transport() {
        return Transport.fromLabel(transport);
    }

    /** The address family of the in-process servers (and of the remote one). */
    protected AddressFamily family() {
        return AddressFamily.fromLabel(family);
    }

    /** How the client connects. */
    protected abstract Handshake handshake();

    /** The in-process server this benchmark talks to (address, fast open or not); the base adds placement. */
    protected abstract ServerConfig serverConfig();

    /** Throws unless this outcome is what the benchmark claims to measure. */
    protected abstract void checkEvidence(SynData outcome, long operation);

    /** True when every measured request is meant to travel in the SYN; any that does not is a fallback. */
    protected boolean expectsSynData() {
        return handshake().fastOpen();
    }

    /** Exchanges run before measuring: make sure the server is up and, for fast open, that a cookie is cached. */
    protected void warmUp(CalcClient warmClient) throws Exception {
        exchange();
        exchange();
    }

    /**
     * Called before each operation, outside the exchange window (the {@code .hlog}) and inside JMH's timing of the
     * method: whatever makes the next operation what the benchmark claims; the cookie request benchmark makes sure
     * here that the client has no cookie for the server.
     */
    protected void beforeExchange(CalcClient client) throws Exception {
    }

    /** True when {@code -p host=} names a server on another host instead of one in this JVM. */
    protected final boolean remoteServer() {
        return ServerLocation.remote(host).isPresent();
    }

    @Setup(Level.Trial)
    public final void startServerAndClient() throws Exception {
        // Not cleared at teardown: JMH tears a trial down before the profiler reads its last iteration.
        EvidenceTally.clearSynPayload();
        Placement.CpuPlan cpus = Placement.fromLabel(placement).plan();
        cpus.pinCurrentThreadAsClient();
        if (rtt < 0) {
            throw new IllegalArgumentException("rtt is a round-trip time in milliseconds, got " + rtt);
        }
        Optional<InetSocketAddress> remote = ServerLocation.remote(host);
        AddressFamily addressFamily = family();
        if (remote.isPresent() && AddressFamily.of(remote.get().getAddress()) != addressFamily) {
            throw new IllegalArgumentException("-p host=" + host + " is " + AddressFamily.of(remote.get().getAddress())
                    .label() + " but -p family=" + family + ": say -p family="
                    + AddressFamily.of(remote.get().getAddress()).label() + " so that the results name it");
        }
        request = Request.ONE_PLUS_ONE.withSize(requestBytes);
        if (remote.isPresent() && rtt > 0) {
            throw new IllegalArgumentException("rtt emulation delays this namespace's loopback only; with -p host="
                    + host + " the network between the hosts sets the round trip: use -p rtt=0");
        }
        if (remote.isEmpty() && PrivateNetns.isPrivate()) {
            // Before anything opens a socket or starts a thread: all of this trial's network lives in its own
            // namespace, so no earlier trial's TIME_WAIT sockets, cookies or counters reach it.
            TrialNetwork.enterFresh();
        }
        if (remote.isEmpty()) {
            PrivateNetns.requireLoopbackAddresses(addressFamily);
        }
        if (handshake().fastOpen()) {
            FastOpenBlackhole blackhole = FastOpenBlackhole.probe();
            if (blackhole.active()) {
                throw new IllegalStateException(blackhole.refusal());
            }
        }
        delay = rtt > 0 ? LoopbackDelay.apply(rtt) : null;
        try {
            if (remote.isPresent()) {
                target = remote.get();
            } else {
                ServerConfig config = serverConfig().withCpus(cpus.server());
                if (config.transport() == Transport.NATIVE) {
                    config = config.withThreads(NATIVE_SERVER_WORKERS);
                }
                server = Servers.start(config.withMaxHeaderBytes(Math.max(config.maxHeaderBytes(), requestBytes)));
                target = server.address();
            }
            client = Clients.create(transport(), handshake(), target, ClientOptions.defaults()
                    .withCpus(cpus.client()).withSocketTimeouts(!HarnessSwitches.on("client-timeouts-off")));
            measuring = false;
            firstExchange(cpus);
            warmUp(client);
            measureSynPayload();
            measuring = true;
        } catch (Throwable e) {
            try {
                stopClientThenServer(); // never leave a delay or a server behind a failed setup
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        EvidenceTally.setupFinished();
        List<Thread> clientThreads = new ArrayList<>(client.threads());
        clientThreads.add(Thread.currentThread()); // JMH runs a thread-scoped state's setup on its benchmark thread
        CpuTally.register(CpuTally.Side.CLIENT, clientThreads);
        if (server != null) {
            CpuTally.register(CpuTally.Side.SERVER, server.threads());
        }
    }

    /**
     * The fork's first exchange loads and compiles the client's and the server's code. On a busy machine that alone
     * can take longer than an operation may (ClientOptions#DEFAULT_TIMEOUT), so it runs on its own client that waits
     * up to {@link #FIRST_EXCHANGE_TIMEOUT}. Checked like any exchange, neither counted nor recorded; the kernel
     * state it leaves (a cached cookie) is what warmUp sets up anyway.
     */
    private void firstExchange(Placement.CpuPlan cpus) throws Exception {
        try (CalcClient patient = Clients.create(transport(), handshake(), target,
                ClientOptions.defaults().withCpus(cpus.client()).withTimeout(FIRST_EXCHANGE_TIMEOUT))) {
            checkAnswer(patient.exchange(request).response());
        }
    }

    /**
     * For fast open benchmarks that expect the request in the SYN: how many of its bytes the kernel puts there,
     * asked once with a non-blocking probe exchange (NativeClient#synPayloadBytes; the same kernel path whatever
     * the transport). Reported as {@code tfo.synDataBytes} beside {@code tfo.requestBytes}.
     */
    private void measureSynPayload() throws Exception {
        if (!expectsSynData()) {
            return;
        }
        try (NativeClient probe = (NativeClient) Clients.create(Transport.NATIVE, Handshake.TFO, target)) {
            EvidenceTally.synPayload(probe.synPayloadBytes(request), RequestEncoder.encodedLength(request));
        }
    }

    @TearDown(Level.Trial)
    public final void stopClientThenServer() throws Exception {
        CpuTally.retireAll(); // stopping is no operation's cost
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            client = null;
            try {
                if (server != null) {
                    server.close();
                }
            } finally {
                server = null;
                if (delay != null) {
                    delay.close();
                    delay = null;
                }
            }
        }
    }

    /**
     * One operation: the exchange, checked, counted and recorded. The recorded latency is the exchange window:
     * from just before the client's call (its {@code socket()}) to its return.
     */
    protected final Response exchange() throws Exception {
        beforeExchange(client);
        long start = System.nanoTime();
        Exchange exchange = client.exchange(request);
        long nanos = System.nanoTime() - start; // end of the exchange window
        Response response = checkAnswer(exchange.response());
        operations++;
        checkEvidence(exchange.synData(), operations);
        if (measuring) {
            EvidenceTally.count(exchange.synData(), expectsSynData(), exchange.retransmitted());
            if (RECORD_LATENCY) {
                LatencyRecording.record(nanos, exchange.retransmitted());
            }
        }
        return response;
    }

    private Response checkAnswer(Response response) {
        if (!Response.TWO.equals(response)) {
            throw new IllegalStateException("wrong answer to 1 + 1 from " + target + ": " + response);
        }
        return response;
    }

    /** A plain listener on this benchmark's family's plain address. */
    ServerConfig plainServer() {
        return ServerConfig.plain(transport()).withBind(new InetSocketAddress(family().loopback(PLAIN_ADDRESS), 0));
    }

    /** A fast open listener on loopback address number {@code n} of this benchmark's family. */
    ServerConfig fastOpenServer(int n) {
        return fastOpenServer(transport(), family().loopback(n));
    }

    static ServerConfig fastOpenServer(Transport transport, InetAddress address) {
        return ServerConfig.fastOpen(transport).withBind(new InetSocketAddress(address, 0));
    }

    /**
     * What the kernel's blackhole detection says, for the message of a fast open that fell back without a reason:
     * empty unless detection has fired in this namespace and is on.
     */
    static String blackholeNote() {
        try {
            FastOpenBlackhole b = FastOpenBlackhole.read();
            return b.detections() > 0 && b.timeoutSeconds() > 0 ? "; " + b.refusal() : "";
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }
}
