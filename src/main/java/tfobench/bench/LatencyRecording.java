package tfobench.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.infra.BenchmarkParams;
import tfobench.Settings;
import tfobench.report.BenchmarkId;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Per forked JVM: every operation's latency in an HdrHistogram {@link Recorder} (wait-free, thread-safe), cut
 * into one interval per iteration by {@link FastOpenEvidenceProfiler}. Warm-up intervals are discarded; each
 * measurement interval goes to the run folder's interval log ({@code .hlog}) and into the total written as a
 * percentile spectrum ({@code .hgrm}, microseconds) after the last iteration.
 */
public final class LatencyRecording {
    static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final int SIGNIFICANT_DIGITS = 3;

    private static final Recorder RECORDER = new Recorder(HIGHEST_NANOS, SIGNIFICANT_DIGITS);

    private LatencyRecording() {
    }

    /** Records one operation (nanoseconds). Values beyond 10 s are clamped, never dropped. */
    static void record(long nanos) {
        RECORDER.recordValue(Math.min(Math.max(nanos, 0), HIGHEST_NANOS));
    }

    /** The operations recorded since the previous call, as one interval. */
    static Histogram takeInterval() {
        return RECORDER.getIntervalHistogram();
    }

    /** The run folder, or null when the benchmark runs without the launcher (then nothing is written). */
    static Path runDir() {
        String dir = Settings.RUN_DIR.value();
        return dir.isEmpty() ? null : Path.of(dir);
    }

    /** File name stem for a benchmark and its parameters, e.g. {@code FirstRequestBenchmark.run-handshake=tfo...}. */
    static String stem(BenchmarkParams params) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : params.getParamsKeys()) {
            values.put(key, params.getParam(key));
        }
        return new BenchmarkId(params.getBenchmark(), values).fileStem(); // the report reads files by this name
    }

    /** Log and total for one fork of one benchmark. */
    static final class ForkFiles implements AutoCloseable {
        private final Path hgrm;
        private final PrintStream hlogStream;
        private final HistogramLogWriter hlog;
        private final Histogram total = new Histogram(HIGHEST_NANOS, SIGNIFICANT_DIGITS);
        private final String tag;

        private ForkFiles(Path hgrm, Path hlogPath, String tag) throws FileNotFoundException {
            this.hgrm = hgrm;
            this.tag = tag;
            this.hlogStream = new PrintStream(hlogPath.toFile());
            this.hlog = new HistogramLogWriter(hlogStream);
            long now = System.currentTimeMillis();
            hlog.outputLogFormatVersion();
            hlog.outputComment("tfo-bench latency intervals, one per JMH measurement iteration, nanoseconds");
            hlog.outputComment("benchmark " + tag);
            hlog.outputStartTime(now);
            hlog.setBaseTime(now);
            hlog.outputLegend();
        }

        /** Opens {@code <stem>-fork<N>.hlog/.hgrm} with the first N not yet taken (forks run one after another). */
        static ForkFiles open(Path dir, BenchmarkParams params) throws IOException {
            Files.createDirectories(dir);
            String stem = stem(params);
            for (int fork = 1; ; fork++) {
                Path hlog = dir.resolve(stem + "-fork" + fork + ".hlog");
                if (!Files.exists(hlog)) {
                    return new ForkFiles(dir.resolve(stem + "-fork" + fork + ".hgrm"), hlog, stem);
                }
            }
        }

        void append(Histogram interval) {
            interval.setTag(tag);
            hlog.outputIntervalHistogram(interval);
            total.add(interval);
        }

        @Override
        public void close() throws IOException {
            hlogStream.close();
            try (PrintStream out = new PrintStream(hgrm.toFile())) {
                total.outputPercentileDistribution(out, 1000.0); // microseconds
            }
        }
    }
}
