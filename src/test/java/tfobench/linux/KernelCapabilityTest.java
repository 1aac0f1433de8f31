package tfobench.linux;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tfobench.Transport;
import tfobench.client.CalcClient;
import tfobench.client.Clients;
import tfobench.client.Handshake;
import tfobench.client.SynData;
import tfobench.protocol.Operator;
import tfobench.protocol.Request;
import tfobench.server.CalcServer;
import tfobench.server.ServerConfig;
import tfobench.server.Servers;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.Loopback;

import java.net.Inet4Address;
import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel-facing pieces against the real kernel, inside the private namespace. */
class KernelCapabilityTest {
    private static final Request ONE_PLUS_ONE = new Request(1, Operator.ADD, 1, true);

    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    @Test
    void deletingTheCachedCookieMakesTheNextConnectionRequestOneAgainWithRealCapNetAdmin() throws Exception {
        try (CalcServer server = Servers.start(ServerConfig.fastOpen(Transport.NATIVE).withBind(Loopback.fresh()));
             CalcClient client = Clients.create(Transport.NATIVE, Handshake.TFO, server.address());
             TcpMetrics metrics = TcpMetrics.open()) {
            Inet4Address address = (Inet4Address) server.address().getAddress();
            assertEquals(SynData.COOKIE_REQUESTED, client.exchange(ONE_PLUS_ONE).synData());
            assertEquals(SynData.ACKED, client.exchange(ONE_PLUS_ONE).synData());
            if (!PrivateNetns.inInitialUserNamespace()) {
                // Tests run by a non-root user: root of a user namespace is not enough for the kernel.
                ErrnoException e = assertThrows(ErrnoException.class, () -> metrics.delete(address));
                assertEquals(Errno.EPERM, e.errno(), e.getMessage());
                assertEquals(SynData.ACKED, client.exchange(ONE_PLUS_ONE).synData(), "the cookie is still cached");
                return;
            }
            metrics.delete(address);
            assertEquals(SynData.COOKIE_REQUESTED, client.exchange(ONE_PLUS_ONE).synData());
            assertEquals(SynData.ACKED, client.exchange(ONE_PLUS_ONE).synData());
            metrics.flush();
            assertEquals(SynData.COOKIE_REQUESTED, client.exchange(ONE_PLUS_ONE).synData());
        }
    }

    @Test
    void deletingAnAddressWithNothingCachedIsNotAnErrorWithRealCapNetAdmin() throws Exception {
        try (TcpMetrics metrics = TcpMetrics.open()) {
            Inet4Address nothingCached = (Inet4Address) Loopback.fresh().getAddress();
            if (PrivateNetns.inInitialUserNamespace()) {
                metrics.delete(nothingCached);
            } else {
                assertEquals(Errno.EPERM, assertThrows(ErrnoException.class, () -> metrics.delete(nothingCached))
                        .errno());
            }
        }
    }

    @Test
    void cacheDumpNeedsNoPrivilegeAndListsEveryDestinationConnectedTo() throws Exception {
        try (CalcServer server = Servers.start(ServerConfig.fastOpen(Transport.NATIVE).withBind(Loopback.fresh()));
             CalcClient client = Clients.create(Transport.NATIVE, Handshake.TFO, server.address());
             TcpMetrics metrics = TcpMetrics.open()) {
            InetAddress address = server.address().getAddress();
            assertFalse(metrics.cachedDestinations().contains(address), "nothing cached before");
            assertEquals(SynData.COOKIE_REQUESTED, client.exchange(ONE_PLUS_ONE).synData());
            assertTrue(metrics.cachedDestinations().contains(address), "the cookie's entry is listed");
        }
    }

    @Test
    void fastOpenServerIsRefusedWhenTheSysctlLacksTheServerBit() throws Exception {
        FastOpenSysctl.write(FastOpenSysctl.CLIENT_ENABLE);
        try {
            MissingCapabilityException e = assertThrows(MissingCapabilityException.class,
                    () -> Servers.start(ServerConfig.fastOpen(Transport.NATIVE).withBind(Loopback.fresh())));
            assertTrue(e.getMessage().contains("needs bit 0x2") && e.getMessage().contains("sysctl -w"),
                    e.getMessage());
        } finally {
            FastOpenSysctl.write(PrivateNetns.TFO_CLIENT_AND_SERVER);
        }
    }

    @Test
    void failedCallsNameTheErrno() throws Exception {
        int fd = Syscalls.tcpSocket();
        try {
            ErrnoException e = assertThrows(ErrnoException.class, () -> Syscalls.connect(fd,
                    new SockAddrIn(new java.net.InetSocketAddress(Loopback.fresh().getAddress(), 9))));
            assertEquals(Errno.ECONNREFUSED, e.errno());
            assertTrue(e.getMessage().matches("connect 127\\.0\\.\\d+\\.\\d+:9: ECONNREFUSED \\(Connection refused\\)"),
                    e.getMessage());
        } finally {
            Syscalls.close(fd);
        }
    }

    @Test
    void pinningTheCurrentThreadIsVisibleInItsAffinity() throws Exception {
        java.util.BitSet original = CpuAffinity.currentThreadAffinity();
        try {
            int cpu = original.nextSetBit(0);
            CpuAffinity.pinCurrentThread(cpu);
            java.util.BitSet pinned = CpuAffinity.currentThreadAffinity();
            assertEquals(1, pinned.cardinality());
            assertTrue(pinned.get(cpu));
            assertEquals(cpu, CpuAffinity.currentCpu());
        } finally {
            CpuAffinity.pinCurrentThread(original);
        }
    }
}
