package tfobench.server;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * An in-process CALCULATE MATH/1.1 server, listening from the moment {@link Servers#start} returns until
 * {@link #close()} returns; close leaves no thread or descriptor behind, or throws saying which.
 */
public interface CalcServer extends AutoCloseable {

    ServerConfig config();

    /** The bound address: the configured one with the kernel's port when 0 was asked for. */
    InetSocketAddress address();

    /** Connections accepted so far (refused ones included). */
    long acceptedConnections();

    /** Connections open now: accepted, not refused, not yet closed by either side. */
    int openConnections();

    /** Connections closed unanswered right after accept because {@link ServerConfig#maxConnections} were open. */
    long refusedConnections();

    /** The threads that do the server's work (accepting, serving, polling), for their CPU clocks. */
    List<Thread> threads();

    /** Stops listening, closes every connection, waits for the server's threads to end. */
    @Override
    void close() throws ServerStopException;
}
