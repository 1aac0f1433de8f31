package tfobench.bench;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where a benchmark's server is, from its {@code host} parameter: {@code loopback} (the default) starts one in
 * the benchmark's JVM on a loopback address of its own; {@code HOST:PORT} uses a server already running there
 * (typically {@code java -jar benchmarks.jar server --tfo --bind ADDR} on another machine), and none is started.
 */
public final class ServerLocation {
    /** The parameter value for an in-process server on loopback. */
    public static final String LOOPBACK = "loopback";

    private ServerLocation() {
    }

    /** The remote server named by {@code host}, or empty for {@link #LOOPBACK}; one clear line if malformed. */
    public static Optional<InetSocketAddress> remote(String host) {
        if (host == null || host.isBlank() || host.equals(LOOPBACK)) {
            return Optional.empty();
        }
        int colon = host.lastIndexOf(':');
        if (colon <= 0 || colon == host.length() - 1) {
            throw invalid(host, "expected HOST:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(host.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw invalid(host, "port is not a number");
        }
        if (port < 1 || port > 65535) {
            throw invalid(host, "port outside 1-65535");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host.substring(0, colon));
        } catch (UnknownHostException e) {
            throw invalid(host, "cannot resolve " + host.substring(0, colon));
        }
        if (!(address instanceof Inet4Address)) {
            throw invalid(host, "not an IPv4 address (the clients speak IPv4 only)");
        }
        return Optional.of(new InetSocketAddress(address, port));
    }

    private static IllegalArgumentException invalid(String host, String why) {
        return new IllegalArgumentException("-p host=" + host + ": " + why + "; use host=" + LOOPBACK
                + " (in-process server) or host=ADDRESS:PORT of a running 'benchmarks.jar server'");
    }
}
