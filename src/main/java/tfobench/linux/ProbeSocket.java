package tfobench.linux;

import com.sun.jna.Memory;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A client socket for probing what the kernel does with a connection's first bytes, read back from its own
 * {@code TCP_INFO}: sent with {@code sendto(MSG_FASTOPEN)}, with {@code TCP_FASTOPEN_CONNECT} and
 * {@code connect()}, or after a plain {@code connect()}. Nothing is read from the peer: probes look at the handshake,
 * not at an answer.
 */
public final class ProbeSocket implements AutoCloseable {
    private final int fd;
    private final TcpInfo info = new TcpInfo();
    private int sent;
    private ErrnoException sendError;
    private boolean closed;

    private ProbeSocket(int fd) {
        this.fd = fd;
    }

    /**
     * {@code sendto(fd, data, MSG_FASTOPEN, to)} on a new blocking socket. With a cached cookie the data leaves in
     * the SYN; without one the SYN carries a cookie request. With {@code waitForHandshake} the call returns when
     * the handshake is done (or {@code timeout} passed); without, it returns as soon as the SYN is out
     * ({@code MSG_DONTWAIT}), and {@link #sendError()} is EINPROGRESS when no data could go with it.
     */
    public static ProbeSocket fastOpen(InetSocketAddress to, byte[] data, boolean waitForHandshake, Duration timeout)
            throws ErrnoException {
        ProbeSocket s = new ProbeSocket(newSocket(timeout));
        Memory buffer = new Memory(Math.max(1, data.length));
        buffer.write(0, data, 0, data.length);
        try {
            s.sent = Syscalls.sendTo(s.fd, buffer, data.length,
                    Syscalls.MSG_FASTOPEN | (waitForHandshake ? 0 : Syscalls.MSG_DONTWAIT), new SockAddrIn(to));
        } catch (ErrnoException e) {
            s.sendError = e;
        }
        return s;
    }

    /**
     * A new blocking socket with {@code setsockopt(TCP_FASTOPEN_CONNECT, 1)}, then {@code connect(to)}. With a
     * cached cookie, {@code connect()} returns at once without sending anything ("the connect is deferred"): the
     * SYN leaves with the first {@link #send}, carrying its data.
     *
     * @throws ErrnoException ENOPROTOOPT from the setsockopt where the kernel has no TCP_FASTOPEN_CONNECT (before
     *                        4.11)
     */
    public static ProbeSocket fastOpenConnect(InetSocketAddress to, Duration timeout) throws ErrnoException {
        int fd = newSocket(timeout);
        try {
            Syscalls.setInt(fd, Syscalls.IPPROTO_TCP, Syscalls.TCP_FASTOPEN_CONNECT, 1);
            Syscalls.connect(fd, new SockAddrIn(to));
            return new ProbeSocket(fd);
        } catch (ErrnoException e) {
            Syscalls.closeQuietly(fd);
            throw e;
        }
    }

    /** A plain blocking {@code connect(to)}. */
    public static ProbeSocket connect(InetSocketAddress to, Duration timeout) throws ErrnoException {
        int fd = newSocket(timeout);
        try {
            Syscalls.connect(fd, new SockAddrIn(to));
            return new ProbeSocket(fd);
        } catch (ErrnoException e) {
            Syscalls.closeQuietly(fd);
            throw e;
        }
    }

    private static int newSocket(Duration timeout) throws ErrnoException {
        int fd = Syscalls.tcpSocket();
        try {
            Syscalls.setTimeout(fd, Syscalls.SO_RCVTIMEO, timeout.toMillis());
            Syscalls.setTimeout(fd, Syscalls.SO_SNDTIMEO, timeout.toMillis());
            return fd;
        } catch (ErrnoException e) {
            Syscalls.closeQuietly(fd);
            throw e;
        }
    }

    /** Sends all of {@code data} (after {@link #fastOpenConnect}: the SYN and the data go now). */
    public void send(byte[] data) throws ErrnoException {
        Memory buffer = new Memory(Math.max(1, data.length));
        buffer.write(0, data, 0, data.length);
        Syscalls.sendFully(fd, buffer, data.length);
    }

    /** Bytes {@code sendto} took (in the SYN, or queued after the handshake); 0 if it failed. */
    public int sent() {
        return sent;
    }

    /** The error {@code sendto(MSG_FASTOPEN)} returned, or null. */
    public ErrnoException sendError() {
        return sendError;
    }

    /** This socket's {@code TCP_INFO} now (one object, filled anew by each call). */
    public TcpInfo info() throws ErrnoException {
        return Syscalls.tcpInfo(fd, info);
    }

    public InetSocketAddress localAddress() throws ErrnoException {
        return Syscalls.localAddress(fd);
    }

    /** Closes the socket; again is a no-op (its descriptor number may belong to another socket by then). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Syscalls.closeQuietly(fd);
        }
    }
}
