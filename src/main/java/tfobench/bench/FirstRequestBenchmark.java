package tfobench.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import tfobench.client.CalcClient;
import tfobench.client.Handshake;
import tfobench.client.SynData;
import tfobench.protocol.Response;
import tfobench.server.ServerConfig;

/**
 * First-request latency: new socket, the seed's request, complete response parsed, socket closed. What a
 * client pays when it has no connection open, by handshake:
 * <ul>
 *   <li>{@code cold}: connect, then send, to a plain listener (three-way handshake first)</li>
 *   <li>{@code tfo}: sendto(MSG_FASTOPEN) with a cached cookie to a fast open listener</li>
 *   <li>{@code tfo-connect}: TCP_FASTOPEN_CONNECT, connect, send, to a fast open listener</li>
 * </ul>
 * A fast open operation whose SYN data was not acknowledged fails the benchmark with the kernel's reason,
 * unless {@code -p allowFallback=true}, which measures anyway and reports the rate as {@code tfo.fallback}.
 *
 * <p>Run: {@code java -jar target/benchmarks.jar FirstRequest -p handshake=tfo -f 1}
 */
public class FirstRequestBenchmark extends ExchangeBenchmark {
    @Param({"cold", "tfo", "tfo-connect"})
    public String handshake;

    @Param({"false"})
    public boolean allowFallback;

    /** The parsed {@link #handshake} parameter (parsed once: this is asked on every operation). */
    private Handshake parsedHandshake;

    @Override
    protected Handshake handshake() {
        if (parsedHandshake == null) {
            Handshake h = Handshake.fromLabel(handshake);
            if (h == Handshake.KEEPALIVE) {
                throw new IllegalArgumentException("keepalive is measured by KeepAliveBenchmark, not as a first "
                        + "request");
            }
            parsedHandshake = h;
        }
        return parsedHandshake;
    }

    @Override
    protected ServerConfig serverConfig() {
        return handshake().fastOpen() ? fastOpenServer(FAST_OPEN_ADDRESS) : plainServer();
    }

    /** False during the first warm-up exchange, which may only request a cookie. */
    private boolean checking;

    @Override
    protected void warmUp(CalcClient client) throws Exception {
        // The first fast open connection to an address may only request a cookie; from the second on the request
        // must travel in the SYN. One exchange without checks, then one with.
        checking = false;
        exchange();
        checking = true;
        exchange();
    }

    @Override
    protected void checkEvidence(SynData outcome, long operation) {
        if (!checking) {
            return;
        }
        if (!handshake().fastOpen()) {
            if (outcome != SynData.NOT_SENT) {
                throw new IllegalStateException("cold handshake, yet SYN data evidence says: " + outcome.description());
            }
        } else if (outcome != SynData.ACKED && !allowFallback) {
            throw new IllegalStateException("TCP Fast Open fell back on operation " + operation + " (" + transport
                    + ", " + handshake + "): " + outcome.description()
                    + (outcome == SynData.FALLBACK_UNEXPLAINED ? blackholeNote() : "")
                    + "; run with -p allowFallback=true to measure anyway and report the rate");
        }
    }

    @Benchmark
    public Response firstRequest() throws Exception {
        return exchange();
    }
}
