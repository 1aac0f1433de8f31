package tfobench.linux;

import tfobench.AddressFamily;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loopback destinations that no connection in this network namespace has used yet, so the client has no fast open
 * cookie cached for them: a fast open connection to one of them sends a cookie request and no data, exactly like
 * a client meeting a server for the first time. This needs no privilege, where deleting a cached cookie does
 * ({@link TcpMetrics#delete} needs CAP_NET_ADMIN in the initial user namespace, which a private user namespace
 * never has).
 *
 * <p>The client cookie cache is keyed by (source, destination) address, so every address handed out here is a
 * server the client has never met:
 * <ul>
 *   <li>IPv4: 127.128.0.1 to 127.255.255.254 (Linux routes all of 127.0.0.0/8 to {@code lo}; the project's fixed
 *       servers use 127.0.x.x);</li>
 *   <li>IPv6: fd74:666f:0:1::1 upwards, inside the prefix the private namespace routes to {@code lo} as local
 *       ({@link AddressFamily#IPV6_LOCAL_PREFIX}).</li>
 * </ul>
 * They come in order, starting after the highest one the kernel's cache already holds an entry for: every
 * connection leaves one (the cookie from its SYN-ACK, the metrics at close), and the newest entry is never the one
 * the cache evicts first, so a later JVM in the same namespace continues where an earlier one stopped. One cursor
 * per family and JVM, shared by its threads. A server reached this way listens on the wildcard address, which only
 * a private namespace (where {@code lo} is the only interface) keeps off the network.
 */
public final class UnusedLoopbackAddresses {
    /** 127.128.0.1: the first IPv4 address handed out, as an unsigned number. */
    static final long FIRST_IPV4 = 0x7f800001L;
    /** 127.255.255.254: the last (127.255.255.255 is the broadcast address of 127.0.0.0/8). */
    static final long LAST_IPV4 = 0x7ffffffeL;
    /** fd74:666f:0:1::: the IPv6 addresses are this prefix plus 1 to {@link #LAST_IPV6} in the low 32 bits. */
    static final byte[] IPV6_PREFIX = {(byte) 0xfd, 0x74, 0x66, 0x6f, 0, 0, 0, 1, 0, 0, 0, 0};
    static final long FIRST_IPV6 = 1;
    static final long LAST_IPV6 = 0xfffffffeL;

    private static final Map<AddressFamily, UnusedLoopbackAddresses> SHARED = new EnumMap<>(AddressFamily.class);

    private final AddressFamily family;
    private final AtomicLong next;
    /** True for a {@link #scratch()} cursor, which starts over instead of running out. */
    private final boolean startsOver;

    UnusedLoopbackAddresses(AddressFamily family, long first, boolean startsOver) {
        this.family = family;
        this.next = new AtomicLong(first);
        this.startsOver = startsOver;
    }

    /** The IPv4 cursor of this JVM (see {@link #inThisNamespace(AddressFamily)}). */
    public static UnusedLoopbackAddresses inThisNamespace() throws ErrnoException {
        return inThisNamespace(AddressFamily.IPV4);
    }

    /**
     * The one cursor of this JVM for the family, starting after every address of its range the namespace's cookie
     * cache knows (read once, with {@code ip tcp_metrics show}'s request).
     */
    public static synchronized UnusedLoopbackAddresses inThisNamespace(AddressFamily family) throws ErrnoException {
        UnusedLoopbackAddresses cursor = SHARED.get(family);
        if (cursor == null) {
            try (TcpMetrics metrics = TcpMetrics.open()) {
                cursor = new UnusedLoopbackAddresses(family, firstAfter(family, metrics.cachedDestinations()), false);
            }
            SHARED.put(family, cursor);
        }
        return cursor;
    }

    /**
     * A cursor of its own over the IPv4 range that starts over when used up, for measuring what handing out an
     * address costs. Its addresses must never be connected to: they are not the namespace's never-used ones.
     */
    public static UnusedLoopbackAddresses scratch() {
        return new UnusedLoopbackAddresses(AddressFamily.IPV4, FIRST_IPV4, true);
    }

    /** The first index of the family's range above every cached address that lies in it. */
    static long firstAfter(AddressFamily family, List<InetAddress> cached) {
        long first = first(family);
        for (InetAddress address : cached) {
            long index = indexOf(family, address);
            if (index >= first(family) && index <= last(family) && index >= first) {
                first = index + 1;
            }
        }
        return first;
    }

    /**
     * A loopback address no connection has used in this namespace.
     *
     * @throws IllegalStateException once every address of the range is used (a new run, in a new namespace,
     *                               starts over)
     */
    public InetAddress next() {
        long index = next.getAndIncrement();
        if (index > last(family) && startsOver) {
            next.set(first(family) + 1);
            index = first(family);
        } else if (index > last(family)) {
            next.set(last(family) + 1); // stays used up
            throw new IllegalStateException("all " + (last(family) - first(family) + 1) + " never-used loopback "
                    + family.label() + " addresses have been used for cookie requests in this network namespace; a "
                    + "new run (a new namespace) starts over");
        }
        return addressAt(family, index);
    }

    /**
     * Moves the cursor past every address of the range the namespace's cookie cache holds now, never back. A JVM
     * whose cursor was made before other JVMs in the namespace handed out addresses (the launcher: its preflight
     * tries a cookie request, then JMH's forks run) must call this before it hands out more, or it gives out theirs,
     * whose cookies are cached: a fast open SYN with a cookie where a cookie request was meant.
     */
    public UnusedLoopbackAddresses catchUp() throws ErrnoException {
        try (TcpMetrics metrics = TcpMetrics.open()) {
            advancePast(metrics.cachedDestinations());
        }
        return this;
    }

    void advancePast(List<InetAddress> cached) {
        next.accumulateAndGet(firstAfter(family, cached), Math::max);
    }

    /**
     * The next never-used IPv4 address after catching up with the cache ({@link #catchUp}): for one-off uses (the
     * preflight, the check, the blackhole probe) in a namespace that other JVMs (a test JVM and the tools it starts,
     * the launcher and its forks) hand addresses out in too.
     */
    public static InetAddress nextNow() throws ErrnoException {
        return inThisNamespace().catchUp().next();
    }

    /** How many addresses are left. */
    public long remaining() {
        return Math.max(0, last(family) - next.get() + 1);
    }

    private static long first(AddressFamily family) {
        return family == AddressFamily.IPV4 ? FIRST_IPV4 : FIRST_IPV6;
    }

    private static long last(AddressFamily family) {
        return family == AddressFamily.IPV4 ? LAST_IPV4 : LAST_IPV6;
    }

    /** Where the address lies in the family's range, or -1 outside it. */
    static long indexOf(AddressFamily family, InetAddress address) {
        byte[] ip = address.getAddress();
        if (family == AddressFamily.IPV4) {
            return ip.length == 4 ? low32(ip, 0) : -1;
        }
        if (ip.length != 16) {
            return -1;
        }
        for (int i = 0; i < IPV6_PREFIX.length; i++) {
            if (ip[i] != IPV6_PREFIX[i]) {
                return -1;
            }
        }
        return low32(ip, 12);
    }

    static InetAddress addressAt(AddressFamily family, long index) {
        byte[] ip;
        int at;
        if (family == AddressFamily.IPV4) {
            ip = new byte[4];
            at = 0;
        } else {
            ip = new byte[16];
            System.arraycopy(IPV6_PREFIX, 0, ip, 0, IPV6_PREFIX.length);
            at = 12;
        }
        ip[at] = (byte) (index >>> 24);
        ip[at + 1] = (byte) (index >>> 16);
        ip[at + 2] = (byte) (index >>> 8);
        ip[at + 3] = (byte) index;
        try {
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new AssertionError("address of the right length rejected", e);
        }
    }

    private static long low32(byte[] ip, int at) {
        return ((ip[at] & 0xffL) << 24) | ((ip[at + 1] & 0xffL) << 16) | ((ip[at + 2] & 0xffL) << 8)
                | (ip[at + 3] & 0xffL);
    }
}
