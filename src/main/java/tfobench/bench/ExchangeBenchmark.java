package tfobench.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import tfobench.HarnessSwitches;
import tfobench.Transport;
import tfobench.client.CalcClient;
import tfobench.client.ClientOptions;
import tfobench.client.Clients;
import tfobench.client.Exchange;
import tfobench.client.Handshake;
import tfobench.client.SynData;
import tfobench.linux.FastOpenBlackhole;
import tfobench.linux.LoopbackDelay;
import tfobench.protocol.Request;
import tfobench.protocol.Response;
import tfobench.server.CalcServer;
import tfobench.server.ServerConfig;
import tfobench.server.Servers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
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
 * <p>The measured operation is {@link #exchange()}: for one-shot handshakes a whole connection (socket, request,
 * complete response parsed, {@code TCP_INFO} read, close); for keep-alive one request on the open connection.
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
     * Plain listener: the client's cookie cache is per address, so plain and fast open servers never share one. The
     * churn and load tools use the same two addresses.
     */
    public static final InetAddress PLAIN_ADDRESS = loopback(2);
    /** Fast open listener. */
    public static final InetAddress FAST_OPEN_ADDRESS = loopback(3);
    /** Fast open listener whose cookie is flushed before every operation. */
    static final InetAddress COOKIE_REQUEST_ADDRESS = loopback(4);

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
     * Called before each operation, inside JMH's timing of the method but outside the exchange's own timing (the
     * {@code .hlog}); the cookie request benchmark makes sure here that the client has no cookie for the server.
     */
    protected void beforeExchange(CalcClient client) throws Exception {
    }

    /** True when {@code -p host=} names a server on another host instead of one in this JVM. */
    protected final boolean remoteServer() {
        return ServerLocation.remote(host).isPresent();
    }

    @Setup(Level.Trial)
    public final void startServerAndClient() throws Exception {
        Placement.CpuPlan cpus = Placement.fromLabel(placement).plan();
        cpus.pinCurrentThreadAsClient();
        if (rtt < 0) {
            throw new IllegalArgumentException("rtt is a round-trip time in milliseconds, got " + rtt);
        }
        Optional<InetSocketAddress> remote = ServerLocation.remote(host);
        if (remote.isPresent() && rtt > 0) {
            throw new IllegalArgumentException("rtt emulation delays this namespace's loopback only; with -p host="
                    + host + " the network between the hosts sets the round trip: use -p rtt=0");
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
                server = Servers.start(config);
                target = server.address();
            }
            client = Clients.create(transport(), handshake(), target, ClientOptions.defaults()
                    .withCpus(cpus.client()).withSocketTimeouts(!HarnessSwitches.on("client-timeouts-off")));
            measuring = false;
            warmUp(client);
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

    /** One operation: the exchange, checked, counted and recorded. */
    protected final Response exchange() throws Exception {
        beforeExchange(client);
        long start = System.nanoTime();
        Exchange exchange = client.exchange(Request.ONE_PLUS_ONE);
        long nanos = System.nanoTime() - start;
        Response response = exchange.response();
        if (!Response.TWO.equals(response)) {
            throw new IllegalStateException("wrong answer to 1 + 1 from " + target + ": " + response);
        }
        operations++;
        checkEvidence(exchange.synData(), operations);
        if (measuring) {
            EvidenceTally.count(exchange.synData(), expectsSynData());
            if (RECORD_LATENCY) {
                LatencyRecording.record(nanos);
            }
        }
        return response;
    }

    static ServerConfig plainServer(Transport transport) {
        return ServerConfig.plain(transport).withBind(new InetSocketAddress(PLAIN_ADDRESS, 0));
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

    private static InetAddress loopback(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
