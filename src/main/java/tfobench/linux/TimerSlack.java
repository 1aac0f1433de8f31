package tfobench.linux;

import com.sun.jna.LastErrorException;

/**
 * {@code prctl(PR_SET_TIMERSLACK)}: Linux lets a sleeping thread wake up to 50 us late by default so it can batch
 * timer interrupts. A load generator that sleeps until each connection's intended start time would add that
 * slack to every measurement; with 1 ns it wakes when asked (within the scheduler's means).
 */
public final class TimerSlack {
    private static final int PR_SET_TIMERSLACK = 29;
    private static final int PR_GET_TIMERSLACK = 30;

    private TimerSlack() {
    }

    /** Sets the calling thread's timer slack. */
    public static void setCurrentThread(long nanos) throws ErrnoException {
        try {
            LibC.prctl(PR_SET_TIMERSLACK, nanos, 0, 0, 0);
        } catch (LastErrorException e) {
            throw new ErrnoException("prctl PR_SET_TIMERSLACK", e.getErrorCode());
        }
    }

    /** The calling thread's timer slack in nanoseconds. */
    public static long currentThread() throws ErrnoException {
        try {
            return LibC.prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
        } catch (LastErrorException e) {
            throw new ErrnoException("prctl PR_GET_TIMERSLACK", e.getErrorCode());
        }
    }
}
