package tfobench.server;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A native server connection that made a worker wait, with everything needed to go on serving it elsewhere: its
 * protocol session (possibly halfway through a request), answers the client has not taken yet, input read but not
 * decoded yet, and the clocks of the idle timeout and the request deadline. The {@link SlowLane} owns it while it
 * is parked or offered; a worker owns it once it has {@link #take taken} it.
 */
final class ParkedConnection {
    /** No time: no request is arriving, or no timer is set. */
    static final long NONE = Long.MIN_VALUE;

    private static final int PARKED = 0;
    private static final int OFFERED = 1;
    private static final int TAKEN = 2;
    private static final int CLOSED = 3;

    final int fd;
    final CalcSession session;
    /** Epoll tag, set by the slow lane when it admits the connection. */
    long id;
    /** Answers not sent yet (the client stopped reading), or null. */
    byte[] pendingOutput;
    /** Bytes received but not decoded yet (kept while answers wait), or null. */
    byte[] leftoverInput;
    /** {@code System.nanoTime()} when the request arriving now was first seen, or {@link #NONE}. */
    long requestStart;
    /** {@code System.nanoTime()} of the last byte received or sent. */
    long idleSince;
    /** The epoll events the slow lane watches for (read, or write while answers wait). */
    int interest;
    /** When the slow lane's live timer for this connection fires, or {@link #NONE}. */
    long timerAt = NONE;
    private final AtomicInteger state = new AtomicInteger(PARKED);

    ParkedConnection(int fd, CalcSession session, byte[] pendingOutput, byte[] leftoverInput, long requestStart,
                     long idleSince) {
        this.fd = fd;
        this.session = session;
        this.pendingOutput = pendingOutput;
        this.leftoverInput = leftoverInput;
        this.requestStart = requestStart;
        this.idleSince = idleSince;
    }

    /** When the idle timeout or, if a request is arriving, its deadline passes, whichever is first. */
    long dueAt(long idleNanos, long requestNanos) {
        long idleDue = idleSince + idleNanos;
        if (requestStart == NONE) {
            return idleDue;
        }
        long requestDue = requestStart + requestNanos;
        return requestDue - idleDue < 0 ? requestDue : idleDue;
    }

    /** The request deadline has passed at {@code now}. */
    boolean requestExpired(long now, long requestNanos) {
        return requestStart != NONE && now - requestStart >= requestNanos;
    }

    /** Parked to offered (the slow lane offers it to idle workers). */
    void offer() {
        state.set(OFFERED);
    }

    /** Offered back to parked, by the slow lane; false if a worker took it first. */
    boolean withdraw() {
        return state.compareAndSet(OFFERED, PARKED);
    }

    /** Offered to taken, by a worker; false if the slow lane withdrew it first (or it was already taken). */
    boolean take() {
        return state.compareAndSet(OFFERED, TAKEN);
    }

    boolean isParked() {
        return state.get() == PARKED;
    }

    boolean isOffered() {
        return state.get() == OFFERED;
    }

    void markClosed() {
        state.set(CLOSED);
    }
}
