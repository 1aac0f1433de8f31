package tfobench.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * A counting wake-up that threads can wait for with epoll: {@link #signal} adds to the counter, {@link #take} takes
 * from it without blocking (one at a time in semaphore mode, all of it otherwise), and the descriptor is readable
 * while the counter is above zero.
 *
 * <p>eventfd(2): "If EFD_SEMAPHORE was not specified and the eventfd counter has a nonzero value, then a read(2)
 * returns 8 bytes containing that value, and the counter's value is reset to zero. If EFD_SEMAPHORE was specified
 * and the eventfd counter has a nonzero value, then a read(2) returns 8 bytes containing the value 1, and the
 * counter's value is decremented by 1"; with EFD_NONBLOCK a read of a zero counter "fails with the error EAGAIN".
 */
public final class EventFd implements AutoCloseable {
    private static final int EFD_SEMAPHORE = 1;
    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;

    private static final ThreadLocal<Memory> SCRATCH = ThreadLocal.withInitial(() -> new Memory(8));

    private final int fd;

    private EventFd(int fd) {
        this.fd = fd;
    }

    /** A non-blocking, close-on-exec eventfd, counter 0; in semaphore mode each {@link #take} takes one. */
    public static EventFd create(boolean semaphore) throws ErrnoException {
        try {
            return new EventFd(LibC.eventfd(0, (semaphore ? EFD_SEMAPHORE : 0) | EFD_NONBLOCK | EFD_CLOEXEC));
        } catch (LastErrorException e) {
            throw new ErrnoException("eventfd", e.getErrorCode());
        }
    }

    public int descriptor() {
        return fd;
    }

    /** Adds {@code count} to the counter, waking whoever waits for the descriptor to be readable. */
    public void signal(long count) throws ErrnoException {
        Memory value = SCRATCH.get();
        value.setLong(0, count);
        try {
            LibC.write(fd, value, 8);
        } catch (LastErrorException e) {
            throw new ErrnoException("write eventfd", e.getErrorCode());
        }
    }

    /** Takes one from the counter (semaphore mode) or all of it; false when it was zero. */
    public boolean take() throws ErrnoException {
        try {
            LibC.read(fd, SCRATCH.get(), 8);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EAGAIN) {
                return false;
            }
            throw new ErrnoException("read eventfd", e.getErrorCode());
        }
    }

    @Override
    public void close() {
        Syscalls.closeQuietly(fd);
    }
}
