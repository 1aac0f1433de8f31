package tfobench.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

import java.util.BitSet;

/** {@code sched_setaffinity}/{@code sched_getaffinity} for the calling thread (pid 0 = this thread on Linux). */
public final class CpuAffinity {
    private static final int CPU_SET_BYTES = 128; // glibc's cpu_set_t: 1024 CPUs

    private CpuAffinity() {
    }

    /** Pins the calling thread to the given CPUs. */
    public static void pinCurrentThread(BitSet cpus) throws ErrnoException {
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("empty CPU set");
        }
        Memory mask = new Memory(CPU_SET_BYTES);
        mask.clear();
        byte[] bytes = cpus.toByteArray();
        if (bytes.length > CPU_SET_BYTES) {
            throw new IllegalArgumentException("CPU number too large: " + cpus);
        }
        mask.write(0, bytes, 0, bytes.length);
        try {
            LibC.sched_setaffinity(0, CPU_SET_BYTES, mask);
        } catch (LastErrorException e) {
            throw new ErrnoException("sched_setaffinity " + cpus, e.getErrorCode());
        }
    }

    public static void pinCurrentThread(int cpu) throws ErrnoException {
        BitSet set = new BitSet();
        set.set(cpu);
        pinCurrentThread(set);
    }

    /** The CPUs the calling thread may run on. */
    public static BitSet currentThreadAffinity() throws ErrnoException {
        Memory mask = new Memory(CPU_SET_BYTES);
        mask.clear();
        try {
            LibC.sched_getaffinity(0, CPU_SET_BYTES, mask);
        } catch (LastErrorException e) {
            throw new ErrnoException("sched_getaffinity", e.getErrorCode());
        }
        return BitSet.valueOf(mask.getByteArray(0, CPU_SET_BYTES));
    }

    /** The CPU the calling thread is running on right now. */
    public static int currentCpu() {
        return LibC.sched_getcpu();
    }
}
