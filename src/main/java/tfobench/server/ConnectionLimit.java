package tfobench.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The most connections a server keeps open at once. A connection accepted over the limit is closed at once,
 * unanswered, and counted as refused; the kernel never holds more than the listen backlog on top.
 */
final class ConnectionLimit {
    private final int max;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();

    ConnectionLimit(int max) {
        this.max = max;
    }

    /** Counts a newly accepted connection in; false (and counted as refused) when it is one too many. */
    boolean tryOpen() {
        accepted.incrementAndGet();
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            refused.incrementAndGet();
            return false;
        }
        return true;
    }

    /** A connection that {@link #tryOpen} let in has been closed. */
    void closed() {
        open.decrementAndGet();
    }

    /** Every connection accepted so far, refused ones included. */
    long accepted() {
        return accepted.get();
    }

    int open() {
        return open.get();
    }

    long refused() {
        return refused.get();
    }
}
