package tfobench.client;

import io.netty.channel.epoll.Epoll;
import tfobench.Transport;
import tfobench.linux.FastOpenSysctl;
import tfobench.linux.MissingCapabilityException;
import tfobench.server.Servers;

import java.io.IOException;
import java.net.InetSocketAddress;

/** Creates clients, refusing a fast open client the kernel would silently run as a plain one. */
public final class Clients {
    private Clients() {
    }

    public static CalcClient create(Transport transport, Handshake handshake, InetSocketAddress server,
                                    ClientOptions options) throws IOException {
        if (handshake.fastOpen()) {
            FastOpenSysctl sysctl = FastOpenSysctl.read();
            if (!sysctl.clientEnabled()) {
                throw MissingCapabilityException.fastOpenClientOff(sysctl);
            }
        }
        switch (transport) {
            case NATIVE:
                return new NativeClient(server, handshake, options);
            case NETTY:
                Servers.requireEpoll();
                if (handshake == Handshake.TFO && !Epoll.isTcpFastOpenClientSideAvailable()) {
                    throw new MissingCapabilityException("Netty saw net.ipv4.tcp_fastopen without the client bit "
                            + "when it loaded and would ignore TCP_FASTOPEN_CONNECT: set the sysctl first");
                }
                return new NettyClient(server, handshake, options);
            default:
                throw new AssertionError(transport);
        }
    }

    public static CalcClient create(Transport transport, Handshake handshake, InetSocketAddress server)
            throws IOException {
        return create(transport, handshake, server, ClientOptions.defaults());
    }
}
