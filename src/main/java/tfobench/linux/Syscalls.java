package tfobench.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.net.InetSocketAddress;

/**
 * The socket calls the benchmarks make, on raw file descriptors: every failure is an {@link ErrnoException} naming
 * the call and errno, EINTR is retried, and the success path allocates nothing (option values and {@code tcp_info}
 * go through a per-thread scratch buffer). The calls made on every operation go through {@link #CALLS}, JNA or the
 * FFM API as {@link LinuxLayer} chose; the rest through JNA.
 */
public final class Syscalls {
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_CLOEXEC = 0x80000;
    /** Socket type flag: calls on the socket return EAGAIN instead of waiting. */
    public static final int SOCK_NONBLOCK = 0x800;

    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_LINGER = 13;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_SNDTIMEO = 21;

    public static final int IPPROTO_TCP = 6;
    public static final int TCP_NODELAY = 1;
    public static final int TCP_INFO = 11;
    public static final int TCP_FASTOPEN = 23;
    public static final int TCP_FASTOPEN_CONNECT = 30;
    public static final int TCP_FASTOPEN_KEY = 33;

    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_FASTOPEN = 0x20000000;

    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    /** The binding of the per-operation calls. */
    static final SocketCalls CALLS = LinuxLayer.calls();

    /** Per-thread native scratch: an option value area, a socklen_t and a sockaddr, with views made once. */
    private static final class Scratch {
        final Memory value = new Memory(TcpInfo.SIZE + 8 + SockAddrIn.SIZE_IN6);
        final Pointer length = value.share(TcpInfo.SIZE);
        final Pointer address = value.share(TcpInfo.SIZE + 8);
        final long valueAt = Pointer.nativeValue(value);
        final long lengthAt = Pointer.nativeValue(length);
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Syscalls() {
    }

    /** A blocking IPv4 TCP socket with close-on-exec. */
    public static int tcpSocket() throws ErrnoException {
        return socket(AF_INET, 0);
    }

    /** An IPv4 TCP socket with close-on-exec and these extra type flags (e.g. {@link #SOCK_NONBLOCK}). */
    public static int tcpSocket(int typeFlags) throws ErrnoException {
        return socket(AF_INET, typeFlags);
    }

    /** A blocking TCP socket of the address's family (IPv4 or IPv6) with close-on-exec. */
    public static int tcpSocket(SockAddrIn forAddress) throws ErrnoException {
        return socket(forAddress.family(), 0);
    }

    private static int socket(int family, int typeFlags) throws ErrnoException {
        int fd = CALLS.socket(family, SOCK_STREAM | SOCK_CLOEXEC | typeFlags, 0);
        if (fd < 0) {
            throw new ErrnoException("socket", -fd);
        }
        return fd;
    }

    public static void bind(int fd, SockAddrIn address) throws ErrnoException {
        try {
            LibC.bind(fd, address.memory, address.size());
        } catch (LastErrorException e) {
            throw new ErrnoException("bind " + address, e.getErrorCode());
        }
    }

    public static void listen(int fd, int backlog) throws ErrnoException {
        try {
            LibC.listen(fd, backlog);
        } catch (LastErrorException e) {
            throw new ErrnoException("listen", e.getErrorCode());
        }
    }

    /** Blocks until a connection arrives; the new descriptor is close-on-exec. */
    public static int accept(int fd) throws ErrnoException {
        while (true) {
            int accepted = CALLS.accept4(fd, 0, 0, SOCK_CLOEXEC);
            if (accepted >= 0) {
                return accepted;
            }
            if (-accepted != Errno.EINTR) {
                throw new ErrnoException("accept", -accepted);
            }
        }
    }

    public static void connect(int fd, SockAddrIn address) throws ErrnoException {
        int result = CALLS.connect(fd, Pointer.nativeValue(address.memory), address.size());
        if (result < 0) {
            throw new ErrnoException("connect " + address, -result);
        }
    }

    /** {@code sendto(fd, buf, len, flags, address)}; with {@link #MSG_FASTOPEN} this connects and sends in one call. */
    public static int sendTo(int fd, Pointer buf, int len, int flags, SockAddrIn address) throws ErrnoException {
        while (true) {
            long sent = CALLS.sendto(fd, Pointer.nativeValue(buf), len, flags | MSG_NOSIGNAL,
                    Pointer.nativeValue(address.memory), address.size());
            if (sent >= 0) {
                return (int) sent;
            }
            if (-sent != Errno.EINTR) {
                throw new ErrnoException("sendto " + address, (int) -sent);
            }
        }
    }

    /** Sends all {@code len} bytes (a blocking socket may take them in parts). */
    public static void sendFully(int fd, Pointer buf, int len) throws ErrnoException {
        long at = Pointer.nativeValue(buf);
        int sent = 0;
        while (sent < len) {
            long n = CALLS.send(fd, at + sent, len - sent, MSG_NOSIGNAL);
            if (n >= 0) {
                sent += (int) n;
            } else if (-n != Errno.EINTR) {
                throw new ErrnoException("send", (int) -n);
            }
        }
    }

    /**
     * Sends up to {@code len} bytes from {@code offset} and returns how many the kernel took: all of them, or fewer
     * when a blocking socket's {@code SO_SNDTIMEO} passed (or, with {@link #MSG_DONTWAIT}, when its buffer filled)
     * after some were taken. send(2): "If no messages space is available at the socket to hold the message to be
     * transmitted, then send() normally blocks... In nonblocking mode it would fail with the error EAGAIN".
     */
    public static int send(int fd, Pointer buf, long offset, int len, int flags) throws ErrnoException {
        while (true) {
            long n = CALLS.send(fd, Pointer.nativeValue(buf) + offset, len, flags | MSG_NOSIGNAL);
            if (n >= 0) {
                return (int) n;
            }
            if (-n != Errno.EINTR) {
                throw new ErrnoException("send", (int) -n);
            }
        }
    }

    /** Like {@link #recv(int, Pointer, long, int)}, with flags (e.g. {@link #MSG_DONTWAIT}: EAGAIN instead of waiting). */
    public static int recv(int fd, Pointer buf, long offset, int len, int flags) throws ErrnoException {
        while (true) {
            long n = CALLS.recv(fd, Pointer.nativeValue(buf) + offset, len, flags);
            if (n >= 0) {
                return (int) n;
            }
            if (-n != Errno.EINTR) {
                throw new ErrnoException("recv", (int) -n);
            }
        }
    }

    /** Receives up to {@code len} bytes at {@code offset}; 0 means the peer closed. */
    public static int recv(int fd, Pointer buf, long offset, int len) throws ErrnoException {
        return recv(fd, buf, offset, len, 0);
    }

    public static void shutdown(int fd, int how) throws ErrnoException {
        try {
            LibC.shutdown(fd, how);
        } catch (LastErrorException e) {
            throw new ErrnoException("shutdown", e.getErrorCode());
        }
    }

    public static void close(int fd) throws ErrnoException {
        int result = CALLS.close(fd);
        if (result < 0) {
            // Linux releases the descriptor even when close reports an error; never retry.
            throw new ErrnoException("close", -result);
        }
    }

    /** Closes, ignoring errors: for cleanup paths that already have a failure to report. */
    public static void closeQuietly(int fd) {
        if (fd < 0) {
            return;
        }
        CALLS.close(fd); // an error or not, the descriptor is released
    }

    public static void setInt(int fd, int level, int name, int value) throws ErrnoException {
        Scratch scratch = SCRATCH.get();
        scratch.value.setInt(0, value);
        int result = CALLS.setsockopt(fd, level, name, scratch.valueAt, 4);
        if (result < 0) {
            throw new ErrnoException("setsockopt " + optionName(level, name), -result);
        }
    }

    public static int getInt(int fd, int level, int name) throws ErrnoException {
        Scratch scratch = SCRATCH.get();
        scratch.length.setInt(0, 4);
        try {
            LibC.getsockopt(fd, level, name, scratch.value, scratch.length);
        } catch (LastErrorException e) {
            throw new ErrnoException("getsockopt " + optionName(level, name), e.getErrorCode());
        }
        return scratch.value.getInt(0);
    }

    /** {@code SO_LINGER}: with {@code on} and 0 seconds, close() sends RST and leaves no TIME_WAIT. */
    public static void setLinger(int fd, boolean on, int seconds) throws ErrnoException {
        Scratch scratch = SCRATCH.get();
        scratch.value.setInt(0, on ? 1 : 0);
        scratch.value.setInt(4, seconds);
        try {
            LibC.setsockopt(fd, SOL_SOCKET, SO_LINGER, scratch.value, 8);
        } catch (LastErrorException e) {
            throw new ErrnoException("setsockopt SO_LINGER", e.getErrorCode());
        }
    }

    /** {@code SO_RCVTIMEO}/{@code SO_SNDTIMEO}: blocking calls fail with EAGAIN after this long (0 = never). */
    public static void setTimeout(int fd, int option, long millis) throws ErrnoException {
        Scratch scratch = SCRATCH.get();
        scratch.value.setLong(0, millis / 1000);
        scratch.value.setLong(8, (millis % 1000) * 1000);
        int result = CALLS.setsockopt(fd, SOL_SOCKET, option, scratch.valueAt, 16);
        if (result < 0) {
            throw new ErrnoException("setsockopt " + optionName(SOL_SOCKET, option), -result);
        }
    }

    /** Sets a raw option value (e.g. the 16-byte {@code TCP_FASTOPEN_KEY}). */
    public static void setBytes(int fd, int level, int name, byte[] value) throws ErrnoException {
        Scratch scratch = SCRATCH.get();
        scratch.value.write(0, value, 0, value.length);
        try {
            LibC.setsockopt(fd, level, name, scratch.value, value.length);
        } catch (LastErrorException e) {
            throw new ErrnoException("setsockopt " + optionName(level, name), e.getErrorCode());
        } finally {
            scratch.value.clear(value.length);
        }
    }

    /** Fills {@code into} from {@code getsockopt(TCP_INFO)}. */
    public static TcpInfo tcpInfo(int fd, TcpInfo into) throws ErrnoException {
        Scratch scratch = SCRATCH.get();
        scratch.length.setInt(0, TcpInfo.SIZE);
        int result = CALLS.getsockopt(fd, IPPROTO_TCP, TCP_INFO, scratch.valueAt, scratch.lengthAt);
        if (result < 0) {
            throw new ErrnoException("getsockopt TCP_INFO", -result);
        }
        into.read(scratch.value, scratch.length.getInt(0));
        return into;
    }

    public static InetSocketAddress localAddress(int fd) throws ErrnoException {
        Scratch scratch = SCRATCH.get();
        scratch.length.setInt(0, SockAddrIn.SIZE_IN6);
        try {
            LibC.getsockname(fd, scratch.address, scratch.length);
        } catch (LastErrorException e) {
            throw new ErrnoException("getsockname", e.getErrorCode());
        }
        return SockAddrIn.read(scratch.address);
    }

    private static String optionName(int level, int name) {
        if (level == IPPROTO_TCP) {
            switch (name) {
                case TCP_NODELAY: return "TCP_NODELAY";
                case TCP_INFO: return "TCP_INFO";
                case TCP_FASTOPEN: return "TCP_FASTOPEN";
                case TCP_FASTOPEN_CONNECT: return "TCP_FASTOPEN_CONNECT";
                case TCP_FASTOPEN_KEY: return "TCP_FASTOPEN_KEY";
                default: return "IPPROTO_TCP/" + name;
            }
        }
        if (level == SOL_SOCKET) {
            switch (name) {
                case SO_REUSEADDR: return "SO_REUSEADDR";
                case SO_LINGER: return "SO_LINGER";
                case SO_RCVTIMEO: return "SO_RCVTIMEO";
                case SO_SNDTIMEO: return "SO_SNDTIMEO";
                default: return "SOL_SOCKET/" + name;
            }
        }
        return level + "/" + name;
    }
}
