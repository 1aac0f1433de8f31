package tfobench.server;

import com.sun.jna.Memory;
import tfobench.linux.CpuAffinity;
import tfobench.linux.Epoll;
import tfobench.linux.Errno;
import tfobench.linux.ErrnoException;
import tfobench.linux.EventFd;
import tfobench.linux.SockAddrIn;
import tfobench.linux.Syscalls;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The seed's C server in Java: blocking {@code accept} and {@code recv}/{@code send} through JNA. A fixed set of
 * threads all block in {@code accept} on the one listener (pre-forked style), and a connection is served by the
 * thread that accepted it, with no hand-off: the path the benchmarks measure, system call for system call the
 * seed's. A connection's errors end that connection, never its thread.
 *
 * <p>What the seed lacks is a bound on how long a client can make a thread wait. Here a worker waits for a connection
 * at most {@link #PATIENCE} at a time (the listener's {@code SO_RCVTIMEO}/{@code SO_SNDTIMEO}, which every accepted
 * socket inherits, so it costs no system call), and for a request at most about twice that from its first byte. A
 * connection that makes it wait longer (it sends nothing, trickles, pauses between requests, or does not read its
 * answers) is handed, with its session and unsent bytes, to the {@link SlowLane}: one poller thread that serves such
 * connections without blocking, closes them at the idle timeout, answers 408 at the request deadline, and offers a
 * connection back to an idle worker once its request is answered. So threads are never held by slow clients, and a
 * client that was slow once goes back to the blocking path.
 *
 * <p>A worker whose {@code accept} times out (no connection for {@link #PATIENCE}) sleeps in {@code epoll_wait} on the
 * listener and the slow lane's offers instead, so an idle server does not wake every millisecond; the first connection
 * after a quiet spell costs it that one extra call.
 */
public final class NativeServer extends AbstractCalcServer {
    /**
     * Longest a worker blocks for one connection before handing it to the slow lane. The kernel counts socket timeouts
     * in clock ticks and rounds up: in effect one tick (4 ms at {@code CONFIG_HZ=250}, 1 ms at 1000).
     */
    static final Duration PATIENCE = Duration.ofMillis(1);
    private static final long PATIENCE_NANOS = PATIENCE.toNanos();
    private static final int BACKLOG = 4096;
    private static final int BUFFER_BYTES = SlowLane.BUFFER_BYTES;
    private static final long STOP_TIMEOUT_MILLIS = 5_000;
    private static final int RETRY = -1;
    private static final int LISTENER_GONE = -2;
    private static final int NOTHING_PENDING = -3;
    private static final long LISTENER_TAG = 0;
    private static final long OFFERS_TAG = 1;

    private final int listenFd;
    private final List<Worker> workers = new ArrayList<>();
    /** Where idle workers sleep: the listener and {@link #offersReady}. */
    private final Epoll idleWait;
    private final EventFd offersReady;
    private final AtomicInteger idleWorkers = new AtomicInteger();
    private final SlowLane slowLane;
    private volatile boolean stopping;

    private NativeServer(ServerConfig config) throws ErrnoException {
        super(config);
        SockAddrIn bind = new SockAddrIn(config.bind());
        int fd = Syscalls.tcpSocket(bind);
        Epoll idle = null;
        EventFd offers = null;
        try {
            Syscalls.setInt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_REUSEADDR, 1);
            // Accepted sockets are clones of the listener: these three apply to every connection from here, three
            // system calls fewer per connection than setting them on each. The timeouts are the workers' patience
            // (on the listener itself they make accept() return EAGAIN after as long without a connection).
            Syscalls.setInt(fd, Syscalls.IPPROTO_TCP, Syscalls.TCP_NODELAY, 1);
            Syscalls.setTimeout(fd, Syscalls.SO_RCVTIMEO, PATIENCE.toMillis());
            Syscalls.setTimeout(fd, Syscalls.SO_SNDTIMEO, PATIENCE.toMillis());
            if (config.fastOpen()) {
                Syscalls.setInt(fd, Syscalls.IPPROTO_TCP, Syscalls.TCP_FASTOPEN, config.fastOpenQueue());
            }
            Syscalls.bind(fd, bind);
            Syscalls.listen(fd, BACKLOG);
            listeningOn(Syscalls.localAddress(fd));
            idle = Epoll.create();
            offers = EventFd.create(true);
            idle.add(fd, Epoll.EPOLLIN, LISTENER_TAG);
            idle.add(offers.descriptor(), Epoll.EPOLLIN, OFFERS_TAG);
            this.slowLane = new SlowLane(config, limit, idleWorkers, offers,
                    "native-server-" + address().getPort() + "-poller");
        } catch (ErrnoException | RuntimeException e) {
            if (idle != null) {
                idle.close();
            }
            if (offers != null) {
                offers.close();
            }
            Syscalls.closeQuietly(fd);
            throw e;
        }
        this.listenFd = fd;
        this.idleWait = idle;
        this.offersReady = offers;
    }

    static NativeServer start(ServerConfig config) throws ErrnoException {
        NativeServer server = new NativeServer(config);
        server.slowLane.thread.start();
        for (int i = 0; i < config.threads(); i++) {
            Worker worker = server.new Worker(i);
            server.workers.add(worker);
            worker.thread.start();
        }
        return server;
    }

    @Override
    public List<Thread> threads() {
        List<Thread> all = new ArrayList<>();
        workers.forEach(w -> all.add(w.thread));
        all.add(slowLane.thread);
        return all;
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
        // shutdown() on a listener wakes every thread blocked in accept() (close() alone would not); the offers
        // counter wakes those asleep in epoll_wait (they see `stopping` and take nothing).
        try {
            Syscalls.shutdown(listenFd, Syscalls.SHUT_RDWR);
        } catch (ErrnoException ignored) {
            // not fatal: the workers are also interrupted below through their connections
        }
        try {
            offersReady.signal(workers.size());
        } catch (ErrnoException e) {
            System.err.println("native server on " + address() + ": cannot wake idle workers: " + e.getMessage());
        }
        for (Worker worker : workers) {
            worker.abortConnection();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_TIMEOUT_MILLIS);
        List<String> stuck = new ArrayList<>();
        for (Worker worker : workers) {
            join(worker.thread, deadline, stuck);
        }
        // After the workers: none can hand it a connection any more, and it closes all it holds.
        slowLane.stop();
        join(slowLane.thread, deadline, stuck);
        Syscalls.closeQuietly(listenFd);
        if (stuck.isEmpty()) {
            idleWait.close();
            offersReady.close();
        }
        if (!stuck.isEmpty()) {
            throw new ServerStopException("native server on " + address() + ": threads still running after "
                    + STOP_TIMEOUT_MILLIS + " ms: " + stuck);
        }
    }

    private static void join(Thread thread, long deadline, List<String> stuck) {
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            stuck.add(thread.getName());
        }
    }

    /** One accepting and serving thread with its own buffers. */
    private final class Worker implements Runnable {
        final Thread thread;
        private final Memory inMemory = new Memory(BUFFER_BYTES);
        private final Memory outMemory = new Memory(BUFFER_BYTES);
        private final ByteBuffer in = inMemory.getByteBuffer(0, BUFFER_BYTES);
        private final ByteBuffer out = outMemory.getByteBuffer(0, BUFFER_BYTES);
        private final Epoll.Ready ready = new Epoll.Ready(1);
        /** This worker's session; a connection handed to the slow lane takes it along and the worker makes another. */
        private CalcSession session = new CalcSession(config.maxHeaderBytes());
        /** The connection being served, -1 when none; guarded by this. */
        private int connectionFd = -1;

        Worker(int index) {
            thread = new Thread(this, "native-server-" + address().getPort() + "-" + index);
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
                if (fd == LISTENER_GONE) {
                    return;
                }
                if (fd == NOTHING_PENDING) {
                    ParkedConnection offered = sleepUntilWork();
                    if (offered != null) {
                        serveOwned(offered.fd);
                    }
                    continue;
                }
                if (fd == RETRY) {
                    continue;
                }
                if (!limit.tryOpen()) {
                    Syscalls.closeQuietly(fd);
                    continue;
                }
                serveOwned(fd);
            }
        }

        /**
         * One accepted descriptor; {@link #NOTHING_PENDING} when none came for {@link #PATIENCE}; {@link #RETRY} after
         * an error that concerns only the connection being accepted or a passing shortage; {@link #LISTENER_GONE}
         * when the server stops or its listener is unusable. accept(2): "Linux accept() passes already-pending
         * network errors on the new socket as an error code from accept()... the application should... treat them
         * like EAGAIN by retrying."
         */
        private int acceptOne() {
            try {
                return Syscalls.accept(listenFd);
            } catch (ErrnoException e) {
                if (stopping) {
                    return LISTENER_GONE;
                }
                switch (e.errno()) {
                    case Errno.EAGAIN:
                        return NOTHING_PENDING;
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

        /**
         * Sleeps until the listener has a connection (then returns null, and the caller accepts it) or the slow lane
         * offers one back (returned, now this worker's).
         */
        private ParkedConnection sleepUntilWork() {
            idleWorkers.incrementAndGet();
            try {
                int n = idleWait.await(ready, -1);
                if (stopping || n < 1 || ready.tag(0) != OFFERS_TAG) {
                    return null;
                }
                return slowLane.takeOffered();
            } catch (ErrnoException e) {
                if (!stopping) {
                    pauseAfter(e);
                }
                return null;
            } finally {
                idleWorkers.decrementAndGet();
            }
        }

        /**
         * Serves a connection counted in the limit until it ends or goes to the slow lane; whatever goes wrong ends
         * that connection, never the worker.
         */
        private void serveOwned(int fd) {
            if (!adopt(fd)) {
                limit.closed();
                return;
            }
            boolean ended = true;
            try {
                ended = serve(fd);
            } catch (RuntimeException e) {
                if (!stopping) {
                    System.err.println(thread.getName() + ": connection dropped: " + e);
                }
            } finally {
                release(ended);
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

        /** Closes the connection if it ended here; either way it is no longer this worker's. */
        private synchronized void release(boolean ended) {
            if (ended) {
                Syscalls.closeQuietly(connectionFd);
                limit.closed();
            }
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

        /**
         * Serves one connection until the client closes, asks to, or sends something bad (true: the caller closes
         * it), or until it makes this worker wait (false: it went to the slow lane): no byte for {@link #PATIENCE},
         * a request still incomplete {@link #PATIENCE} after it was first seen, or answers not taken for as long.
         */
        private boolean serve(int fd) {
            session.reset();
            in.clear();
            out.clear();
            long requestStart = ParkedConnection.NONE; // when a read first left the arriving request incomplete
            try {
                while (!stopping) {
                    // `in` is in write mode here: bytes from position to limit are free.
                    int n;
                    try {
                        n = Syscalls.recv(fd, inMemory, in.position(), in.remaining());
                    } catch (ErrnoException e) {
                        if (e.errno() != Errno.EAGAIN) {
                            throw e;
                        }
                        in.flip();
                        park(fd, 0, requestStart, System.nanoTime() - PATIENCE_NANOS);
                        return false;
                    }
                    if (n == 0) {
                        return true; // peer closed; mid-request or not, nothing to answer
                    }
                    in.position(in.position() + n);
                    in.flip();
                    CalcSession.Next next;
                    do {
                        next = session.serve(in, out);
                        if (out.position() > 0 && !send(fd, requestStart)) {
                            return false;
                        }
                    } while (next == CalcSession.Next.FLUSH);
                    if (next == CalcSession.Next.CLOSE) {
                        return true;
                    }
                    in.compact();
                    if (session.requestArriving()) { // rare: a request in more than one piece
                        long now = System.nanoTime();
                        if (requestStart == ParkedConnection.NONE) {
                            requestStart = now;
                        } else if (now - requestStart > PATIENCE_NANOS) {
                            in.flip();
                            park(fd, 0, requestStart, now);
                            return false;
                        }
                    } else {
                        requestStart = ParkedConnection.NONE;
                    }
                }
                return true;
            } catch (ErrnoException e) {
                // ECONNRESET/EPIPE = client went away; the connection ends here either way.
                if (e.errno() != Errno.ECONNRESET && e.errno() != Errno.EPIPE && !stopping) {
                    System.err.println(thread.getName() + ": connection closed: " + e.getMessage());
                }
                return true;
            }
        }

        /**
         * Sends the output; false when the client left part of it untaken for {@link #PATIENCE} and the connection
         * went to the slow lane with the rest and the undecoded input ({@code in}, in read mode).
         */
        private boolean send(int fd, long requestStart) throws ErrnoException {
            int length = out.position();
            int sent = 0;
            while (sent < length) {
                try {
                    sent += Syscalls.send(fd, outMemory, sent, length - sent, 0);
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EAGAIN) {
                        throw e;
                    }
                    park(fd, sent, requestStart, System.nanoTime() - PATIENCE_NANOS);
                    return false;
                }
            }
            out.clear();
            return true;
        }

        /**
         * Hands the connection to the slow lane with this worker's session, the output from {@code unsentFrom} on
         * and the input left in {@code in} (read mode); the worker goes on with a new session.
         */
        private void park(int fd, int unsentFrom, long requestStart, long idleSince) {
            int unsent = out.position() - unsentFrom;
            byte[] pending = unsent > 0 ? outMemory.getByteArray(unsentFrom, unsent) : null;
            byte[] leftover = null;
            if (in.hasRemaining()) {
                leftover = new byte[in.remaining()];
                in.get(leftover);
            }
            ParkedConnection parked = new ParkedConnection(fd, session, pending, leftover, requestStart, idleSince);
            session = new CalcSession(config.maxHeaderBytes());
            out.clear();
            slowLane.adopt(parked);
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
