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
 * into one interval per iteration by {@link FastOpenEvidenceProfiler}, and in a second recorder the operations
 * that waited for a retransmission. Warm-up intervals are discarded; each measurement interval goes to the run
 * folder's interval log ({@code .hlog}) and into the total written as a percentile spectrum ({@code .hgrm},
 * microseconds) after the last iteration.
 *
 * <p>What is timed is the exchange window ({@link ExchangeBenchmark#exchange()}): the client's whole call, from
 * before its {@code socket()} to its return after the response was parsed, {@code TCP_INFO} read and the socket
 * closed. Anything a benchmark does before the exchange (preparing the next operation) is outside it.
 *
 * <p>The {@code .hlog} is standard: per measured iteration one untagged interval with every operation (what
 * HdrHistogram's {@code HistogramLogProcessor} reads with its default options, so its total count is the
 * operations measured), then one tagged {@value #RETRANSMITTED_TAG} with the operations of that iteration that saw a
 * retransmission. The log's start and base time are the first measured interval's start, so no interval starts
 * before it.
 */
public final class LatencyRecording {
    static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final int SIGNIFICANT_DIGITS = 3;

    /** Tag of the intervals holding the operations that waited for a retransmission. */
    public static final String RETRANSMITTED_TAG = "retransmitted";

    private static final Recorder RECORDER = new Recorder(HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    private static final Recorder RETRANSMITTED = new Recorder(HIGHEST_NANOS, SIGNIFICANT_DIGITS);

    private LatencyRecording() {
    }

    /**
     * Records one operation (nanoseconds). Values beyond 10 s are clamped, never dropped.
     *
     * @param retransmitted the operation waited for a retransmission (recorded in both histograms)
     */
    static void record(long nanos, boolean retransmitted) {
        long value = Math.min(Math.max(nanos, 0), HIGHEST_NANOS);
        RECORDER.recordValue(value);
        if (retransmitted) {
            RETRANSMITTED.recordValue(value);
        }
    }

    /** One iteration's operations: all of them, and those that waited for a retransmission. */
    record Interval(Histogram operations, Histogram retransmitted) {
    }

    /** The operations recorded since the previous call, as one interval. */
    static Interval takeInterval() {
        Histogram operations = RECORDER.getIntervalHistogram();
        Histogram retransmitted = RETRANSMITTED.getIntervalHistogram();
        // The second recorder's interval starts and ends a moment later: give it the first one's bounds.
        retransmitted.setStartTimeStamp(operations.getStartTimeStamp());
        retransmitted.setEndTimeStamp(operations.getEndTimeStamp());
        return new Interval(operations, retransmitted);
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
        private final Path hlogPath;
        private final String benchmark;
        private final Histogram total = new Histogram(HIGHEST_NANOS, SIGNIFICANT_DIGITS);
        private PrintStream hlogStream;
        private HistogramLogWriter hlog;

        private ForkFiles(Path hgrm, Path hlogPath, String benchmark) {
            this.hgrm = hgrm;
            this.hlogPath = hlogPath;
            this.benchmark = benchmark;
        }

        /** Opens {@code <stem>-fork<N>.hlog/.hgrm} with the first N not yet taken (forks run one after another). */
        static ForkFiles open(Path dir, BenchmarkParams params) throws IOException {
            Files.createDirectories(dir);
            String stem = stem(params);
            for (int fork = 1; ; fork++) {
                Path hlog = dir.resolve(stem + "-fork" + fork + ".hlog");
                if (!Files.exists(hlog)) {
                    Files.createFile(hlog); // claim the number now: the header is written with the first interval
                    return new ForkFiles(dir.resolve(stem + "-fork" + fork + ".hgrm"), hlog, stem);
                }
            }
        }

        void append(Interval interval) throws FileNotFoundException {
            if (hlog == null) {
                startLog(interval.operations().getStartTimeStamp());
            }
            hlog.outputIntervalHistogram(interval.operations());
            interval.retransmitted().setTag(RETRANSMITTED_TAG);
            hlog.outputIntervalHistogram(interval.retransmitted());
            total.add(interval.operations());
        }

        private void startLog(long startMillis) throws FileNotFoundException {
            hlogStream = new PrintStream(hlogPath.toFile());
            hlog = new HistogramLogWriter(hlogStream);
            hlog.outputLogFormatVersion();
            hlog.outputComment("tfo-bench latency intervals, nanoseconds, benchmark " + benchmark);
            hlog.outputComment("per JMH measurement iteration: an untagged interval with every operation (exchange "
                    + "window: socket() to response parsed, TCP_INFO read, socket closed), then one tagged "
                    + RETRANSMITTED_TAG + " with its operations that waited for a retransmission");
            hlog.outputStartTime(startMillis);
            hlog.setBaseTime(startMillis);
            hlog.outputLegend();
        }

        @Override
        public void close() throws IOException {
            if (hlogStream != null) {
                hlogStream.close();
            }
            try (PrintStream out = new PrintStream(hgrm.toFile())) {
                total.outputPercentileDistribution(out, 1000.0); // microseconds
            }
        }
    }
}
