package tfobench.bench;

import tfobench.HostPort;

import java.net.InetSocketAddress;
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
        try {
            return Optional.of(HostPort.parse(host));
        } catch (IllegalArgumentException e) {
            throw invalid(host, e.getMessage());
        }
    }

    private static IllegalArgumentException invalid(String host, String why) {
        return new IllegalArgumentException("-p host=" + host + ": " + why + "; use host=" + LOOPBACK
                + " (in-process server) or host=ADDRESS:PORT ([IPV6]:PORT) of a running 'benchmarks.jar server'");
    }
}
