package tfobench;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * IPv4 or IPv6: the {@code family} parameter of the network benchmarks, and the loopback addresses each uses. The
 * IPv6 addresses other than {@code ::1} lie in {@link #IPV6_LOCAL_PREFIX}, which the private namespace routes to
 * {@code lo} as local ({@code ip -6 route add local fd74:666f::/48 dev lo}, Linux's "AnyIP"): IPv6 has only ::1 on
 * lo, where IPv4 has all of 127.0.0.0/8.
 */
public enum AddressFamily {
    IPV4,
    IPV6;

    /** The IPv6 prefix routed to lo as local in the private namespace (a unique local address, "tfo" in hex). */
    public static final String IPV6_LOCAL_PREFIX = "fd74:666f::/48";

    /** The name used on command lines and in JMH parameters. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AddressFamily fromLabel(String label) {
        for (AddressFamily f : values()) {
            if (f.label().equals(label)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown address family '" + label + "' (expected ipv4 or ipv6)");
    }

    public static AddressFamily of(InetAddress address) {
        return address instanceof Inet6Address ? IPV6 : IPV4;
    }

    /**
     * Loopback address number {@code n} (1-255) of this family: 127.0.0.n, or fd74:666f::n (which needs the private
     * namespace's local route for {@link #IPV6_LOCAL_PREFIX}).
     */
    public InetAddress loopback(int n) {
        if (n < 1 || n > 255) {
            throw new IllegalArgumentException("loopback address number 1-255, got " + n);
        }
        byte[] ip = this == IPV4 ? new byte[] {127, 0, 0, (byte) n}
                : new byte[] {(byte) 0xfd, 0x74, 0x66, 0x6f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) n};
        return address(ip);
    }

    /** 0.0.0.0 or ::, every address of the family. */
    public InetAddress wildcard() {
        return address(new byte[this == IPV4 ? 4 : 16]);
    }

    private static InetAddress address(byte[] ip) {
        try {
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
