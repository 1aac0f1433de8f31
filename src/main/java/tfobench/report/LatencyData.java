package tfobench.report;

import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * One result's latencies, one histogram (nanoseconds) per measured iteration of every fork. From the run folder's
 * {@code .hlog} interval logs (every operation) where they exist, else from JMH's own sampled
 * {@code rawDataHistogram}.
 */
public final class LatencyData {
    /** Where the numbers come from; shown beside them. */
    public enum Source {
        /** The {@code .hlog} interval logs: every measured operation. */
        HLOG("hlog"),
        /** JMH's {@code rawDataHistogram}: the operations JMH sampled. */
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

    private final List<Histogram> iterations;
    private final Source source;
    private Histogram pooled;

    public LatencyData(List<Histogram> iterations, Source source) {
        this.iterations = List.copyOf(iterations);
        this.source = iterations.isEmpty() ? Source.NONE : source;
    }

    public static LatencyData none() {
        return new LatencyData(List.of(), Source.NONE);
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

    public List<Histogram> iterations() {
        return iterations;
    }

    /** All iterations in one histogram (nanoseconds). */
    public synchronized Histogram pooled() {
        if (pooled == null) {
            Histogram all = new Histogram(3);
            for (Histogram h : iterations) {
                all.add(h);
            }
            pooled = all;
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

    /** Each iteration's median, microseconds: the unit of the statistical tests. Empty iterations are left out. */
    public double[] iterationMediansMicros() {
        return iterations.stream().filter(h -> h.getTotalCount() > 0)
                .mapToDouble(h -> h.getValueAtPercentile(50) / NANOS_PER_MICRO).toArray();
    }
}
