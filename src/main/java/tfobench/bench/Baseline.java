package tfobench.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Param;
import tfobench.AddressFamily;
import tfobench.Transport;
import tfobench.client.CalcClient;
import tfobench.client.Clients;
import tfobench.client.Handshake;
import tfobench.linux.SockAddrIn;
import tfobench.linux.Syscalls;
import tfobench.linux.TcpInfo;
import tfobench.linux.ThreadCpuClock;
import tfobench.linux.UnusedLoopbackAddresses;
import tfobench.protocol.ProtocolException;
import tfobench.protocol.Request;
import tfobench.protocol.RequestEncoder;
import tfobench.protocol.Response;
import tfobench.protocol.ResponseDecoder;
import tfobench.protocol.ResponseEncoder;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The harness's own costs, to subtract in your head from the network benchmarks (named to sort first):
 * <ul>
 *   <li>{@code protocolRoundTrip}: encode the seed request and parse a canned response; no system call</li>
 *   <li>{@code tcpInfoRead}: the {@code getsockopt(TCP_INFO)} every operation makes to prove its handshake</li>
 *   <li>{@code cookieMiss}: what every CookieRequestBenchmark operation does before its exchange so that the client
 *       has no cookie, per {@code cookieMiss} value: hand out a never-used loopback address and point the client at
 *       it ({@code fresh-address}, the default), or delete the cached cookie over netlink ({@code netlink-delete},
 *       needs root)</li>
 *   <li>{@code cpuClockRead}: one read of a thread CPU clock, of the benchmark's own thread ({@code this-thread}) or of
 *       another, parked one ({@code other-thread}): what reading the CPU time around every operation would add to it,
 *       and why {@link CpuCostProfiler} reads once per iteration instead</li>
 * </ul>
 * <p>Run: {@code java -jar target/benchmarks.jar Baseline -f 1}
 */
@State(Scope.Thread)
public class Baseline extends BenchmarkDefaults {
    private static final byte[] CANNED_RESPONSE = ResponseEncoder.encode(Response.TWO);

    private final ByteBuffer requestOut = ByteBuffer.allocateDirect(256);
    private final ByteBuffer responseIn = ByteBuffer.allocateDirect(256);
    private final ResponseDecoder decoder = new ResponseDecoder();
    private final TcpInfo info = new TcpInfo();
    private int listenFd = -1;
    private int connectedFd = -1;

    @Setup(Level.Trial)
    public void openSockets() throws Exception {
        SockAddrIn address = new SockAddrIn(new InetSocketAddress(InetAddress.getByAddress(
                new byte[] {127, 0, 0, 5}), 0));
        listenFd = Syscalls.tcpSocket();
        Syscalls.bind(listenFd, address);
        Syscalls.listen(listenFd, 1);
        connectedFd = Syscalls.tcpSocket();
        Syscalls.connect(connectedFd, new SockAddrIn(Syscalls.localAddress(listenFd))); // completes in the backlog
    }

    @TearDown(Level.Trial)
    public void closeSockets() {
        Syscalls.closeQuietly(connectedFd);
        Syscalls.closeQuietly(listenFd);
    }

    @Benchmark
    public Response protocolRoundTrip() throws ProtocolException {
        requestOut.clear();
        RequestEncoder.encode(Request.ONE_PLUS_ONE, requestOut);
        responseIn.clear();
        responseIn.put(CANNED_RESPONSE).flip();
        decoder.reset();
        Response response = decoder.decode(responseIn);
        if (!Response.TWO.equals(response)) {
            throw new IllegalStateException("canned response parsed as " + response);
        }
        return response;
    }

    @Benchmark
    public int tcpInfoRead() throws Exception {
        return Syscalls.tcpInfo(connectedFd, info).state();
    }

    @Benchmark
    public CalcClient cookieMiss(CookieMissState state) throws Exception {
        state.before.run(state.client);
        return state.client;
    }

    @Benchmark
    public long cpuClockRead(CpuClockState state) {
        return state.thisThread ? ThreadCpuClock.currentThreadNanos() : ThreadCpuClock.nanos(state.other);
    }

    /** The clock to read: this thread's, or a parked thread's (as a server thread is between connections). */
    @State(Scope.Thread)
    public static class CpuClockState {
        @Param({"this-thread", "other-thread"})
        public String clock;

        boolean thisThread;
        Thread other;

        @Setup(Level.Trial)
        public void start() {
            thisThread = clock.equals("this-thread");
            if (!thisThread && !clock.equals("other-thread")) {
                throw new IllegalArgumentException("clock is this-thread or other-thread, got " + clock);
            }
            other = new Thread(() -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // stopped
                }
            }, "parked");
            other.setDaemon(true);
            other.start();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            other.interrupt();
            other.join();
        }
    }

    /**
     * A client that never connects, pointed before each call as the cookie request benchmark points its own. For
     * {@code fresh-address} the addresses come from a cursor of this state's own that starts over when used up:
     * they are never connected to, so they must not use up the namespace's never-used addresses (a call takes
     * nanoseconds: a one-second iteration would ask for millions).
     */
    @State(Scope.Thread)
    public static class CookieMissState {
        @Param({"fresh-address"})
        public String cookieMiss;

        CalcClient client;
        CookieMiss.Before before;

        @Setup(Level.Trial)
        public void prepare() throws Exception {
            InetSocketAddress unused = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 6}), 1);
            client = Clients.create(Transport.NATIVE, Handshake.TFO, unused);
            CookieMiss miss = CookieMiss.fromLabel(cookieMiss);
            before = miss == CookieMiss.FRESH_ADDRESS ? CookieMiss.freshAddresses(UnusedLoopbackAddresses.scratch(), 1)
                    : miss.prepare(AddressFamily.IPV4, unused, false);
        }

        @TearDown(Level.Trial)
        public void close() {
            if (before != null) {
                before.close();
            }
            if (client != null) {
                client.close();
            }
        }
    }
}
