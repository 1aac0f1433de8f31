package tfobench.report;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JMH's JSON result file ({@code -rf json}) into results, without latency files (see {@link RunReader}).
 * Only the fields used are bound; the file itself is never changed.
 */
final class JmhResultFile {
    private static final String TCPEXT_PREFIX = "tcpext.";

    /** The part of one JMH JSON entry that the reports use. */
    static final class Entry {
        String benchmark;
        String mode;
        int forks;
        int warmupIterations;
        String warmupTime;
        int measurementIterations;
        String measurementTime;
        Map<String, String> params;
        PrimaryMetric primaryMetric;
        Map<String, SecondaryMetric> secondaryMetrics;
    }

    static final class PrimaryMetric {
        String scoreUnit;
        Map<String, Double> scorePercentiles;
        /** [fork][iteration][[value, count], ...], values in {@link #scoreUnit}; SampleTime mode only. */
        List<List<List<List<Double>>>> rawDataHistogram;
    }

    static final class SecondaryMetric {
        Double score;
    }

    /** A result from the JSON and JMH's sampled latencies, before the run folder's latency files are looked at. */
    record Parsed(BenchmarkResult result, LatencyData jmhSamples) {
    }

    private JmhResultFile() {
    }

    static List<Parsed> read(Path file) throws RunFolderException {
        Entry[] entries;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            entries = new Gson().fromJson(reader, Entry[].class);
        } catch (JsonParseException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new RunFolderException(file + " is not a complete JMH JSON result (truncated or edited?): "
                    + firstLine(cause.getMessage()));
        } catch (IOException e) {
            throw new RunFolderException("cannot read " + file + ": " + e.getMessage());
        }
        if (entries == null) {
            throw new RunFolderException(file + " is empty (did the run fail before JMH wrote its results?)");
        }
        if (entries.length == 0) {
            throw new RunFolderException(file + " holds no results (did every benchmark fail?)");
        }
        List<Parsed> results = new ArrayList<>();
        for (int i = 0; i < entries.length; i++) {
            try {
                results.add(parse(file, i, entries[i]));
            } catch (RuntimeException e) {
                throw new RunFolderException(file + ": result " + (i + 1) + " has an unexpected shape (" + e + ")");
            }
        }
        return results;
    }

    private static Parsed parse(Path file, int index, Entry e) throws RunFolderException {
        if (e == null || e.benchmark == null || e.primaryMetric == null) {
            throw new RunFolderException(file + ": result " + (index + 1)
                    + " has no benchmark name or primary metric (not a JMH JSON result?)");
        }
        BenchmarkId id = new BenchmarkId(e.benchmark, e.params == null ? Map.of() : e.params);
        MeasurementSettings settings = new MeasurementSettings(e.mode, e.forks, e.warmupIterations, e.warmupTime,
                e.measurementIterations, e.measurementTime);
        double toMicros = microsPer(e.primaryMetric.scoreUnit);
        Map<Double, Double> percentiles = new LinkedHashMap<>();
        if (e.primaryMetric.scorePercentiles != null && !Double.isNaN(toMicros)) {
            e.primaryMetric.scorePercentiles.forEach((p, v) -> {
                if (v != null) {
                    percentiles.put(Double.valueOf(p), v * toMicros);
                }
            });
        }
        LatencyData samples = samples(e.primaryMetric, toMicros);
        return new Parsed(new BenchmarkResult(id, settings, evidence(e.secondaryMetrics), samples, percentiles),
                samples);
    }

    private static Evidence evidence(Map<String, SecondaryMetric> metrics) {
        if (metrics == null) {
            return Evidence.NONE;
        }
        Map<String, Double> tcpExt = new LinkedHashMap<>();
        metrics.forEach((name, metric) -> {
            if (name.startsWith(TCPEXT_PREFIX) && metric != null && metric.score != null) {
                tcpExt.put(name.substring(TCPEXT_PREFIX.length()), metric.score);
            }
        });
        return new Evidence(score(metrics, "tfo.synDataAcked"), score(metrics, "tfo.fallback"),
                score(metrics, "tfo.cookieRequested"), score(metrics, "tfo.ops"), tcpExt,
                score(metrics, "tcp.retransmitted"), score(metrics, "tcp.timeWait"), score(metrics, "netns.fresh"),
                score(metrics, "tfo.synDataBytes"), score(metrics, "tfo.requestBytes"));
    }

    private static Double score(Map<String, SecondaryMetric> metrics, String name) {
        SecondaryMetric metric = metrics.get(name);
        return metric == null ? null : metric.score;
    }

    /** JMH's sampled latencies, one histogram (nanoseconds) per fork and iteration. */
    private static LatencyData samples(PrimaryMetric metric, double toMicros) {
        if (metric.rawDataHistogram == null || Double.isNaN(toMicros)) {
            return LatencyData.none();
        }
        List<List<Histogram>> forks = new ArrayList<>();
        for (List<List<List<Double>>> fork : metric.rawDataHistogram) {
            List<Histogram> iterations = new ArrayList<>();
            forks.add(iterations);
            for (List<List<Double>> iteration : fork) {
                Histogram h = new Histogram(3);
                for (List<Double> bin : iteration) {
                    long nanos = Math.max(0, Math.round(bin.get(0) * toMicros * 1000.0));
                    h.recordValueWithCount(nanos, Math.round(bin.get(1)));
                }
                iterations.add(h);
            }
        }
        return new LatencyData(forks, LatencyData.Source.JMH_SAMPLES, null);
    }

    /** Microseconds per unit of a JMH time unit ({@code us/op}...), NaN for anything else (throughput). */
    static double microsPer(String scoreUnit) {
        if (scoreUnit == null) {
            return Double.NaN;
        }
        switch (scoreUnit) {
            case "ns/op":
                return 0.001;
            case "us/op":
                return 1.0;
            case "ms/op":
                return 1000.0;
            case "s/op":
                return 1_000_000.0;
            default:
                return Double.NaN;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unexpected end";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
