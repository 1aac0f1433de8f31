package tfobench.report;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;

/**
 * One result's latencies, one histogram (nanoseconds) per measured iteration, grouped by fork. From the run
 * folder's {@code .hlog} interval logs (every operation, timed over the exchange window) where they exist, else from
 * JMH's own sampled {@code rawDataHistogram} (the whole benchmark method, sampled: labelled as such wherever shown).
 * Logs written since retransmissions were recorded also carry, per iteration, the operations whose connection saw a
 * retransmission ({@link #retransmitted()}).
 */
public final class LatencyData {
    /** Where the numbers come from; shown beside them. */
    public enum Source {
        /** The {@code .hlog} interval logs: every measured operation, exchange window. */
        HLOG("hlog"),
        /** JMH's {@code rawDataHistogram}: the operations JMH sampled, whole benchmark method. */
        JMH_SAMPLES("jmh samples"),
        /** Neither (e.g. a mode other than SampleTime without latency files). */
        NONE("none");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final double NANOS_PER_MICRO = 1000.0;

    private final List<List<Histogram>> forks;
    private final List<Histogram> iterations;
    private final Source source;
    private final List<Histogram> retransmittedIterations;
    private Histogram pooled;
    private Histogram retransmitted;

    /**
     * @param forks                   per fork, its measured iterations in order
     * @param retransmittedIterations per iteration (same order, forks concatenated) the operations that saw a
     *                                retransmission; null where the logs did not record them
     */
    public LatencyData(List<List<Histogram>> forks, Source source, List<Histogram> retransmittedIterations) {
        List<List<Histogram>> copy = new ArrayList<>();
        List<Histogram> flat = new ArrayList<>();
        for (List<Histogram> fork : forks) {
            if (!fork.isEmpty()) {
                copy.add(List.copyOf(fork));
                flat.addAll(fork);
            }
        }
        this.forks = List.copyOf(copy);
        this.iterations = List.copyOf(flat);
        this.source = flat.isEmpty() ? Source.NONE : source;
        this.retransmittedIterations = retransmittedIterations == null ? null : List.copyOf(retransmittedIterations);
    }

    public static LatencyData none() {
        return new LatencyData(List.of(), Source.NONE, null);
    }

    public Source source() {
        return source;
    }

    public boolean isEmpty() {
        return totalCount() == 0;
    }

    /** Number of measured iterations (over all forks). */
    public int iterationCount() {
        return iterations.size();
    }

    /** Number of forks with measured iterations: the replicates of every statistical test. */
    public int forkCount() {
        return forks.size();
    }

    public List<Histogram> iterations() {
        return iterations;
    }

    /** All iterations in one histogram (nanoseconds). */
    public synchronized Histogram pooled() {
        if (pooled == null) {
            pooled = sum(iterations);
        }
        return pooled;
    }

    public long totalCount() {
        return iterations.isEmpty() ? 0 : pooled().getTotalCount();
    }

    /** The latency at a percentile (0-100) over every operation, microseconds. */
    public double percentileMicros(double percentile) {
        return pooled().getValueAtPercentile(percentile) / NANOS_PER_MICRO;
    }

    public double maxMicros() {
        return pooled().getMaxValue() / NANOS_PER_MICRO;
    }

    /**
     * Each fork's median over all of its measured operations, microseconds: the unit of the statistical tests (a
     * fork is a new JVM with its own servers and, in a private namespace, its own network namespace; iterations
     * within a fork share all of that and are not independent replicates). Forks without operations are left out.
     */
    public double[] forkMediansMicros() {
        return forks.stream().map(LatencyData::sum).filter(h -> h.getTotalCount() > 0)
                .mapToDouble(h -> h.getValueAtPercentile(50) / NANOS_PER_MICRO).toArray();
    }

    /** The operations that saw a retransmission, all iterations pooled, or null when the logs did not record them. */
    public synchronized Histogram retransmitted() {
        if (retransmittedIterations == null) {
            return null;
        }
        if (retransmitted == null) {
            retransmitted = sum(retransmittedIterations);
        }
        return retransmitted;
    }

    private static Histogram sum(List<Histogram> histograms) {
        Histogram all = new Histogram(3);
        for (Histogram h : histograms) {
            all.add(h);
        }
        return all;
    }
}
