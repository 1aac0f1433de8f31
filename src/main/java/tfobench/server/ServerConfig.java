package tfobench.server;

import tfobench.Transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.BitSet;
import java.util.Objects;

/**
 * What an in-process server is: transport, address (port 0 = any free port), fast open or plain, and the limits
 * that keep it safe on bad input.
 *
 * @param transport       native (JNA, blocking) or netty (epoll)
 * @param bind            address to listen on; loopback unless the caller asks otherwise
 * @param fastOpenQueue   TCP_FASTOPEN queue length (pending fast open requests); 0 = plain listener
 * @param threads         native: accepting/serving threads (each serves one active connection at a time; a
 *                        connection with nothing to read waits in the server's poller instead); netty: event loop
 *                        threads
 * @param idleTimeout     a connection idle this long (also mid-request) is closed
 * @param requestTimeout  a request whose header block is not complete this long after its first byte is answered
 *                        408 and closed (restarts with each request on a kept-alive connection)
 * @param maxHeaderBytes  request header block limit; larger requests get 413
 * @param cpus            CPUs the server threads are pinned to, or null to leave placement to the scheduler
 * @param maxConnections  most connections open at once; one more is closed unanswered right after accept
 */
public record ServerConfig(Transport transport, InetSocketAddress bind, int fastOpenQueue, int threads,
                           Duration idleTimeout, Duration requestTimeout, int maxHeaderBytes, BitSet cpus,
                           int maxConnections) {

    public static final int DEFAULT_FAST_OPEN_QUEUE = 256;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_HEADER_BYTES = 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    public ServerConfig {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (fastOpenQueue < 0) {
            throw new IllegalArgumentException("fast open queue length must be >= 0: " + fastOpenQueue);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive: " + idleTimeout);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive: " + requestTimeout);
        }
        if (maxHeaderBytes < 64) {
            throw new IllegalArgumentException("max header bytes must be >= 64: " + maxHeaderBytes);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max connections must be >= 1: " + maxConnections);
        }
        cpus = cpus == null ? null : (BitSet) cpus.clone();
    }

    /** A plain listener on 127.0.0.1, any port, default limits. */
    public static ServerConfig plain(Transport transport) {
        return new ServerConfig(transport, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0,
                transport == Transport.NATIVE ? 4 : 1, DEFAULT_IDLE_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_MAX_HEADER_BYTES, null, DEFAULT_MAX_CONNECTIONS);
    }

    /** A fast open listener on 127.0.0.1, any port, default limits. */
    public static ServerConfig fastOpen(Transport transport) {
        return plain(transport).withFastOpenQueue(DEFAULT_FAST_OPEN_QUEUE);
    }

    public boolean fastOpen() {
        return fastOpenQueue > 0;
    }

    public ServerConfig withBind(InetSocketAddress address) {
        return new ServerConfig(transport, address, fastOpenQueue, threads, idleTimeout, requestTimeout,
                maxHeaderBytes, cpus, maxConnections);
    }

    public ServerConfig withFastOpenQueue(int queue) {
        return new ServerConfig(transport, bind, queue, threads, idleTimeout, requestTimeout, maxHeaderBytes, cpus,
                maxConnections);
    }

    public ServerConfig withThreads(int count) {
        return new ServerConfig(transport, bind, fastOpenQueue, count, idleTimeout, requestTimeout, maxHeaderBytes,
                cpus, maxConnections);
    }

    public ServerConfig withIdleTimeout(Duration timeout) {
        return new ServerConfig(transport, bind, fastOpenQueue, threads, timeout, requestTimeout, maxHeaderBytes,
                cpus, maxConnections);
    }

    public ServerConfig withRequestTimeout(Duration timeout) {
        return new ServerConfig(transport, bind, fastOpenQueue, threads, idleTimeout, timeout, maxHeaderBytes, cpus,
                maxConnections);
    }

    public ServerConfig withMaxHeaderBytes(int limit) {
        return new ServerConfig(transport, bind, fastOpenQueue, threads, idleTimeout, requestTimeout, limit, cpus,
                maxConnections);
    }

    public ServerConfig withCpus(BitSet set) {
        return new ServerConfig(transport, bind, fastOpenQueue, threads, idleTimeout, requestTimeout, maxHeaderBytes,
                set, maxConnections);
    }

    public ServerConfig withMaxConnections(int limit) {
        return new ServerConfig(transport, bind, fastOpenQueue, threads, idleTimeout, requestTimeout, maxHeaderBytes,
                cpus, limit);
    }

    @Override
    public BitSet cpus() {
        return cpus == null ? null : (BitSet) cpus.clone();
    }
}
