package tfobench.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of a run: which benchmark and parameters, how it was measured, its evidence and its latencies.
 *
 * @param latency            every operation's latency from the {@code .hlog} logs (the client's exchange alone), or
 *                           JMH's samples
 * @param jmhPercentilesMicros JMH's own {@code scorePercentiles} (the whole benchmark method, sampled), percentile
 *                           (e.g. 50.0) to microseconds; empty if the mode has none
 */
public record BenchmarkResult(BenchmarkId id, MeasurementSettings settings, Evidence evidence,
                              LatencyData latency, Map<Double, Double> jmhPercentilesMicros) {

    public BenchmarkResult {
        jmhPercentilesMicros = Collections.unmodifiableMap(new LinkedHashMap<>(jmhPercentilesMicros));
    }

    /** JMH's percentile, microseconds, or NaN. */
    public double jmhPercentileMicros(double percentile) {
        return jmhPercentilesMicros.getOrDefault(percentile, Double.NaN);
    }

    public FastOpenCheck fastOpenCheck() {
        return evidence.check(id);
    }
}
