package tfobench.linux;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * A listening socket and nothing else, for probing the kernel: no thread serves it, so what the kernel does with
 * a SYN (queue it, answer it, drop it) is all there is, and the accepted sockets are handed to the caller, whose
 * {@code TCP_INFO} says how each connection was opened. Non-blocking: {@link #acceptNow()} never waits.
 */
public final class RawListener implements AutoCloseable {
    /** Length of one {@code TCP_FASTOPEN_KEY} (AES/SipHash key, 128 bits). */
    public static final int KEY_BYTES = 16;

    private final int fd;
    private final InetSocketAddress address;
    private boolean closed;

    private RawListener(int fd, InetSocketAddress address) {
        this.fd = fd;
        this.address = address;
    }

    /**
     * Listens on {@code address} (any free port).
     *
     * @param fastOpenQueue {@code TCP_FASTOPEN} queue length; 0 for a plain listener
     * @param backlog       {@code listen()} backlog: with 0 the accept queue is full once one connection waits in
     *                      it, and the kernel then drops every further SYN (counted as {@code ListenOverflows})
     */
    public static RawListener open(InetAddress address, int fastOpenQueue, int backlog) throws ErrnoException {
        int fd = Syscalls.tcpSocket(Syscalls.SOCK_NONBLOCK);
        try {
            Syscalls.bind(fd, new SockAddrIn(new InetSocketAddress(address, 0)));
            if (fastOpenQueue > 0) {
                Syscalls.setInt(fd, Syscalls.IPPROTO_TCP, Syscalls.TCP_FASTOPEN, fastOpenQueue);
            }
            Syscalls.listen(fd, backlog);
            return new RawListener(fd, Syscalls.localAddress(fd));
        } catch (ErrnoException e) {
            Syscalls.closeQuietly(fd);
            throw e;
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    /**
     * {@code setsockopt(TCP_FASTOPEN_KEY)}: the key this listener makes and checks cookies with, and, when
     * {@code backup} is not null, a second key it still accepts cookies made with (kernel 5.3+; older kernels
     * refuse the 32 bytes with EINVAL). The keys are secrets: callers make them, use them and forget them.
     */
    public void setFastOpenKeys(byte[] primary, byte[] backup) throws ErrnoException {
        if (primary.length != KEY_BYTES || (backup != null && backup.length != KEY_BYTES)) {
            throw new IllegalArgumentException("a fast open key is " + KEY_BYTES + " bytes");
        }
        byte[] value = new byte[backup == null ? KEY_BYTES : 2 * KEY_BYTES];
        System.arraycopy(primary, 0, value, 0, KEY_BYTES);
        if (backup != null) {
            System.arraycopy(backup, 0, value, KEY_BYTES, KEY_BYTES);
        }
        try {
            Syscalls.setBytes(fd, Syscalls.IPPROTO_TCP, Syscalls.TCP_FASTOPEN_KEY, value);
        } finally {
            java.util.Arrays.fill(value, (byte) 0);
        }
    }

    /** The next connection in the accept queue, or empty when there is none now. */
    public OptionalInt acceptNow() throws ErrnoException {
        try {
            return OptionalInt.of(Syscalls.accept(fd));
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EAGAIN) {
                return OptionalInt.empty();
            }
            throw e;
        }
    }

    /** The next connection, waiting for it up to {@code timeout}. */
    public int awaitConnection(Duration timeout) throws ErrnoException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            OptionalInt child = acceptNow();
            if (child.isPresent()) {
                return child.getAsInt();
            }
            if (System.nanoTime() > deadline) {
                throw new ErrnoException("accept on " + address + " (nothing within " + timeout.toMillis() + " ms)",
                        Errno.EAGAIN);
            }
            Thread.sleep(5);
        }
    }

    /** Accepts and closes every connection waiting now; returns how many there were. */
    public int drain() throws ErrnoException {
        int n = 0;
        for (OptionalInt child = acceptNow(); child.isPresent(); child = acceptNow()) {
            Syscalls.closeQuietly(child.getAsInt());
            n++;
        }
        return n;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Syscalls.closeQuietly(fd);
        }
    }

    @Override
    public String toString() {
        return "listener " + address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
