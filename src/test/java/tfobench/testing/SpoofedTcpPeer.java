package tfobench.testing;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One side of a TCP connection written segment by segment from raw sockets, so a test can send what no socket API
 * sends (a SYN with data and a made-up fast open cookie) and see every segment the server answers with.
 *
 * <p>The peer speaks from an address that exists nowhere ({@code 10.250.0.N}), with a route that sends that /24
 * out of {@code lo}. That is what keeps its connection alive: the server's SYN-ACK is routed back into this
 * namespace, and TCP finds no socket for it, as for any segment to a port nobody holds. For a segment to a local
 * address the kernel would then answer with a reset (the server would drop the half-open connection and the test
 * could never complete its handshake); but {@code tcp_v4_send_reset} returns without one when the segment's route is
 * not {@code RTN_LOCAL} ("If sk not NULL, it means we did a successful lookup and incoming route had to be
 * correct"), and a route through {@code lo} to a non-local address is {@code RTN_UNICAST}. No real socket may own the
 * address or port either: it would answer the SYN-ACK itself. A raw {@code IPPROTO_TCP} socket still gets a copy of
 * every TCP segment delivered here (raw delivery comes before TCP's), which is how the peer reads the server. It
 * sends through an {@code IPPROTO_RAW} socket, which takes the IP header as written, source address included.
 *
 * <p>Needs {@code CAP_NET_RAW} and {@code CAP_NET_ADMIN} in the test's private namespace (it has them) and
 * iproute2's {@code ip}. Close removes the route.
 */
public final class SpoofedTcpPeer implements AutoCloseable {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    private static final String ROUTE = "10.250.0.0/24";
    private static final int AF_INET = 2;
    private static final int SOCK_RAW = 3;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_RAW = 255;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int TCP_OPTION_FAST_OPEN = 34;
    private static final int TCP_OPTION_MSS = 2;

    /** The few libc calls raw sockets need (JNA interface mapping: this is test code, not a hot path). */
    private interface C extends Library {
        C LIBC = Native.load("c", C.class);

        int socket(int domain, int type, int protocol);

        int setsockopt(int fd, int level, int name, Pointer value, int length);

        long sendto(int fd, byte[] buf, long length, int flags, Pointer address, int addressLength);

        long recv(int fd, byte[] buf, long length, int flags);

        int close(int fd);
    }

    /** A segment the server sent. */
    public record Segment(long seq, long ack, int flags, byte[] options, byte[] payload) {
        public boolean has(int flag) {
            return (flags & flag) != 0;
        }

        /** The fast open cookie in the options, or null. */
        public byte[] fastOpenCookie() {
            int i = 0;
            while (i < options.length) {
                int kind = options[i] & 0xFF;
                if (kind == 0) {
                    break;
                }
                if (kind == 1) {
                    i++;
                    continue;
                }
                int length = options[i + 1] & 0xFF;
                if (kind == TCP_OPTION_FAST_OPEN && length > 2) {
                    byte[] cookie = new byte[length - 2];
                    System.arraycopy(options, i + 2, cookie, 0, cookie.length);
                    return cookie;
                }
                i += Math.max(2, length);
            }
            return null;
        }

        public String text() {
            return new String(payload, StandardCharsets.ISO_8859_1);
        }
    }

    private final byte[] source;
    private final byte[] destination;
    private final int sourcePort;
    private final int destinationPort;
    private final Memory destinationAddress = new Memory(16);
    private final int sendFd;
    private final int receiveFd;

    private SpoofedTcpPeer(int host, InetSocketAddress server, int sendFd, int receiveFd) {
        this.source = new byte[] {10, (byte) 250, 0, (byte) host};
        this.destination = server.getAddress().getAddress();
        this.destinationPort = server.getPort();
        this.sourcePort = ThreadLocalRandom.current().nextInt(20_000, 30_000);
        this.sendFd = sendFd;
        this.receiveFd = receiveFd;
        destinationAddress.clear();
        destinationAddress.setShort(0, (short) AF_INET);
        destinationAddress.write(4, destination, 0, 4);
    }

    /**
     * A peer at {@code 10.250.0.host} for the IPv4 {@code server}; {@code host} 1-254, one per peer a test has open
     * at once (the fast open cookie is per source address, so a new host starts without one).
     */
    public static SpoofedTcpPeer open(int host, InetSocketAddress server) throws IOException, InterruptedException {
        if (!(server.getAddress() instanceof Inet4Address) || host < 1 || host > 254) {
            throw new IllegalArgumentException("IPv4 server and host 1-254 only: " + server + ", " + host);
        }
        run("ip", "route", "replace", ROUTE, "dev", "lo");
        int send = -1;
        int receive = -1;
        try {
            send = rawSocket(IPPROTO_RAW);
            receive = rawSocket(IPPROTO_TCP);
            Memory timeout = new Memory(16);
            timeout.setLong(0, 0);
            timeout.setLong(8, 20_000); // 20 ms, so await() can watch its own deadline
            if (C.LIBC.setsockopt(receive, SOL_SOCKET, SO_RCVTIMEO, timeout, 16) != 0) {
                throw new IOException("setsockopt SO_RCVTIMEO on a raw socket: errno " + Native.getLastError());
            }
            return new SpoofedTcpPeer(host, server, send, receive);
        } catch (IOException | RuntimeException e) {
            closeFd(send);
            closeFd(receive);
            run("ip", "route", "del", ROUTE, "dev", "lo");
            throw e;
        }
    }

    public int sourcePort() {
        return sourcePort;
    }

    /** Sends one segment from this peer to the server; {@code options} are padded with NOPs to whole words. */
    public void send(int flags, long seq, long ack, byte[] options, byte[] payload) throws IOException {
        int optionBytes = (options.length + 3) / 4 * 4;
        int tcpLength = 20 + optionBytes + payload.length;
        ByteBuffer packet = ByteBuffer.allocate(20 + tcpLength);
        // IPv4 header: version 4, 5 words, total length, DF, TTL 64, TCP; the kernel fills in the checksum.
        packet.put((byte) 0x45).put((byte) 0).putShort((short) (20 + tcpLength)).putShort((short) 0)
                .putShort((short) 0x4000).put((byte) 64).put((byte) IPPROTO_TCP).putShort((short) 0)
                .put(source).put(destination);
        int tcpStart = packet.position();
        packet.putShort((short) sourcePort).putShort((short) destinationPort).putInt((int) seq).putInt((int) ack)
                .put((byte) ((20 + optionBytes) / 4 << 4)).put((byte) flags).putShort((short) 65535)
                .putShort((short) 0).putShort((short) 0).put(options);
        for (int i = options.length; i < optionBytes; i++) {
            packet.put((byte) 1);
        }
        packet.put(payload);
        byte[] bytes = packet.array();
        int checksum = tcpChecksum(bytes, tcpStart, tcpLength);
        bytes[tcpStart + 16] = (byte) (checksum >> 8);
        bytes[tcpStart + 17] = (byte) checksum;
        if (C.LIBC.sendto(sendFd, bytes, bytes.length, 0, destinationAddress, 16) != bytes.length) {
            throw new IOException("sendto on a raw socket: errno " + Native.getLastError());
        }
    }

    /** The options of a SYN: MSS, then a fast open cookie (a cookie request if {@code cookie} is empty). */
    public static byte[] synOptions(byte[] cookie) {
        byte[] options = new byte[4 + 2 + cookie.length];
        options[0] = TCP_OPTION_MSS;
        options[1] = 4;
        options[2] = (byte) (1460 >> 8);
        options[3] = (byte) (1460 & 0xFF);
        options[4] = TCP_OPTION_FAST_OPEN;
        options[5] = (byte) (2 + cookie.length);
        System.arraycopy(cookie, 0, options, 6, cookie.length);
        return options;
    }

    /** The first segment from the server to this peer that has every flag in {@code flags}, or null after {@code wait}. */
    public Segment await(int flags, Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        byte[] buffer = new byte[65_536];
        while (System.nanoTime() < deadline) {
            long n = C.LIBC.recv(receiveFd, buffer, buffer.length, 0);
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == 11 || errno == 4) { // EAGAIN (the 20 ms receive timeout), EINTR
                    continue;
                }
                throw new IOException("recv on a raw socket: errno " + errno);
            }
            Segment s = parse(buffer, (int) n);
            if (s != null && (s.flags & flags) == flags) {
                return s;
            }
        }
        return null;
    }

    /** Every segment from the server to this peer that arrives within {@code wait}. */
    public List<Segment> collect(Duration wait) throws IOException {
        List<Segment> all = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        Segment s;
        while ((s = await(0, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) != null) {
            all.add(s);
        }
        return all;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        closeFd(sendFd);
        closeFd(receiveFd);
        run("ip", "route", "del", ROUTE, "dev", "lo");
    }

    /** A segment of this connection from the server (IPv4, TCP, its address and port to ours), else null. */
    private Segment parse(byte[] packet, int length) {
        if (length < 40 || (packet[0] >> 4) != 4 || packet[9] != IPPROTO_TCP) {
            return null;
        }
        int ip = (packet[0] & 0x0F) * 4;
        for (int i = 0; i < 4; i++) {
            if (packet[12 + i] != destination[i] || packet[16 + i] != source[i]) {
                return null;
            }
        }
        ByteBuffer tcp = ByteBuffer.wrap(packet, ip, length - ip);
        int from = tcp.getShort() & 0xFFFF;
        int to = tcp.getShort() & 0xFFFF;
        if (from != destinationPort || to != sourcePort) {
            return null;
        }
        long seq = tcp.getInt() & 0xFFFFFFFFL;
        long ack = tcp.getInt() & 0xFFFFFFFFL;
        int headerBytes = ((tcp.get() & 0xFF) >> 4) * 4;
        int flags = tcp.get() & 0xFF;
        byte[] options = new byte[headerBytes - 20];
        System.arraycopy(packet, ip + 20, options, 0, options.length);
        byte[] payload = new byte[length - ip - headerBytes];
        System.arraycopy(packet, ip + headerBytes, payload, 0, payload.length);
        return new Segment(seq, ack, flags, options, payload);
    }

    /** RFC 793's checksum over the pseudo-header (addresses, protocol, TCP length) and the segment. */
    private int tcpChecksum(byte[] packet, int from, int length) {
        long sum = 0;
        for (int i = 0; i < 4; i += 2) {
            sum += ((source[i] & 0xFF) << 8) | (source[i + 1] & 0xFF);
            sum += ((destination[i] & 0xFF) << 8) | (destination[i + 1] & 0xFF);
        }
        sum += IPPROTO_TCP + length;
        for (int i = 0; i < length; i += 2) {
            int hi = packet[from + i] & 0xFF;
            int lo = i + 1 < length ? packet[from + i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    private static int rawSocket(int protocol) throws IOException {
        int fd = C.LIBC.socket(AF_INET, SOCK_RAW, protocol);
        if (fd < 0) {
            int errno = Native.getLastError();
            throw new IOException("socket(AF_INET, SOCK_RAW, " + protocol + "): errno " + errno
                    + (errno == 1 ? " (EPERM: raw sockets need CAP_NET_RAW; run the tests with mvn, in their "
                    + "private namespace)" : ""));
        }
        return fd;
    }

    private static void closeFd(int fd) {
        if (fd >= 0) {
            C.LIBC.close(fd);
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("ip not found, needed to route the spoofed address: apt-get install iproute2", e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
