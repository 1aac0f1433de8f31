package tfobench.bench;

import tfobench.linux.CpuAffinity;
import tfobench.linux.ErrnoException;
import tfobench.linux.MissingCapabilityException;

import java.util.BitSet;
import java.util.Locale;

/**
 * Where client and server threads run. On a 2-vCPU machine this alone changes loopback latency several-fold, so
 * it is a benchmark parameter and part of every result.
 */
public enum Placement {
    /** Client thread, client event loop and server threads all pinned to one CPU. */
    SAME_CPU("same-cpu"),
    /** Client side pinned to one CPU, server threads to another. */
    CROSS_CPU("cross-cpu"),
    /** Nothing pinned: the scheduler decides (and may change its mind mid-run). */
    NONE("none");

    private final String label;

    Placement(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Placement fromLabel(String label) {
        for (Placement p : values()) {
            if (p.label.equals(label.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown placement '" + label
                + "' (expected same-cpu, cross-cpu or none)");
    }

    /** Chooses CPUs among those this thread may use: the lowest for the client, the next one for cross-cpu. */
    public CpuPlan plan() throws ErrnoException {
        return plan(CpuAffinity.currentThreadAffinity());
    }

    public CpuPlan plan(BitSet allowed) {
        if (this == NONE) {
            return new CpuPlan(null, null);
        }
        int client = allowed.nextSetBit(0);
        if (this == SAME_CPU) {
            return new CpuPlan(single(client), single(client));
        }
        int server = allowed.nextSetBit(client + 1);
        if (server < 0) {
            throw new MissingCapabilityException("placement cross-cpu needs two CPUs but this process may only "
                    + "use CPU " + client + ": run with -p placement=same-cpu (or give the JVM more CPUs)");
        }
        return new CpuPlan(single(client), single(server));
    }

    private static BitSet single(int cpu) {
        BitSet set = new BitSet();
        set.set(cpu);
        return set;
    }

    /** The CPUs of each side, null when not pinned. */
    public record CpuPlan(BitSet client, BitSet server) {
        public void pinCurrentThreadAsClient() throws ErrnoException {
            if (client != null) {
                CpuAffinity.pinCurrentThread(client);
            }
        }

        @Override
        public String toString() {
            return client == null ? "unpinned" : "client CPU " + client + ", server CPU " + server;
        }
    }
}
