package tfobench.server;

import tfobench.protocol.Operator;
import tfobench.protocol.Request;
import tfobench.protocol.RequestEncoder;
import tfobench.protocol.Response;
import tfobench.testing.Figures;
import tfobench.testing.ProcessResources;
import tfobench.testing.RawConnection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A server started for a hostile-client case: warmed up, then its process's resources noted, so that at the end the
 * case can check that the server still answers and that descriptors, threads, heap and Netty's direct memory are
 * what they were (see {@link ProcessResources}). Each case's outcome goes to {@code target/test-figures}.
 */
final class ServerUnderTest implements AutoCloseable {
    /** Longest wait for anything the server should do at once. */
    static final Duration PROMPTLY = Duration.ofSeconds(5);

    final CalcServer server;
    private final String figures;
    private final ProcessResources before;

    private ServerUnderTest(CalcServer server, String figures) throws IOException {
        this.server = server;
        this.figures = figures;
        goodRequestMillis(); // first use loads classes and fills pools: not a leak
        goodRequestMillis();
        this.before = ProcessResources.snapshot();
    }

    static ServerUnderTest start(ServerConfig config, String figures) throws IOException, InterruptedException {
        CalcServer server = Servers.start(config);
        try {
            return new ServerUnderTest(server, figures);
        } catch (IOException | RuntimeException | Error e) {
            try {
                server.close();
            } catch (ServerStopException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    InetSocketAddress address() {
        return server.address();
    }

    ProcessResources resourcesBefore() {
        return before;
    }

    /** Answers a good request on a new connection (asserted); returns milliseconds from connect to the answer's end. */
    long goodRequestMillis() throws IOException {
        long start = System.nanoTime();
        try (RawConnection c = RawConnection.open(server.address())) {
            RawConnection.Received received = c.send(RequestEncoder.encode(new Request(20, Operator.ADD, 22, false)))
                    .readUntilClosed(PROMPTLY);
            assertEquals(List.of(Response.ok(42, false)), received.responses(), "a good request");
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Waits until the server holds {@code expected} connections; fails saying how many it holds. */
    void awaitOpenConnections(int expected, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (server.openConnections() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, server.openConnections(), "open connections");
    }

    /**
     * The case is over: the server answers a good request, holds no connection of the case, and nothing has grown
     * since it started; records the outcome.
     */
    void finish(String name, String outcome) throws IOException, InterruptedException {
        goodRequestMillis();
        awaitOpenConnections(0, PROMPTLY);
        ProcessResources after = ProcessResources.awaitSame(before, Duration.ofSeconds(3));
        Figures.record(figures, server.config().transport().label() + " | " + name + " | " + outcome + " | "
                + after.comparedTo(before));
    }

    @Override
    public void close() throws ServerStopException {
        server.close();
    }
}
