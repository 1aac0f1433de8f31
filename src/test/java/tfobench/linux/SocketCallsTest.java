package tfobench.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.Loopback;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both bindings of the per-operation socket calls do the same: a fast open exchange made with each, call for call,
 * and the errors each reports. The FFM binding is in the list on a JDK 22+ running a build made with one (then the
 * whole suite also runs on it, as the default); on JDK 17 only JNA is.
 */
class SocketCallsTest {
    private static final byte[] REQUEST = "CALCULATE MATH/1.1\n\n".getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    static List<String> layers() {
        List<String> layers = new ArrayList<>(List.of("jna"));
        if (LinuxLayer.whyNotFfm() == null) {
            layers.add("ffm");
        }
        return layers;
    }

    @ParameterizedTest
    @MethodSource("layers")
    void aFastOpenExchangeMadeCallForCallCarriesTheRequestInTheSyn(String layer) throws Exception {
        SocketCalls calls = LinuxLayer.create(layer);
        int listener = Syscalls.tcpSocket();
        int client = -1;
        int served = -1;
        try {
            Syscalls.setInt(listener, Syscalls.IPPROTO_TCP, Syscalls.TCP_FASTOPEN, 16);
            Syscalls.bind(listener, new SockAddrIn(Loopback.fresh()));
            Syscalls.listen(listener, 16);
            SockAddrIn server = new SockAddrIn(Syscalls.localAddress(listener));
            Memory out = new Memory(REQUEST.length);
            out.write(0, REQUEST, 0, REQUEST.length);
            Memory in = new Memory(256);
            Memory info = new Memory(TcpInfo.SIZE);
            Memory length = new Memory(4);
            for (int attempt = 0; attempt < 2; attempt++) { // the first asks for a cookie, the second has one
                client = calls.socket(Syscalls.AF_INET, Syscalls.SOCK_STREAM | Syscalls.SOCK_CLOEXEC, 0);
                assertTrue(client >= 0, "socket " + client);
                long sent = calls.sendto(client, Pointer.nativeValue(out), REQUEST.length,
                        Syscalls.MSG_FASTOPEN | Syscalls.MSG_NOSIGNAL, Pointer.nativeValue(server.memory),
                        server.size());
                assertEquals(REQUEST.length, sent);
                served = calls.accept4(listener, 0, 0, Syscalls.SOCK_CLOEXEC);
                assertTrue(served >= 0, "accept4 " + served);
                long received = calls.recv(served, Pointer.nativeValue(in), 256, 0);
                assertArrayEquals(REQUEST, in.getByteArray(0, (int) received));
                assertEquals(1, calls.send(served, Pointer.nativeValue(in) + received - 1, 1, Syscalls.MSG_NOSIGNAL));
                assertEquals(1, calls.recv(client, Pointer.nativeValue(in), 256, 0));
                length.setInt(0, TcpInfo.SIZE);
                assertEquals(0, calls.getsockopt(client, Syscalls.IPPROTO_TCP, Syscalls.TCP_INFO,
                        Pointer.nativeValue(info), Pointer.nativeValue(length)));
                TcpInfo tcpInfo = new TcpInfo();
                tcpInfo.read(info, length.getInt(0));
                assertEquals(attempt == 1, tcpInfo.synDataAcked(), layer + " attempt " + attempt);
                Memory one = new Memory(4);
                one.setInt(0, 1);
                assertEquals(0, calls.setsockopt(client, Syscalls.IPPROTO_TCP, Syscalls.TCP_NODELAY,
                        Pointer.nativeValue(one), 4));
                assertEquals(0, calls.close(client));
                assertEquals(0, calls.close(served));
                client = -1;
                served = -1;
            }
        } finally {
            Syscalls.closeQuietly(client);
            Syscalls.closeQuietly(served);
            Syscalls.closeQuietly(listener);
        }
    }

    @ParameterizedTest
    @MethodSource("layers")
    void failuresComeBackAsMinusErrno(String layer) throws Exception {
        SocketCalls calls = LinuxLayer.create(layer);
        assertEquals(-Errno.EBADF, calls.close(-1));
        assertEquals(-Errno.EBADF, calls.recv(-1, 0, 0, 0));
        int fd = calls.socket(Syscalls.AF_INET, Syscalls.SOCK_STREAM | Syscalls.SOCK_CLOEXEC, 0);
        try {
            SockAddrIn nobody = new SockAddrIn(new InetSocketAddress(Loopback.fresh().getAddress(), 1));
            assertEquals(-Errno.ECONNREFUSED, calls.connect(fd, Pointer.nativeValue(nobody.memory), nobody.size()),
                    "from a port nobody listens on");
            assertEquals(-Errno.EFAULT, calls.setsockopt(fd, Syscalls.IPPROTO_TCP, Syscalls.TCP_NODELAY, 0, 4),
                    "an option value at address 0");
            Memory value = new Memory(4);
            value.setInt(0, 1);
            assertEquals(-Errno.ENOPROTOOPT, calls.setsockopt(fd, Syscalls.IPPROTO_TCP, 9999,
                    Pointer.nativeValue(value), 4));
        } finally {
            assertEquals(0, calls.close(fd));
        }
    }

    @org.junit.jupiter.api.Test
    void theDefaultIsFfmWhereverItCanBeHad() {
        if (System.getProperty(LinuxLayer.PROPERTY) == null) {
            assertEquals(LinuxLayer.whyNotFfm() == null ? "ffm" : "jna", LinuxLayer.name());
        }
        if (Runtime.version().feature() < 22) {
            assertNotEquals(null, LinuxLayer.whyNotFfm());
        }
    }
}
