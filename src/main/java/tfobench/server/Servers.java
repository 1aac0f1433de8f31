package tfobench.server;

import io.netty.channel.epoll.Epoll;
import tfobench.linux.FastOpenSysctl;
import tfobench.linux.MissingCapabilityException;

import java.io.IOException;

/** Starts servers, refusing a fast open server the kernel would silently run as a plain one. */
public final class Servers {
    private Servers() {
    }

    /** Starts and returns a listening server; fails with one clear line when a capability is missing. */
    public static CalcServer start(ServerConfig config) throws IOException, InterruptedException {
        if (config.fastOpen()) {
            FastOpenSysctl sysctl = FastOpenSysctl.read();
            if (!sysctl.serverEnabled()) {
                throw MissingCapabilityException.fastOpenServerOff(sysctl);
            }
        }
        switch (config.transport()) {
            case NATIVE:
                return NativeServer.start(config);
            case NETTY:
                requireEpoll();
                if (config.fastOpen() && !Epoll.isTcpFastOpenServerSideAvailable()) {
                    // Netty read the sysctl when it loaded, before it was set; it would drop TCP_FASTOPEN silently.
                    throw new MissingCapabilityException("Netty saw net.ipv4.tcp_fastopen without the server bit "
                            + "when it loaded: set the sysctl before the first Netty epoll class is used");
                }
                return NettyServer.start(config);
            default:
                throw new AssertionError(config.transport());
        }
    }

    /** Netty's epoll native library must be loaded for the netty transport. */
    public static void requireEpoll() {
        // A private namespace has only lo: Netty finds no MAC address for its channel ids and warns in every JVM.
        // Channel ids need no real address.
        if (System.getProperty("io.netty.machineId") == null) {
            System.setProperty("io.netty.machineId", "02:00:00:74:66:6f");
        }
        if (!Epoll.isAvailable()) {
            Throwable cause = Epoll.unavailabilityCause();
            throw new MissingCapabilityException("Netty epoll native transport unavailable ("
                    + (cause == null ? "unknown cause" : cause.getMessage())
                    + "): use a Linux x86_64 JVM and the shaded benchmarks.jar, which bundles the .so");
        }
    }
}
