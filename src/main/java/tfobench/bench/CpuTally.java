package tfobench.bench;

import tfobench.linux.ThreadCpuClock;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Per forked JVM: the threads whose CPU time an operation costs, by side, and the CPU time each used since the last
 * {@link #take}. Benchmarks register their threads when their setup has finished (so setup's own work is never an
 * operation's) and retire them as their teardown starts (their clocks are gone once they end; stopping is not an
 * operation either). {@link CpuCostProfiler} takes the sums once per iteration.
 */
public final class CpuTally {
    /** Whose threads. */
    public enum Side {
        /** The benchmark thread, and Netty's event loop for the Netty client. */
        CLIENT,
        /** The in-process server's threads (none with {@code -p host=}). */
        SERVER
    }

    private static final class Clock {
        final Thread thread;
        final Side side;
        long since;
        /** The last reading, taken as the thread was retired; -1 while it is still measured. */
        long retiredAt = -1;

        Clock(Thread thread, Side side, long since) {
            this.thread = thread;
            this.side = side;
            this.since = since;
        }
    }

    private static final List<Clock> CLOCKS = new ArrayList<>();

    private CpuTally() {
    }

    /** Starts measuring these threads from now. */
    static synchronized void register(Side side, Collection<Thread> threads) {
        for (Thread t : threads) {
            long now = ThreadCpuClock.nanos(t);
            if (now >= 0) {
                CLOCKS.add(new Clock(t, side, now));
            }
        }
    }

    /** Stops measuring every registered thread: their last readings count in the next {@link #take}. */
    static synchronized void retireAll() {
        for (Clock c : CLOCKS) {
            if (c.retiredAt < 0) {
                long now = ThreadCpuClock.nanos(c.thread);
                c.retiredAt = now < 0 ? c.since : now;
            }
        }
    }

    /**
     * CPU nanoseconds per side since the previous take (or registration), for the sides that had threads in that
     * time; forgets retired threads.
     */
    static synchronized Map<Side, Long> take() {
        Map<Side, Long> sums = new EnumMap<>(Side.class);
        for (Iterator<Clock> it = CLOCKS.iterator(); it.hasNext(); ) {
            Clock c = it.next();
            long now = c.retiredAt >= 0 ? c.retiredAt : ThreadCpuClock.nanos(c.thread);
            if (now < 0) {
                now = c.since; // ended without being retired: its last stretch is unknown, count none of it
            }
            sums.merge(c.side, now - c.since, Long::sum);
            c.since = now;
            if (c.retiredAt >= 0 || !c.thread.isAlive()) {
                it.remove();
            }
        }
        return sums;
    }
}
