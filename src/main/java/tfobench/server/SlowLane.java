package tfobench.server;

import com.sun.jna.Memory;
import tfobench.linux.CpuAffinity;
import tfobench.linux.Epoll;
import tfobench.linux.Errno;
import tfobench.linux.ErrnoException;
import tfobench.linux.EventFd;
import tfobench.linux.Syscalls;
import tfobench.protocol.Response;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The native server's poller: one thread that owns every connection a worker could not serve without waiting
 * (silent, trickling, idle between requests, not reading its answers), serves them without ever blocking
 * ({@code MSG_DONTWAIT}, epoll), closes them at the idle timeout and answers 408 at the request deadline. Once it has
 * answered a request and the connection is between requests, it offers the connection back to an idle worker, so a
 * client that paused once returns to the blocking path the benchmarks measure.
 *
 * <p>Memory per parked connection: its {@link CalcSession} (a line buffer of {@code maxHeaderBytes}) and, only
 * while the client is not reading, at most one buffer each of unsent answers and undecoded input.
 */
final class SlowLane implements Runnable {
    static final int BUFFER_BYTES = 16 * 1024;
    private static final int MAX_EVENTS = 256;
    private static final long WAKE_TAG = -1;

    private final ServerConfig config;
    private final ConnectionLimit limit;
    private final AtomicInteger idleWorkers;
    private final EventFd offersReady;
    private final Response timeoutAnswer;
    private final long idleNanos;
    private final long requestNanos;
    private final Epoll epoll;
    private final EventFd wake;
    private final Epoll.Ready ready = new Epoll.Ready(MAX_EVENTS);
    private final Queue<ParkedConnection> arrivals = new ConcurrentLinkedQueue<>();
    private final Queue<ParkedConnection> offers = new ConcurrentLinkedQueue<>();
    /** The connections this thread owns (parked or offered), by tag; touched by this thread only. */
    private final Map<Long, ParkedConnection> parked = new HashMap<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Memory inMemory = new Memory(BUFFER_BYTES);
    private final Memory outMemory = new Memory(BUFFER_BYTES);
    private final ByteBuffer in = inMemory.getByteBuffer(0, BUFFER_BYTES);
    private final ByteBuffer out = outMemory.getByteBuffer(0, BUFFER_BYTES);
    final Thread thread;
    private long nextId;
    private volatile boolean stopping;
    /** No more arrivals are admitted; guarded by this. */
    private boolean closed;

    /** A moment a connection's idle timeout or request deadline may pass; stale when the connection moved it. */
    private record Timer(long at, ParkedConnection connection) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer other) {
            return Long.signum(at - other.at);
        }
    }

    /**
     * @param idleWorkers how many workers sleep waiting for work now: connections are offered back only then
     * @param offersReady signalled once per offer; idle workers wait for it with the listener
     */
    SlowLane(ServerConfig config, ConnectionLimit limit, AtomicInteger idleWorkers, EventFd offersReady, String name)
            throws ErrnoException {
        this.config = config;
        this.limit = limit;
        this.idleWorkers = idleWorkers;
        this.offersReady = offersReady;
        this.timeoutAnswer = CalcSession.requestTimeoutAnswer(config.requestTimeout());
        this.idleNanos = config.idleTimeout().toNanos();
        this.requestNanos = config.requestTimeout().toNanos();
        this.epoll = Epoll.create();
        try {
            this.wake = EventFd.create(false);
            epoll.add(wake.descriptor(), Epoll.EPOLLIN, WAKE_TAG);
        } catch (ErrnoException | RuntimeException e) {
            epoll.close();
            throw e;
        }
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    /**
     * Takes over a connection from a worker (any thread). After {@link #stop} the connection is closed instead; the
     * caller no longer owns it either way.
     */
    void adopt(ParkedConnection connection) {
        synchronized (this) {
            if (!closed) {
                arrivals.add(connection);
                try {
                    wake.signal(1);
                } catch (ErrnoException e) {
                    System.err.println(thread.getName() + ": cannot wake the poller: " + e.getMessage());
                }
                return;
            }
        }
        closeUncounted(connection);
    }

    /**
     * For an idle worker (any thread): a connection offered back, now the caller's to serve and close, or null when
     * there is none (every offer signalled so far was withdrawn or taken by another worker).
     */
    ParkedConnection takeOffered() throws ErrnoException {
        while (offersReady.take()) {
            ParkedConnection c = offers.poll();
            if (c != null && c.take()) {
                try {
                    epoll.delete(c.fd);
                } catch (ErrnoException e) {
                    System.err.println(thread.getName() + ": taking a connection back: " + e.getMessage());
                }
                return c;
            }
        }
        return null;
    }

    /** Asks the thread to close every connection it holds and end; the caller joins {@link #thread}. */
    void stop() {
        stopping = true;
        try {
            wake.signal(1);
        } catch (ErrnoException e) {
            System.err.println(thread.getName() + ": cannot wake the poller to stop it: " + e.getMessage());
        }
    }

    @Override
    public void run() {
        try {
            if (config.cpus() != null) {
                CpuAffinity.pinCurrentThread(config.cpus());
            }
            while (!stopping) {
                int n = epoll.await(ready, millisUntilNextTimer(System.nanoTime()));
                long now = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    long tag = ready.tag(i);
                    if (tag == WAKE_TAG) {
                        wake.take();
                        continue;
                    }
                    ParkedConnection c = parked.get(tag);
                    if (c != null && (c.isParked() || (c.isOffered() && c.withdraw()))) {
                        serve(c, now);
                    }
                }
                admitArrivals(now);
                expireDue(System.nanoTime());
            }
        } catch (ErrnoException | RuntimeException e) {
            if (!stopping) {
                System.err.println(thread.getName() + ": stopped: " + e);
            }
        } finally {
            closeAll();
        }
    }

    private void admitArrivals(long now) {
        ParkedConnection c;
        while ((c = arrivals.poll()) != null) {
            c.id = nextId++;
            c.interest = c.pendingOutput != null ? Epoll.EPOLLOUT : Epoll.EPOLLIN;
            parked.put(c.id, c);
            try {
                epoll.add(c.fd, c.interest, c.id);
            } catch (ErrnoException e) {
                System.err.println(thread.getName() + ": connection dropped: " + e.getMessage());
                close(c);
                continue;
            }
            schedule(c);
        }
    }

    /**
     * Serves what a ready connection allows without waiting: first the answers it had not taken, then its input, as
     * the workers do but with {@code MSG_DONTWAIT}. Answers it does not take at once are kept and the connection is
     * watched for room to write (it is not read meanwhile: back-pressure, as a blocking send gives the workers).
     */
    private void serve(ParkedConnection c, long now) {
        out.clear(); // whatever an earlier connection's failed send left there is not this one's
        try {
            if (c.pendingOutput != null && !flushPending(c, now)) {
                return;
            }
            in.clear();
            if (c.leftoverInput != null) {
                in.put(c.leftoverInput);
                c.leftoverInput = null;
            } else {
                int n = receive(c);
                if (n == 0) {
                    close(c); // the client closed; mid-request or not, nothing to answer
                    return;
                }
                if (n > 0) {
                    in.position(n);
                    c.idleSince = now;
                }
            }
            in.flip();
            boolean answered = false;
            CalcSession.Next next;
            do {
                next = c.session.serve(in, out);
                if (out.position() > 0) {
                    answered = true;
                    if (!sendOrKeep(c, now)) {
                        c.leftoverInput = remaining(in);
                        watch(c, Epoll.EPOLLOUT);
                        return;
                    }
                }
            } while (next == CalcSession.Next.FLUSH);
            if (next == CalcSession.Next.CLOSE) {
                close(c);
                return;
            }
            c.leftoverInput = remaining(in); // normally none: the decoder takes an incomplete request whole
            watch(c, Epoll.EPOLLIN);
            if (c.session.requestArriving()) {
                if (c.requestStart == ParkedConnection.NONE) {
                    c.requestStart = now;
                    schedule(c);
                }
            } else {
                c.requestStart = ParkedConnection.NONE;
                if (answered && c.leftoverInput == null) {
                    offer(c);
                }
            }
        } catch (ErrnoException e) {
            close(c); // ECONNRESET, EPIPE...: the client went away
        } catch (RuntimeException e) {
            System.err.println(thread.getName() + ": connection dropped: " + e); // that connection's end, not ours
            close(c);
        }
    }

    /** Bytes received without waiting: more than 0, 0 at end of stream, -1 when none are there. */
    private int receive(ParkedConnection c) throws ErrnoException {
        try {
            return Syscalls.recv(c.fd, inMemory, 0, BUFFER_BYTES, Syscalls.MSG_DONTWAIT);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EAGAIN) {
                return -1;
            }
            throw e;
        }
    }

    /** Sends the output without waiting; false (and the rest kept as pending) when the client did not take it all. */
    private boolean sendOrKeep(ParkedConnection c, long now) throws ErrnoException {
        int length = out.position();
        int sent = sendNow(c.fd, 0, length);
        if (sent > 0) {
            c.idleSince = now;
        }
        if (sent < length) {
            c.pendingOutput = outMemory.getByteArray(sent, length - sent);
        }
        out.clear();
        return sent == length;
    }

    /** Sends the answers the client had not taken; true when all are gone. */
    private boolean flushPending(ParkedConnection c, long now) throws ErrnoException {
        byte[] pending = c.pendingOutput;
        outMemory.write(0, pending, 0, pending.length);
        int sent = sendNow(c.fd, 0, pending.length);
        if (sent > 0) {
            c.idleSince = now;
        }
        if (sent < pending.length) {
            if (sent > 0) {
                c.pendingOutput = outMemory.getByteArray(sent, pending.length - sent);
            }
            return false;
        }
        c.pendingOutput = null;
        return true;
    }

    private int sendNow(int fd, int from, int to) throws ErrnoException {
        try {
            return Syscalls.send(fd, outMemory, from, to - from, Syscalls.MSG_DONTWAIT);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EAGAIN) {
                return 0;
            }
            throw e;
        }
    }

    private void watch(ParkedConnection c, int interest) throws ErrnoException {
        if (c.interest != interest) {
            epoll.modify(c.fd, interest, c.id);
            c.interest = interest;
        }
    }

    /** Offers a connection between requests back to the workers, if one is idle to take it. */
    private void offer(ParkedConnection c) throws ErrnoException {
        if (idleWorkers.get() == 0) {
            return;
        }
        c.offer();
        offers.add(c);
        offersReady.signal(1);
    }

    private void schedule(ParkedConnection c) {
        long due = c.dueAt(idleNanos, requestNanos);
        if (c.timerAt == ParkedConnection.NONE || due - c.timerAt < 0) {
            c.timerAt = due;
            timers.add(new Timer(due, c));
        }
    }

    private int millisUntilNextTimer(long now) {
        Timer next = timers.peek();
        if (next == null) {
            return -1;
        }
        long nanos = next.at - now;
        if (nanos <= 0) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
    }

    /**
     * Closes what is due: an idle connection without an answer, a request past its deadline with 408 (unless the
     * client is not even taking the answers it has). A timer its connection has since moved is set again.
     */
    private void expireDue(long now) {
        Timer t;
        while ((t = timers.peek()) != null && t.at - now <= 0) {
            timers.poll();
            ParkedConnection c = t.connection;
            if (t.at != c.timerAt) {
                continue; // superseded by an earlier timer
            }
            if (!c.isParked() && !c.isOffered()) {
                parked.remove(c.id); // taken by a worker (or closed): no longer ours
                continue;
            }
            long due = c.dueAt(idleNanos, requestNanos);
            if (due - now > 0) {
                c.timerAt = due;
                timers.add(new Timer(due, c));
                continue;
            }
            if (c.isOffered() && !c.withdraw()) {
                parked.remove(c.id); // a worker took it just now
                continue;
            }
            if (c.requestExpired(now, requestNanos) && c.pendingOutput == null) {
                answerTimeout(c);
            }
            close(c);
        }
    }

    /**
     * Sends 408 without waiting, then reads what the client sent meanwhile, so that the close that follows is a FIN
     * after the answer rather than a reset that could discard it.
     */
    private void answerTimeout(ParkedConnection c) {
        out.clear();
        c.session.expire(timeoutAnswer, out);
        try {
            sendNow(c.fd, 0, out.position());
            while (receive(c) > 0) {
                // discard
            }
        } catch (ErrnoException ignored) {
            // the client is gone; closing is all that is left
        }
        out.clear();
    }

    private void close(ParkedConnection c) {
        c.markClosed();
        parked.remove(c.id);
        closeUncounted(c);
    }

    /** Closes the descriptor (which also removes it from epoll) and gives its place back to the connection limit. */
    private void closeUncounted(ParkedConnection c) {
        Syscalls.closeQuietly(c.fd);
        limit.closed();
    }

    private void closeAll() {
        synchronized (this) {
            closed = true;
        }
        List<ParkedConnection> held = new ArrayList<>(parked.values());
        for (ParkedConnection c : held) {
            if (c.isParked() || (c.isOffered() && c.withdraw())) {
                close(c);
            }
        }
        ParkedConnection c;
        while ((c = arrivals.poll()) != null) {
            closeUncounted(c);
        }
        epoll.close();
        wake.close();
    }

    private static byte[] remaining(ByteBuffer buffer) {
        if (!buffer.hasRemaining()) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
