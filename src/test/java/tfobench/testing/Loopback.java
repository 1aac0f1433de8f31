package tfobench.testing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Distinct loopback addresses for tests: the client's fast open cookie cache is keyed by address, so a server on
 * an address of its own starts with no cookie cached and is unaffected by other tests' servers.
 */
public final class Loopback {
    private static final AtomicInteger NEXT = new AtomicInteger(1);

    private Loopback() {
    }

    /**
     * A loopback address of the family no other server of this test JVM has used, with port 0: 127.0.N.M, or
     * fd74:666f:0:2::N (inside the prefix the private namespace routes to lo).
     */
    public static InetSocketAddress fresh(tfobench.AddressFamily family) {
        if (family == tfobench.AddressFamily.IPV4) {
            return fresh();
        }
        int n = NEXT.getAndIncrement();
        byte[] ip = {(byte) 0xfd, 0x74, 0x66, 0x6f, 0, 0, 0, 2, 0, 0, 0, 0, (byte) (n >>> 24), (byte) (n >>> 16),
            (byte) (n >>> 8), (byte) n};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), 0);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A loopback address (127.0.N.M) no other server of this test JVM has used, with port 0. */
    public static InetSocketAddress fresh() {
        int n = NEXT.getAndIncrement();
        byte[] ip = {127, 0, (byte) (10 + n / 250), (byte) (1 + n % 250)};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), 0);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
