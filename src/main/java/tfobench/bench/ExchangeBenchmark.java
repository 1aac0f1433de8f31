package tfobench.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import tfobench.Transport;
import tfobench.client.CalcClient;
import tfobench.client.ClientOptions;
import tfobench.client.Clients;
import tfobench.client.Exchange;
import tfobench.client.Handshake;
import tfobench.client.SynData;
import tfobench.linux.LoopbackDelay;
import tfobench.linux.PrivateNetns;
import tfobench.protocol.Request;
import tfobench.protocol.Response;
import tfobench.server.CalcServer;
import tfobench.server.ServerConfig;
import tfobench.server.Servers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * What every client-server benchmark shares: JMH defaults (sample time in microseconds, so the JSON carries full
 * percentiles), the placement and host parameters, one server per trial started on port 0 (or a remote one, see
 * {@link #host}) and one client per thread,
 * torn down client first, and the check of every answer and its evidence. A wrong answer or a handshake that
 * was not what the benchmark claims throws: it never becomes a fast number.
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
     * Plain listener: the client's cookie cache is per address, so plain and fast open servers never share one. The
     * churn and load tools use the same two addresses.
     */
    public static final InetAddress PLAIN_ADDRESS = loopback(2);
    /** Fast open listener. */
    public static final InetAddress FAST_OPEN_ADDRESS = loopback(3);
    /** Fast open listener whose cookie is flushed before every operation. */
    static final InetAddress COOKIE_REQUEST_ADDRESS = loopback(4);

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

    private CalcServer server;
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
        if (remote.isEmpty() && PrivateNetns.isPrivate()) {
            // Before anything opens a socket or starts a thread: all of this trial's network lives in its own
            // namespace, so no earlier trial's TIME_WAIT sockets, cookies or counters reach it.
            TrialNetwork.enterFresh();
        }
        delay = rtt > 0 ? LoopbackDelay.apply(rtt) : null;
        try {
            if (remote.isPresent()) {
                target = remote.get();
            } else {
                server = Servers.start(serverConfig().withCpus(cpus.server()));
                target = server.address();
            }
            client = Clients.create(transport(), handshake(), target,
                    ClientOptions.defaults().withCpus(cpus.client()));
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
    }

    @TearDown(Level.Trial)
    public final void stopClientThenServer() throws Exception {
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
        Exchange exchange = client.exchange(Request.ONE_PLUS_ONE);
        long nanos = System.nanoTime() - start; // end of the exchange window
        Response response = exchange.response();
        if (!Response.TWO.equals(response)) {
            throw new IllegalStateException("wrong answer to 1 + 1 from " + target + ": " + response);
        }
        operations++;
        checkEvidence(exchange.synData(), operations);
        if (measuring) {
            EvidenceTally.count(exchange.synData(), expectsSynData(), exchange.retransmitted());
            LatencyRecording.record(nanos, exchange.retransmitted());
        }
        return response;
    }

    static ServerConfig plainServer(Transport transport) {
        return ServerConfig.plain(transport).withBind(new InetSocketAddress(PLAIN_ADDRESS, 0));
    }

    static ServerConfig fastOpenServer(Transport transport, InetAddress address) {
        return ServerConfig.fastOpen(transport).withBind(new InetSocketAddress(address, 0));
    }

    private static InetAddress loopback(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
