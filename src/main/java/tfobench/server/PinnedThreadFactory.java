package tfobench.server;

import io.netty.util.concurrent.DefaultThreadFactory;
import tfobench.linux.CpuAffinity;
import tfobench.linux.ErrnoException;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's thread factory, with each thread pinned to the given CPUs as it starts (none = not pinned), and the
 * threads it made remembered so their owner can wait until they are really gone: a group's termination future
 * completes on the thread itself, just before it exits.
 */
public final class PinnedThreadFactory extends DefaultThreadFactory {
    private final BitSet cpus;
    private final List<Thread> created = new CopyOnWriteArrayList<>();

    public PinnedThreadFactory(String poolName, BitSet cpus) {
        super(poolName, true);
        this.cpus = cpus == null ? null : (BitSet) cpus.clone();
    }

    /** Waits up to {@code millis} for every thread made here to end; returns the names of those still alive. */
    public List<String> join(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        List<String> alive = new ArrayList<>();
        for (Thread t : created) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (t.isAlive()) {
                alive.add(t.getName());
            }
        }
        return alive;
    }

    /** The threads made so far (an event loop's thread starts with its first task). */
    public List<Thread> threads() {
        return List.copyOf(created);
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = pinned(task);
        created.add(thread);
        return thread;
    }

    private Thread pinned(Runnable task) {
        if (cpus == null) {
            return super.newThread(task);
        }
        return super.newThread(() -> {
            try {
                CpuAffinity.pinCurrentThread(cpus);
            } catch (ErrnoException e) {
                throw new IllegalStateException("cannot pin " + Thread.currentThread().getName() + ": "
                        + e.getMessage(), e);
            }
            task.run();
        });
    }
}
