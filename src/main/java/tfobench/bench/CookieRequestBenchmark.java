package tfobench.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.TearDown;
import tfobench.client.CalcClient;
import tfobench.client.Handshake;
import tfobench.client.SynData;
import tfobench.protocol.Response;
import tfobench.server.ServerConfig;

/**
 * What a client with no cookie cached pays: every connection's SYN carries a cookie request instead of the
 * request, and the request goes after the handshake. How the client comes to have no cookie is the
 * {@code cookieMiss} parameter ({@link CookieMiss}):
 * <ul>
 *   <li>{@code fresh-address} (default): each operation connects to a loopback address this namespace has never
 *       used, the server listening on all of them; no privilege needed, and what a client meeting a server for the
 *       first time does;</li>
 *   <li>{@code netlink-delete}: the cached cookie for the server's one address is deleted over netlink before
 *       each operation ({@code ip tcp_metrics delete}); needs real root.</li>
 * </ul>
 * Either preparation runs before the exchange is timed for the {@code .hlog}, but inside JMH's timing of the
 * method; {@code Baseline.cookieMiss} measures each alone.
 *
 * <p>Run: {@code java -jar target/benchmarks.jar CookieRequest -f 1}; as root also
 * {@code -p cookieMiss=fresh-address,netlink-delete} to set the two side by side.
 */
public class CookieRequestBenchmark extends ExchangeBenchmark {
    @Param({"fresh-address"})
    public String cookieMiss;

    private CookieMiss.Before before;

    @Override
    protected Handshake handshake() {
        return Handshake.TFO;
    }

    @Override
    protected ServerConfig serverConfig() {
        return fastOpenServer(transport(), CookieMiss.fromLabel(cookieMiss).serverAddress(family(),
                family().loopback(COOKIE_REQUEST_ADDRESS)));
    }

    @Override
    protected void warmUp(CalcClient client) throws Exception {
        before = CookieMiss.fromLabel(cookieMiss).prepare(family(), client.server(), remoteServer());
        super.warmUp(client);
    }

    @TearDown(Level.Trial)
    public void closeCookieMiss() {
        if (before != null) {
            before.close();
            before = null;
        }
    }

    /** Every request here goes after the handshake, by design: a cookie request is the measurement, not a fallback. */
    @Override
    protected boolean expectsSynData() {
        return false;
    }

    @Override
    protected void beforeExchange(CalcClient client) throws Exception {
        before.run(client);
    }

    @Override
    protected void checkEvidence(SynData outcome, long operation) {
        if (outcome != SynData.COOKIE_REQUESTED) {
            throw new IllegalStateException("operation " + operation + " (cookieMiss=" + cookieMiss + ") met a server "
                    + "it should have no cookie for, yet its connection did not request one: "
                    + outcome.description());
        }
    }

    @Benchmark
    public Response cookieRequest() throws Exception {
        return exchange();
    }
}
