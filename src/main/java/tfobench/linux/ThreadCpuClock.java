package tfobench.linux;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collection;

/**
 * The CPU time of this JVM's threads, from their thread CPU clocks: {@link ThreadMXBean#getThreadCpuTime}, which
 * HotSpot on Linux answers with {@code clock_gettime} on the thread's {@code pthread_getcpuclockid} clock, the
 * kernel's {@code sum_exec_runtime} for that task: user and system time, nanoseconds. clock_gettime(2): "a clock
 * that measures CPU time consumed by this thread". Without {@code CONFIG_IRQ_TIME_ACCOUNTING} (as on the machine
 * these notes were written on) that includes the softirq work the kernel did while the thread ran, which on loopback
 * is the peer's TCP input for every segment the thread sends.
 *
 * <p>A read is a system call (about a microsecond here; {@code Baseline.cpuClockRead} measures it), so callers read
 * around many operations, never around each.
 */
public final class ThreadCpuClock {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpuClock() {
    }

    /** Why thread CPU clocks cannot be read in this JVM, or null when they can. */
    public static String whyNot() {
        if (!THREADS.isThreadCpuTimeSupported()) {
            return "this JVM cannot read other threads' CPU clocks (ThreadMXBean.isThreadCpuTimeSupported)";
        }
        if (!THREADS.isThreadCpuTimeEnabled()) {
            try {
                THREADS.setThreadCpuTimeEnabled(true);
            } catch (UnsupportedOperationException | SecurityException e) {
                return "thread CPU time measurement is off in this JVM and cannot be turned on: " + e.getMessage();
            }
        }
        return null;
    }

    /** CPU time the thread has used so far, nanoseconds; -1 when it has ended (or never started). */
    public static long nanos(Thread thread) {
        return THREADS.getThreadCpuTime(thread.getId());
    }

    /** CPU time of the calling thread, nanoseconds. */
    public static long currentThreadNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** The sum over the threads still alive, nanoseconds. */
    public static long sum(Collection<Thread> threads) {
        long total = 0;
        for (Thread t : threads) {
            long n = nanos(t);
            if (n > 0) {
                total += n;
            }
        }
        return total;
    }

    /** CPU time of the whole process (every thread, ended ones included), nanoseconds; -1 if unknown. */
    public static long processNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }
}
