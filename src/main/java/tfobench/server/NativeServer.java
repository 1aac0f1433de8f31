package tfobench.server;

import com.sun.jna.Memory;
import tfobench.linux.CpuAffinity;
import tfobench.linux.Errno;
import tfobench.linux.ErrnoException;
import tfobench.linux.SockAddrIn;
import tfobench.linux.Syscalls;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seed's C server in Java: blocking {@code accept} and {@code recv}/{@code send} through JNA. A fixed set
 * of threads all block in {@code accept} on the one listener (pre-forked style): a connection is served by the
 * thread that accepted it, with no hand-off, until it closes; so at most {@code threads} connections are served
 * at once and the rest wait in the listen backlog (a kept-alive connection keeps its thread until the client
 * closes it or the idle timeout does). A connection's errors end that connection, never its thread.
 */
public final class NativeServer implements CalcServer {
    private static final int BACKLOG = 4096;
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final long STOP_TIMEOUT_MILLIS = 5_000;
    private static final int RETRY = -1;
    private static final int LISTENER_GONE = -2;

    private final ServerConfig config;
    private final int listenFd;
    private final InetSocketAddress address;
    private final List<Worker> workers = new ArrayList<>();
    private final AtomicLong accepted = new AtomicLong();
    private final ConnectionLimit limit;
    private volatile boolean stopping;

    private NativeServer(ServerConfig config) throws ErrnoException {
        this.config = config;
        this.limit = new ConnectionLimit(config.maxConnections());
        SockAddrIn bind = new SockAddrIn(config.bind());
        int fd = Syscalls.tcpSocket(bind);
        try {
            Syscalls.setInt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_REUSEADDR, 1);
            // Accepted sockets are clones of the listener: these three apply to every connection from here,
            // three system calls fewer per connection than setting them on each (their timeout also makes
            // accept() return EAGAIN every idle timeout, which the accept loop simply repeats).
            Syscalls.setInt(fd, Syscalls.IPPROTO_TCP, Syscalls.TCP_NODELAY, 1);
            Syscalls.setTimeout(fd, Syscalls.SO_RCVTIMEO, config.idleTimeout().toMillis());
            Syscalls.setTimeout(fd, Syscalls.SO_SNDTIMEO, config.idleTimeout().toMillis());
            if (config.fastOpen()) {
                Syscalls.setInt(fd, Syscalls.IPPROTO_TCP, Syscalls.TCP_FASTOPEN, config.fastOpenQueue());
            }
            Syscalls.bind(fd, bind);
            Syscalls.listen(fd, BACKLOG);
            this.address = Syscalls.localAddress(fd);
        } catch (ErrnoException | RuntimeException e) {
            Syscalls.closeQuietly(fd);
            throw e;
        }
        this.listenFd = fd;
    }

    static NativeServer start(ServerConfig config) throws ErrnoException {
        NativeServer server = new NativeServer(config);
        for (int i = 0; i < config.threads(); i++) {
            Worker worker = server.new Worker(i);
            server.workers.add(worker);
            worker.thread.start();
        }
        return server;
    }

    @Override
    public ServerConfig config() {
        return config;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public long acceptedConnections() {
        return accepted.get();
    }

    @Override
    public int openConnections() {
        return limit.open();
    }

    @Override
    public long refusedConnections() {
        return limit.refused();
    }

    /** The listening socket, for tests that change its options (e.g. TCP_FASTOPEN_KEY). */
    int listenerDescriptor() {
        return listenFd;
    }

    @Override
    public void close() throws ServerStopException {
        if (stopping) {
            return;
        }
        stopping = true;
        // shutdown() on a listener wakes every thread blocked in accept() (close() alone would not).
        try {
            Syscalls.shutdown(listenFd, Syscalls.SHUT_RDWR);
        } catch (ErrnoException ignored) {
            // not fatal: the workers are also interrupted below through their connections
        }
        for (Worker worker : workers) {
            worker.abortConnection();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_TIMEOUT_MILLIS);
        List<String> stuck = new ArrayList<>();
        for (Worker worker : workers) {
            try {
                worker.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (worker.thread.isAlive()) {
                stuck.add(worker.thread.getName());
            }
        }
        Syscalls.closeQuietly(listenFd);
        if (!stuck.isEmpty()) {
            throw new ServerStopException("native server on " + address + ": threads still running after "
                    + STOP_TIMEOUT_MILLIS + " ms: " + stuck);
        }
    }

    /** One accepting and serving thread with its own buffers. */
    private final class Worker implements Runnable {
        final Thread thread;
        private final Memory inMemory = new Memory(BUFFER_BYTES);
        private final Memory outMemory = new Memory(BUFFER_BYTES);
        private final ByteBuffer in = inMemory.getByteBuffer(0, BUFFER_BYTES);
        private final ByteBuffer out = outMemory.getByteBuffer(0, BUFFER_BYTES);
        private final CalcSession session = new CalcSession(config.maxHeaderBytes());
        /** The connection being served, -1 when none; guarded by this. */
        private int connectionFd = -1;

        Worker(int index) {
            thread = new Thread(this, "native-server-" + address.getPort() + "-" + index);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                if (config.cpus() != null) {
                    CpuAffinity.pinCurrentThread(config.cpus());
                }
            } catch (ErrnoException | RuntimeException e) {
                System.err.println(thread.getName() + ": stopped: cannot pin to CPUs " + config.cpus() + ": "
                        + e.getMessage());
                return;
            }
            while (!stopping) {
                int fd = acceptOne();
                if (fd < 0) {
                    if (fd == LISTENER_GONE) {
                        return;
                    }
                    continue;
                }
                accepted.incrementAndGet();
                if (!limit.tryOpen()) {
                    Syscalls.closeQuietly(fd);
                    continue;
                }
                try {
                    if (!adopt(fd)) {
                        return;
                    }
                    serveOne(fd);
                } finally {
                    limit.closed();
                }
            }
        }

        /**
         * One accepted descriptor, {@link #RETRY} after an error that concerns only the connection being accepted
         * or a passing shortage, or {@link #LISTENER_GONE} when the server stops or its listener is unusable.
         * accept(2): "Linux accept() passes already-pending network errors on the new socket as an error code from
         * accept()... the application should... treat them like EAGAIN by retrying."
         */
        private int acceptOne() {
            try {
                return Syscalls.accept(listenFd);
            } catch (ErrnoException e) {
                if (stopping) {
                    return LISTENER_GONE;
                }
                switch (e.errno()) {
                    case Errno.EBADF:
                    case Errno.EINVAL:
                    case Errno.ENOTSOCK:
                    case Errno.EOPNOTSUPP:
                        System.err.println(thread.getName() + ": stopped: " + e.getMessage());
                        return LISTENER_GONE;
                    case Errno.EMFILE:
                    case Errno.ENFILE:
                    case Errno.ENOBUFS:
                    case Errno.ENOMEM:
                        pauseAfter(e);
                        return RETRY;
                    default:
                        return RETRY; // ECONNABORTED, EPROTO, ENETDOWN...: that connection's problem only
                }
            }
        }

        /** Serves one connection; whatever goes wrong ends that connection, never the worker. */
        private void serveOne(int fd) {
            try {
                serve(fd);
            } catch (RuntimeException e) {
                if (!stopping) {
                    System.err.println(thread.getName() + ": connection dropped: " + e);
                }
            } finally {
                release();
            }
        }

        private synchronized boolean adopt(int fd) {
            if (stopping) {
                Syscalls.closeQuietly(fd);
                return false;
            }
            connectionFd = fd;
            return true;
        }

        private synchronized void release() {
            Syscalls.closeQuietly(connectionFd);
            connectionFd = -1;
        }

        /** Wakes a thread blocked in recv/send on its connection. */
        synchronized void abortConnection() {
            if (connectionFd >= 0) {
                try {
                    Syscalls.shutdown(connectionFd, Syscalls.SHUT_RDWR);
                } catch (ErrnoException ignored) {
                    // the connection is already gone
                }
            }
        }

        /** Serves one connection until the client closes, asks to, sends something bad, or stays idle too long. */
        private void serve(int fd) {
            session.reset();
            in.clear();
            out.clear();
            try {
                while (!stopping) {
                    // `in` is in write mode here: bytes from position to limit are free.
                    int n = Syscalls.recv(fd, inMemory, in.position(), in.remaining());
                    if (n == 0) {
                        return; // peer closed; mid-request or not, nothing to answer
                    }
                    in.position(in.position() + n);
                    in.flip();
                    CalcSession.Next next;
                    do {
                        next = session.serve(in, out);
                        if (out.position() > 0) {
                            Syscalls.sendFully(fd, outMemory, out.position());
                            out.clear();
                        }
                    } while (next == CalcSession.Next.FLUSH);
                    if (next == CalcSession.Next.CLOSE) {
                        return;
                    }
                    in.compact();
                }
            } catch (ErrnoException e) {
                // EAGAIN = idle timeout; ECONNRESET/EPIPE = client went away; either way the connection ends here.
                if (e.errno() != Errno.EAGAIN && e.errno() != Errno.ECONNRESET && e.errno() != Errno.EPIPE
                        && !stopping) {
                    System.err.println(thread.getName() + ": connection closed: " + e.getMessage());
                }
            }
        }

        private void pauseAfter(ErrnoException e) {
            System.err.println(thread.getName() + ": " + e.getMessage() + "; retrying in 10 ms");
            try {
                Thread.sleep(10);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
