package tfobench.bench;

import tfobench.client.SynData;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per forked JVM: how many operations ended with each {@link SynData} outcome since the last {@link #drain}.
 * Benchmarks count; {@link FastOpenEvidenceProfiler} drains once per iteration into the JMH results.
 */
public final class EvidenceTally {
    private static final AtomicLongArray COUNTS = new AtomicLongArray(SynData.values().length);

    private EvidenceTally() {
    }

    static void count(SynData outcome) {
        COUNTS.incrementAndGet(outcome.ordinal());
    }

    /** The counts since the last drain, indexed by {@link SynData#ordinal()}, and resets them. */
    static long[] drain() {
        long[] out = new long[SynData.values().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = COUNTS.getAndSet(i, 0);
        }
        return out;
    }
}
