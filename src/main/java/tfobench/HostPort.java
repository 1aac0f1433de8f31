package tfobench;

import io.netty.util.NetUtil;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Parses the addresses users type: {@code HOST:PORT} with an IPv4 address or a name, {@code [IPV6]:PORT} with an
 * IPv6 address in brackets (as in URLs, RFC 3986), and bare addresses of either family. Every failure is an
 * {@link IllegalArgumentException} with one line that says what was expected.
 */
public final class HostPort {
    private HostPort() {
    }

    /** {@code 127.0.0.1:8080}, {@code server.example:8080} or {@code [::1]:8080}. */
    public static InetSocketAddress parse(String value) {
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || close + 1 >= value.length() || value.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("expected [IPV6]:PORT, got '" + value + "'");
            }
            host = value.substring(1, close);
            port = value.substring(close + 2);
            if (!(address(host) instanceof Inet6Address)) {
                throw new IllegalArgumentException("'" + host + "' in brackets is not an IPv6 address: " + value);
            }
        } else {
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                throw new IllegalArgumentException("expected HOST:PORT or [IPV6]:PORT, got '" + value + "'");
            }
            if (value.indexOf(':') != colon) {
                throw new IllegalArgumentException("an IPv6 address with a port goes in brackets, e.g. [::1]:8080; got '"
                        + value + "'");
            }
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
        }
        int n;
        try {
            n = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port '" + port + "' is not a number: " + value);
        }
        if (n < 1 || n > 65535) {
            throw new IllegalArgumentException("port " + n + " outside 1-65535: " + value);
        }
        return new InetSocketAddress(address(host), n);
    }

    /** An address without a port: {@code 127.0.0.1}, {@code ::1}, {@code [::1]} or a name. */
    public static InetAddress address(String value) {
        String host = value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty address");
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve '" + host + "'");
        }
    }

    /**
     * {@code 127.0.0.1:8080} or {@code [::1]:8080}, the way {@link #parse} reads it back; IPv6 in its RFC 5952 text
     * (zeros compressed, as people write it), by Netty's {@link NetUtil#toAddressString}.
     */
    public static String format(InetSocketAddress address) {
        String host = NetUtil.toAddressString(address.getAddress());
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** {@code 127.0.0.1} or {@code ::1} (RFC 5952). */
    public static String format(InetAddress address) {
        return NetUtil.toAddressString(address);
    }
}
