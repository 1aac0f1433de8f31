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

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void deletingTheCachedCookieMakesTheNextConnectionRequestOneAgain() throws Exception {
        try (CalcServer server = Servers.start(ServerConfig.fastOpen(Transport.NATIVE).withBind(Loopback.fresh()));
             CalcClient client = Clients.create(Transport.NATIVE, Handshake.TFO, server.address());
             TcpMetrics metrics = TcpMetrics.open()) {
            assertEquals(SynData.COOKIE_REQUESTED, client.exchange(ONE_PLUS_ONE).synData());
            assertEquals(SynData.ACKED, client.exchange(ONE_PLUS_ONE).synData());
            metrics.delete((Inet4Address) server.address().getAddress());
            assertEquals(SynData.COOKIE_REQUESTED, client.exchange(ONE_PLUS_ONE).synData());
            assertEquals(SynData.ACKED, client.exchange(ONE_PLUS_ONE).synData());
            metrics.flush();
            assertEquals(SynData.COOKIE_REQUESTED, client.exchange(ONE_PLUS_ONE).synData());
        }
    }

    @Test
    void deletingAnAddressWithNothingCachedIsNotAnError() throws Exception {
        try (TcpMetrics metrics = TcpMetrics.open()) {
            metrics.delete((Inet4Address) Loopback.fresh().getAddress());
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
