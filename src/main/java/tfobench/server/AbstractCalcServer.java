package tfobench.server;

import java.net.InetSocketAddress;

/**
 * What both servers share: their configuration, the address they are bound to, and the connection counts every
 * server reports (accepted, open, refused over {@link ServerConfig#maxConnections}). A subclass binds in its
 * constructor and says where with {@link #listeningOn}; it passes every accepted connection through
 * {@link #admitConnection()} and, once served, {@link #connectionClosed()}.
 */
abstract class AbstractCalcServer implements CalcServer {
    protected final ServerConfig config;
    private final ConnectionLimit limit;
    private InetSocketAddress address;

    AbstractCalcServer(ServerConfig config) {
        this.config = config;
        this.limit = new ConnectionLimit(config.maxConnections());
    }

    /** The address the listener got (the kernel's port when 0 was asked for); set once, before start returns. */
    final void listeningOn(InetSocketAddress bound) {
        this.address = bound;
    }

    /** Counts a connection just accepted; false when it is one too many and must be closed unanswered. */
    final boolean admitConnection() {
        return limit.tryOpen();
    }

    /** A connection {@link #admitConnection()} let in has been closed. */
    final void connectionClosed() {
        limit.closed();
    }

    @Override
    public final ServerConfig config() {
        return config;
    }

    @Override
    public final InetSocketAddress address() {
        return address;
    }

    @Override
    public final long acceptedConnections() {
        return limit.accepted();
    }

    @Override
    public final int openConnections() {
        return limit.open();
    }

    @Override
    public final long refusedConnections() {
        return limit.refused();
    }
}
