package tfobench.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.TearDown;
import tfobench.client.CalcClient;
import tfobench.client.Handshake;
import tfobench.client.SynData;
import tfobench.linux.TcpMetrics;
import tfobench.protocol.Response;
import tfobench.server.ServerConfig;

import java.net.Inet4Address;

/**
 * What a client with no cookie cached pays: the cookie cache entry for the server's address is deleted (over
 * netlink, as {@code ip tcp_metrics delete} does) before every operation, so every connection's SYN carries a
 * cookie request and the request itself goes after the handshake. The deletion is outside the exchange window
 * (the {@code .hlog} latencies) and inside JMH's own timing of the method; {@code Baseline.tcpMetricsDelete} measures
 * it alone.
 *
 * <p>Run: {@code java -jar target/benchmarks.jar CookieRequest -f 1}
 */
public class CookieRequestBenchmark extends ExchangeBenchmark {
    private TcpMetrics metrics;
    private Inet4Address serverAddress;

    @Override
    protected Handshake handshake() {
        return Handshake.TFO;
    }

    @Override
    protected ServerConfig serverConfig() {
        return fastOpenServer(transport(), COOKIE_REQUEST_ADDRESS);
    }

    @Override
    protected void warmUp(CalcClient client) throws Exception {
        metrics = TcpMetrics.open();
        serverAddress = (Inet4Address) client.server().getAddress();
        super.warmUp(client);
    }

    @TearDown(Level.Trial)
    public void closeMetrics() {
        if (metrics != null) {
            metrics.close();
        }
    }

    /** Every request here goes after the handshake, by design: a cookie request is the measurement, not a fallback. */
    @Override
    protected boolean expectsSynData() {
        return false;
    }

    @Override
    protected void beforeExchange() throws Exception {
        metrics.delete(serverAddress);
    }

    @Override
    protected void checkEvidence(SynData outcome, long operation) {
        if (outcome != SynData.COOKIE_REQUESTED) {
            throw new IllegalStateException("cookie cache flushed before operation " + operation
                    + ", yet its connection did not request a cookie: " + outcome.description());
        }
    }

    @Benchmark
    public Response cookieRequest() throws Exception {
        return exchange();
    }
}
