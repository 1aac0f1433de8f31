package tfobench.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * An epoll instance: descriptors registered with the events they wait for and a 64-bit tag each, and
 * {@link #await} to sleep until some are ready. Level-triggered (the default): a descriptor stays reported while it
 * is ready. Several threads may wait on one instance, each with its own {@link Ready} buffer.
 *
 * <p>epoll(7): "The epoll API performs a similar task to poll(2): monitoring multiple file descriptors to see if I/O
 * is possible on any of them."
 */
public final class Epoll implements AutoCloseable {
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;

    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CTL_MOD = 3;
    /** {@code struct epoll_event} is packed on x86_64: {@code uint32_t events} then {@code uint64_t data}. */
    private static final int EVENT_BYTES = 12;

    private static final ThreadLocal<Memory> SCRATCH = ThreadLocal.withInitial(() -> new Memory(EVENT_BYTES));

    private final int fd;

    private Epoll(int fd) {
        this.fd = fd;
    }

    /** {@code epoll_create1(EPOLL_CLOEXEC)}. */
    public static Epoll create() throws ErrnoException {
        try {
            return new Epoll(LibC.epoll_create1(EPOLL_CLOEXEC));
        } catch (LastErrorException e) {
            throw new ErrnoException("epoll_create1", e.getErrorCode());
        }
    }

    /** Watches {@code target} for {@code events}; {@link Ready#tag} reports {@code tag} for it. */
    public void add(int target, int events, long tag) throws ErrnoException {
        control(EPOLL_CTL_ADD, target, events, tag, "epoll_ctl ADD");
    }

    /** Changes what {@code target} is watched for. */
    public void modify(int target, int events, long tag) throws ErrnoException {
        control(EPOLL_CTL_MOD, target, events, tag, "epoll_ctl MOD");
    }

    /** Stops watching {@code target} (closing a descriptor also does, once no other copy of it is open). */
    public void delete(int target) throws ErrnoException {
        control(EPOLL_CTL_DEL, target, 0, 0, "epoll_ctl DEL");
    }

    /**
     * Waits until a watched descriptor is ready or {@code timeoutMillis} pass (-1: no limit); returns how many are
     * ready, described in {@code into}. An interrupting signal counts as a timeout (0).
     */
    public int await(Ready into, int timeoutMillis) throws ErrnoException {
        try {
            return LibC.epoll_wait(fd, into.events, into.capacity, timeoutMillis);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EINTR) {
                return 0;
            }
            throw new ErrnoException("epoll_wait", e.getErrorCode());
        }
    }

    @Override
    public void close() {
        Syscalls.closeQuietly(fd);
    }

    private void control(int op, int target, int events, long tag, String call) throws ErrnoException {
        Memory event = SCRATCH.get();
        event.setInt(0, events);
        event.setLong(4, tag);
        try {
            LibC.epoll_ctl(fd, op, target, event);
        } catch (LastErrorException e) {
            throw new ErrnoException(call, e.getErrorCode());
        }
    }

    /** One waiting thread's buffer of ready descriptors. */
    public static final class Ready {
        private final int capacity;
        private final Memory events;

        public Ready(int capacity) {
            this.capacity = capacity;
            this.events = new Memory((long) capacity * EVENT_BYTES);
        }

        /** What the i-th ready descriptor is ready for ({@link #EPOLLIN}, {@link #EPOLLOUT}, ...). */
        public int events(int i) {
            return events.getInt((long) i * EVENT_BYTES);
        }

        /** The tag the i-th ready descriptor was registered with. */
        public long tag(int i) {
            return events.getLong((long) i * EVENT_BYTES + 4);
        }
    }
}
