package tfobench.server;

import io.netty.util.concurrent.DefaultThreadFactory;
import tfobench.linux.CpuAffinity;
import tfobench.linux.ErrnoException;

import java.util.BitSet;

/** Netty's thread factory, with each thread pinned to the given CPUs as it starts (none = not pinned). */
public final class PinnedThreadFactory extends DefaultThreadFactory {
    private final BitSet cpus;

    public PinnedThreadFactory(String poolName, BitSet cpus) {
        super(poolName, true);
        this.cpus = cpus == null ? null : (BitSet) cpus.clone();
    }

    @Override
    public Thread newThread(Runnable task) {
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
