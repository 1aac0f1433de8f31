package tfobench.server;

import java.net.InetSocketAddress;

/**
 * What both servers share: their configuration, the address they are bound to, and the connection counts every
 * server reports (accepted, open, refused over {@link ServerConfig#maxConnections}). A subclass binds in its
 * constructor and says where with {@link #listeningOn}; it passes every accepted connection through
 * {@link ConnectionLimit#tryOpen() limit.tryOpen()} and, once that connection is closed, {@code limit.closed()}.
 */
abstract class AbstractCalcServer implements CalcServer {
    protected final ServerConfig config;
    /** Counts connections accepted, open and refused; shared with whatever serves a connection for the server. */
    final ConnectionLimit limit;
    private InetSocketAddress address;

    AbstractCalcServer(ServerConfig config) {
        this.config = config;
        this.limit = new ConnectionLimit(config.maxConnections());
    }

    /** The address the listener got (the kernel's port when 0 was asked for); set once, before start returns. */
    final void listeningOn(InetSocketAddress bound) {
        this.address = bound;
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
