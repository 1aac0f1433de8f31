package tfobench.bench;

import org.openjdk.jmh.annotations.Benchmark;
import tfobench.client.Handshake;
import tfobench.client.SynData;
import tfobench.protocol.Response;
import tfobench.server.ServerConfig;

/**
 * Keep-alive reuse: one request and its complete response on a connection opened once per trial. What the
 * handshake costs is absent here; compare with FirstRequestBenchmark to see what connection reuse saves.
 *
 * <p>Run: {@code java -jar target/benchmarks.jar KeepAlive -f 1}
 */
public class KeepAliveBenchmark extends ExchangeBenchmark {
    @Override
    protected Handshake handshake() {
        return Handshake.KEEPALIVE;
    }

    @Override
    protected ServerConfig serverConfig() {
        return plainServer();
    }

    @Override
    protected void checkEvidence(SynData outcome, long operation) {
        if (outcome == SynData.NOT_SENT && operation > 1) {
            throw new IllegalStateException("keep-alive connection was closed and reopened at operation " + operation);
        }
        if (outcome != SynData.REUSED && outcome != SynData.NOT_SENT) {
            throw new IllegalStateException("keep-alive connection evidence says: " + outcome.description());
        }
    }

    @Benchmark
    public Response keepAliveRequest() throws Exception {
        return exchange();
    }
}
