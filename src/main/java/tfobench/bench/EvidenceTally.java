package tfobench.bench;

import tfobench.client.SynData;
import tfobench.linux.TcpExtCounters;

import java.io.IOException;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per forked JVM: how many operations ended with each {@link SynData} outcome since the last {@link #drain}, and
 * how many of them fell back (were meant to carry the request in the SYN, and did not). Benchmarks count;
 * {@link FastOpenEvidenceProfiler} drains once per iteration into the JMH results.
 */
public final class EvidenceTally {
    /** Index of the fallback count in {@link #drain()}'s array, after one slot per {@link SynData}. */
    static final int FALLBACK = SynData.values().length;
    /** Index of the count of operations that waited for a retransmission. */
    static final int RETRANSMITTED = FALLBACK + 1;
    private static final AtomicLongArray COUNTS = new AtomicLongArray(RETRANSMITTED + 1);
    /** Kernel counters read when a trial's setup finished, if it finished during the current iteration. */
    private static volatile TcpExtCounters setupFinished;

    /**
     * For a fast open trial: how many bytes of its request the kernel put in the SYN, and the request's size, as
     * measured at setup ({@code NativeClient#synPayloadBytes}); -1 when not measured (no fast open, or not yet).
     */
    private static volatile int synPayloadBytes = -1;
    private static volatile int requestBytes = -1;

    private EvidenceTally() {
    }

    static void synPayload(int inSyn, int ofRequest) {
        synPayloadBytes = inSyn;
        requestBytes = ofRequest;
    }

    /** {bytes in the SYN, request bytes}, or null when this trial measured none. */
    static int[] synPayload() {
        int inSyn = synPayloadBytes;
        int of = requestBytes;
        return inSyn < 0 || of < 0 ? null : new int[] {inSyn, of};
    }

    static void clearSynPayload() {
        synPayloadBytes = -1;
        requestBytes = -1;
    }

    /**
     * @param outcome          what happened to the SYN data
     * @param synDataExpected  the benchmark meant this request to travel in the SYN: anything but
     *                         {@link SynData#ACKED} is then a fallback
     * @param retransmitted    the exchange waited for a retransmission
     */
    static void count(SynData outcome, boolean synDataExpected, boolean retransmitted) {
        COUNTS.incrementAndGet(outcome.ordinal());
        if (synDataExpected && !outcome.acked()) {
            COUNTS.incrementAndGet(FALLBACK);
        }
        if (retransmitted) {
            COUNTS.incrementAndGet(RETRANSMITTED);
        }
    }

    /**
     * JMH runs trial setup inside the first iteration (warm-up or, with {@code -wi 0}, measurement), after the
     * profiler's {@code beforeIteration}: setup's own exchanges must not count as that iteration's. Called at the
     * end of setup, this makes the iteration's counter deltas start here.
     */
    static void setupFinished() throws IOException {
        setupFinished = TrialNetwork.counters();
    }

    /** The counters at the end of a setup that ran since the last call, or null; clears it. */
    static TcpExtCounters takeSetupFinished() {
        TcpExtCounters snapshot = setupFinished;
        setupFinished = null;
        return snapshot;
    }

    /**
     * The counts since the last drain, indexed by {@link SynData#ordinal()}, then the fallbacks at
     * {@link #FALLBACK} and the retransmitted operations at {@link #RETRANSMITTED}; resets them.
     */
    static long[] drain() {
        long[] out = new long[RETRANSMITTED + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = COUNTS.getAndSet(i, 0);
        }
        return out;
    }
}
