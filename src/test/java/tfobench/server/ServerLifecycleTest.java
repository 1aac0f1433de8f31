package tfobench.server;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tfobench.Transport;
import tfobench.client.CalcClient;
import tfobench.client.Clients;
import tfobench.client.Handshake;
import tfobench.protocol.Operator;
import tfobench.protocol.Request;
import tfobench.protocol.Response;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.Loopback;
import tfobench.testing.ProcessResources;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Servers bind where asked, report the port, serve, and stop without leaving descriptors or threads behind. */
class ServerLifecycleTest {
    private static final Request ONE_PLUS_ONE = new Request(1, Operator.ADD, 1, true);
    private static final byte[] HALF_REQUEST = "CALCULATE MATH/1.1\nOperand1: 1\n".getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void stopsWithoutLeakingDescriptorsOrThreads(Transport transport) throws Exception {
        warmUp(transport); // class loading, Netty's native library and JNA's allocate once per JVM
        Set<String> fdsBefore = openDescriptors();
        Set<String> threadsBefore = threadNames();

        CalcServer server = Servers.start(ServerConfig.fastOpen(transport).withBind(Loopback.fresh())
                .withThreads(2));
        try (CalcClient tfo = Clients.create(Transport.NATIVE, Handshake.TFO, server.address());
             CalcClient kept = Clients.create(Transport.NATIVE, Handshake.KEEPALIVE, server.address())) {
            for (int i = 0; i < 3; i++) {
                assertEquals(Response.ok(2, true), tfo.exchange(ONE_PLUS_ONE).response());
            }
            assertEquals(Response.ok(2, true), kept.exchange(ONE_PLUS_ONE).response());
            // A connection left open mid-request while the server stops: the server must not wait for it.
            try (Socket silent = new Socket()) {
                silent.connect(server.address());
                silent.getOutputStream().write(HALF_REQUEST);
                silent.getOutputStream().flush();
                Thread.sleep(50);
                assertNotEquals(fdsBefore, openDescriptors(), "the server holds descriptors while running");
                long start = System.nanoTime();
                server.close();
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(3).toNanos(), "stop took too long");
                assertEquals(-1, silent.getInputStream().read(), "the half-open connection is closed by stop");
            }
        }
        assertEquals(fdsBefore, openDescriptors(), "descriptors after stop");
        assertEquals(threadsBefore, threadNames(), "threads after stop");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void bindsTheGivenAddressAndReportsTheKernelsPort(Transport transport) throws Exception {
        InetSocketAddress wanted = Loopback.fresh();
        try (CalcServer server = Servers.start(ServerConfig.plain(transport).withBind(wanted))) {
            assertEquals(wanted.getAddress(), server.address().getAddress());
            assertTrue(server.address().getPort() > 0, "port chosen by the kernel: " + server.address());
            try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
                assertTrue(s.isConnected());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void servesManyRequestsOnOneKeptAliveConnection(Transport transport) throws Exception {
        try (CalcServer server = Servers.start(ServerConfig.plain(transport).withBind(Loopback.fresh()));
             CalcClient client = Clients.create(Transport.NATIVE, Handshake.KEEPALIVE, server.address())) {
            for (int i = 0; i < 100; i++) {
                Request r = new Request(i, Operator.MULTIPLY, 3, true);
                assertEquals(Response.ok(i * 3L, true), client.exchange(r).response());
            }
            assertEquals(1, server.acceptedConnections(), "one connection for all requests");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void closesAConnectionIdleLongerThanTheTimeout(Transport transport) throws Exception {
        ServerConfig config = ServerConfig.plain(transport).withBind(Loopback.fresh())
                .withIdleTimeout(Duration.ofMillis(300));
        try (CalcServer server = Servers.start(config); Socket socket = new Socket()) {
            socket.connect(server.address());
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(HALF_REQUEST);
            out.flush();
            long start = System.nanoTime();
            InputStream in = socket.getInputStream();
            assertEquals(-1, in.read(), "closed without an answer");
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMillis >= 250 && waitedMillis < 3_000, "closed after " + waitedMillis + " ms");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void answersConnectionCloseAndCloses(Transport transport) throws Exception {
        try (CalcServer server = Servers.start(ServerConfig.plain(transport).withBind(Loopback.fresh()));
             Socket socket = new Socket()) {
            socket.connect(server.address());
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("CALCULATE MATH/1.1\nOperand1: 7\nOperator: /\nOperand2: 2\n"
                    + "Connection: Close\n\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertEquals("MATH/1.1 200 OK\nResult: 3\nConnection: Close\n\n", answer);
        }
    }

    @Test
    void refusesPortAlreadyInUseWithTheErrno() throws Exception {
        try (CalcServer first = Servers.start(ServerConfig.plain(Transport.NATIVE).withBind(Loopback.fresh()))) {
            ServerConfig same = ServerConfig.plain(Transport.NATIVE).withBind(first.address());
            IOException e = assertThrows(IOException.class, () -> Servers.start(same).close());
            assertTrue(e.getMessage().contains("EADDRINUSE"), e.getMessage());
        }
    }

    private static void warmUp(Transport transport) throws Exception {
        try (CalcServer server = Servers.start(ServerConfig.fastOpen(transport).withBind(Loopback.fresh()));
             CalcClient client = Clients.create(Transport.NATIVE, Handshake.TFO, server.address())) {
            client.exchange(ONE_PLUS_ONE);
        }
    }

    static Set<String> openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            Set<String> described = new TreeSet<>();
            for (Path fd : fds.collect(Collectors.toList())) {
                try {
                    described.add(fd.getFileName() + "->" + Files.readSymbolicLink(fd));
                } catch (IOException gone) {
                    // the directory stream's own descriptor, closed by now
                }
            }
            return described;
        }
    }

    /** Live threads, leaving out the JVM-wide pools that are nobody's to stop (see {@link ProcessResources}). */
    static Set<String> threadNames() {
        return ProcessResources.liveThreadNames();
    }
}
