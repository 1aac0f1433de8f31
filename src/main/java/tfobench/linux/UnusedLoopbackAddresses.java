package tfobench.linux;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback destinations that no connection in this network namespace has used yet, so the client has no fast open
 * cookie cached for them: a fast open connection to one of them sends a cookie request and no data, exactly like
 * a client meeting a server for the first time. This needs no privilege, where deleting a cached cookie does
 * ({@link TcpMetrics#delete} needs CAP_NET_ADMIN in the initial user namespace, which a private user namespace
 * never has).
 *
 * <p>Linux routes all of 127.0.0.0/8 to {@code lo}, and the client cookie cache is keyed by (source, destination)
 * address, so every address handed out here is a server the client has never met. The addresses come from
 * 127.128.0.0/9 (the project's fixed servers use 127.0.x.x), in order, starting after the highest one the
 * kernel's cache already holds an entry for: every connection leaves one (the cookie from its SYN-ACK, the metrics
 * at close), and the newest entry is never the one the cache evicts first, so a later JVM in the same namespace
 * continues where an earlier one stopped. One cursor per JVM, shared by its threads. A server reached this way
 * listens on the wildcard address, which only a private namespace (where {@code lo} is the only interface) keeps
 * off the network.
 */
public final class UnusedLoopbackAddresses {
    /** 127.128.0.1: the first address handed out. */
    static final int FIRST = 0x7f800001;
    /** 127.255.255.254: the last (127.255.255.255 is the broadcast address of 127.0.0.0/8). */
    static final int LAST = 0x7ffffffe;

    private static UnusedLoopbackAddresses shared;

    private final AtomicInteger next;
    /** True for a {@link #scratch()} cursor, which starts over instead of running out. */
    private final boolean startsOver;

    UnusedLoopbackAddresses(int first, boolean startsOver) {
        this.next = new AtomicInteger(first);
        this.startsOver = startsOver;
    }

    /**
     * The one cursor of this JVM, starting after every address of the range the namespace's cookie cache knows
     * (read once, with {@code ip tcp_metrics show}'s request).
     */
    public static synchronized UnusedLoopbackAddresses inThisNamespace() throws ErrnoException {
        if (shared == null) {
            try (TcpMetrics metrics = TcpMetrics.open()) {
                shared = new UnusedLoopbackAddresses(firstAfter(metrics.cachedIpv4Destinations()), false);
            }
        }
        return shared;
    }

    /**
     * A cursor of its own over the same range that starts over when used up, for measuring what handing out an
     * address costs. Its addresses must never be connected to: they are not the namespace's never-used ones.
     */
    public static UnusedLoopbackAddresses scratch() {
        return new UnusedLoopbackAddresses(FIRST, true);
    }

    /** The first address of the range above every cached one that lies in it. */
    static int firstAfter(int[] cached) {
        int first = FIRST;
        for (int address : cached) {
            if (Integer.compareUnsigned(address, FIRST) >= 0 && Integer.compareUnsigned(address, LAST) <= 0
                    && Integer.compareUnsigned(address, first) >= 0) {
                first = address + 1;
            }
        }
        return first;
    }

    /**
     * A loopback address no connection has used in this namespace.
     *
     * @throws IllegalStateException once all 8,388,606 addresses of the range are used (a new run, in a new
     *                               namespace, starts over)
     */
    public InetAddress next() {
        int address = next.getAndIncrement();
        if (address > LAST && startsOver) {
            next.set(FIRST + 1);
            address = FIRST;
        } else if (address > LAST || address < FIRST) {
            next.set(LAST + 1); // stays used up: the counter must not wrap round to addresses already used
            throw new IllegalStateException("all " + (LAST - FIRST + 1) + " loopback addresses of 127.128.0.0/9 have "
                    + "been used for cookie requests in this network namespace; a new run (a new namespace) starts "
                    + "over");
        }
        return toInetAddress(address);
    }

    /**
     * Moves the cursor past every address of the range the namespace's cookie cache holds now, never back. A JVM
     * whose cursor was made before other JVMs in the namespace handed out addresses (the launcher: its preflight
     * tries a cookie request, then JMH's forks run) must call this before it hands out more, or it gives out theirs,
     * whose cookies are cached: a fast open SYN with a cookie where a cookie request was meant.
     */
    public UnusedLoopbackAddresses catchUp() throws ErrnoException {
        try (TcpMetrics metrics = TcpMetrics.open()) {
            advancePast(metrics.cachedIpv4Destinations());
        }
        return this;
    }

    void advancePast(int[] cached) {
        int after = firstAfter(cached);
        next.accumulateAndGet(after, (current, candidate) -> Integer.compareUnsigned(candidate, current) > 0
                ? candidate : current);
    }

    /** How many addresses are left. */
    public long remaining() {
        long left = (long) LAST - next.get() + 1;
        return Math.max(0, left);
    }

    static InetAddress toInetAddress(int address) {
        try {
            return InetAddress.getByAddress(new byte[] {
                (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address});
        } catch (UnknownHostException e) {
            throw new AssertionError("4-byte address rejected", e);
        }
    }
}
