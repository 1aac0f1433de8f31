package tfobench.bench;

import tfobench.AddressFamily;
import tfobench.client.CalcClient;
import tfobench.linux.Errno;
import tfobench.linux.ErrnoException;
import tfobench.linux.PrivateNetns;
import tfobench.linux.TcpMetrics;
import tfobench.linux.UnusedLoopbackAddresses;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * How a cookie-request operation makes its client meet the server with no fast open cookie cached (the
 * {@code cookieMiss} parameter). Both give the same proof per operation: the SYN carries a cookie request and no
 * data ({@code tfo.cookieRequested} = 1.0) and the server counts it ({@code TCPFastOpenCookieReqd} = operations).
 */
public enum CookieMiss {
    /**
     * Connect to a loopback address this namespace has never used ({@link UnusedLoopbackAddresses}), the server
     * listening on the wildcard address: a client meeting a server for the first time, as in real life. Needs no
     * privilege. What it adds to an operation: handing out the next address (Baseline.cookieMiss).
     */
    FRESH_ADDRESS("fresh-address"),
    /**
     * Delete the cached cookie for the server's one address over netlink before the operation, as
     * {@code ip tcp_metrics delete} does. The kernel allows that only with CAP_NET_ADMIN in the initial user
     * namespace (real root): a non-root run's private user namespace gets EPERM. What it adds to an operation:
     * one netlink round trip (Baseline.cookieMiss with this value).
     */
    NETLINK_DELETE("netlink-delete");

    private final String label;

    CookieMiss(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static CookieMiss fromLabel(String label) {
        for (CookieMiss m : values()) {
            if (m.label.equals(label)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown cookieMiss '" + label + "' (expected fresh-address or "
                + "netlink-delete)");
    }

    /** Where the in-process fast open server listens: every loopback address, or the one of its own. */
    public InetAddress serverAddress(AddressFamily family, InetAddress ownAddress) {
        if (this == NETLINK_DELETE) {
            return ownAddress;
        }
        if (!PrivateNetns.isPrivate()) {
            throw new IllegalStateException("cookieMiss=fresh-address listens on 0.0.0.0, which outside the private "
                    + "network namespace would put the server on the network: run in the private namespace (the "
                    + "default) or use -p cookieMiss=netlink-delete (needs root)");
        }
        return family.wildcard();
    }

    /** Per trial: what runs before each operation so that its connection finds no cookie. */
    Before prepare(AddressFamily family, InetSocketAddress server, boolean remote) throws ErrnoException {
        if (this == FRESH_ADDRESS) {
            if (remote) {
                throw new IllegalStateException("cookieMiss=fresh-address reaches the in-process server at a new "
                        + "loopback address each time; a remote server (-p host=) has one address: use -p "
                        + "cookieMiss=netlink-delete (needs root)");
            }
            return freshAddresses(UnusedLoopbackAddresses.inThisNamespace(family), server.getPort());
        }
        TcpMetrics metrics = TcpMetrics.open();
        InetAddress address = server.getAddress();
        return new Before() {
            @Override
            public void run(CalcClient client) throws ErrnoException {
                try {
                    metrics.delete(address);
                } catch (ErrnoException e) {
                    if (e.errno() == Errno.EPERM) {
                        throw new IllegalStateException(NEEDS_ROOT + " (" + e.getMessage() + ")", e);
                    }
                    throw e;
                }
            }

            @Override
            public void close() {
                metrics.close();
            }
        };
    }

    /** Points the client at the next address of the cursor before each operation. */
    static Before freshAddresses(UnusedLoopbackAddresses addresses, int port) {
        return new Before() {
            @Override
            public void run(CalcClient client) {
                client.retarget(new InetSocketAddress(addresses.next(), port));
            }

            @Override
            public void close() {
            }
        };
    }

    /** The one line a non-root netlink deletion fails with. */
    public static final String NEEDS_ROOT = "cookieMiss=netlink-delete needs CAP_NET_ADMIN in the initial user namespace "
            + "(real root): run as root, or use the default cookieMiss=fresh-address";

    /** What runs before each operation. */
    interface Before extends AutoCloseable {
        void run(CalcClient client) throws Exception;

        @Override
        void close();
    }

}
