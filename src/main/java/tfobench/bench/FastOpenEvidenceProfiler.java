package tfobench.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;
import tfobench.client.SynData;
import tfobench.linux.TcpExtCounters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds the proof of what each iteration measured to JMH's results, as secondary metrics:
 * <ul>
 *   <li>{@code tfo.synDataAcked}: fraction of operations whose request went in the SYN and was acknowledged
 *       (1.0 for a real fast open run, 0 for cold)</li>
 *   <li>{@code tfo.fallback}: fraction of operations meant to carry the request in the SYN that did not (0 unless
 *       a fast open benchmark runs with {@code allowFallback=true}), and why, each as a fraction of all operations:
 *       {@code tfo.cookieRequested} (no cookie cached: expected in the cookie request benchmark, a fallback
 *       elsewhere), {@code tfo.notAcked} (the server did not accept the data: TFO off there, cookie rejected, queue
 *       full), {@code tfo.synRetransmitted}, {@code tfo.unexplained} (blackhole detection, or a kernel too old to
 *       say)</li>
 *   <li>{@code tfo.ops}: operations whose evidence was read</li>
 *   <li>{@code tcp.retransmitted}: operations that waited for a retransmission (client {@code TCP_INFO}: a segment
 *       of its own resent, or the response received twice)</li>
 *   <li>{@code tcp.timeWait}: TIME_WAIT sockets at the iteration's end, in the trial's namespace</li>
 *   <li>{@code netns.fresh}: 1 when the trial ran in a fresh network namespace of its own ({@link TrialNetwork}),
 *       0 when in the process's</li>
 *   <li>{@code tcpext.TCPFastOpen*}, {@code tcpext.TCPTimeouts}, {@code tcpext.TCPSynRetrans},
 *       {@code tcpext.TCPTimeWaitOverflow}: the kernel's counters over the iteration (the trial's namespace, so the
 *       benchmark's alone)</li>
 *   <li>{@code tfo.synDataBytes} of {@code tfo.requestBytes} (fast open results only): how many bytes of the request
 *       the kernel puts in the SYN, measured once per trial at setup. A SYN carries at most one segment: a larger
 *       request is "acked" only for its first {@code tfo.synDataBytes}; the rest follows the handshake</li>
 * </ul>
 * It also cuts the latency recording into one interval per iteration (see {@link LatencyRecording}), and after the
 * last measured iteration appends the trial namespace's counters since its creation (setup, warm-up and measurement)
 * to the run folder's {@value #TRIAL_COUNTERS}, from which the launcher sums the whole run's. The
 * launcher adds it to every run; add it by hand ({@code -prof tfobench.bench.FastOpenEvidenceProfiler}) only
 * when running JMH some other way.
 */
public final class FastOpenEvidenceProfiler implements InternalProfiler {
    /** One JSON line per trial that ran in a fresh namespace: its counters since the namespace was made. */
    public static final String TRIAL_COUNTERS = "tcpext-trials.jsonl";

    private TcpExtCounters before;
    private int measurementsCounted;
    private LatencyRecording.ForkFiles files;
    private int measurementsSeen;

    @Override
    public String getDescription() {
        return "TCP Fast Open evidence (SYN data acked, TcpExt deltas) and HdrHistogram latency files";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        EvidenceTally.drain();
        EvidenceTally.takeSetupFinished();
        LatencyRecording.takeInterval(); // drop what the previous iteration's tail recorded
        before = readCounters();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams, IterationResult result) {
        TcpExtCounters setup = EvidenceTally.takeSetupFinished();
        TcpExtCounters delta = readCounters().minus(setup != null ? setup : before);
        long[] outcomes = EvidenceTally.drain();
        LatencyRecording.Interval interval = LatencyRecording.takeInterval();
        if (iterationParams.getType() == IterationType.MEASUREMENT) {
            writeInterval(benchmarkParams, iterationParams, interval);
        }

        long ops = 0;
        for (SynData outcome : SynData.values()) {
            ops += outcomes[outcome.ordinal()];
        }
        List<Result> results = new ArrayList<>();
        results.add(new ScalarResult("tfo.ops", ops, "ops", AggregationPolicy.SUM));
        results.add(fraction("tfo.synDataAcked", outcomes[SynData.ACKED.ordinal()], ops));
        results.add(fraction("tfo.fallback", outcomes[EvidenceTally.FALLBACK], ops));
        // Why requests did not travel in the SYN (a fallback is always one of these):
        results.add(fraction("tfo.cookieRequested", outcomes[SynData.COOKIE_REQUESTED.ordinal()], ops));
        results.add(fraction("tfo.notAcked", outcomes[SynData.NOT_ACKED.ordinal()], ops));
        results.add(fraction("tfo.synRetransmitted", outcomes[SynData.SYN_RETRANSMITTED.ordinal()], ops));
        results.add(fraction("tfo.unexplained", outcomes[SynData.FALLBACK_UNEXPLAINED.ordinal()], ops));
        int[] synPayload = EvidenceTally.synPayload();
        if (synPayload != null) {
            // How much of the request an acked SYN carried: all of it unless the request is larger than a segment.
            results.add(new ScalarResult("tfo.synDataBytes", synPayload[0], "bytes", AggregationPolicy.AVG));
            results.add(new ScalarResult("tfo.requestBytes", synPayload[1], "bytes", AggregationPolicy.AVG));
        }
        results.add(new ScalarResult("tcp.retransmitted", outcomes[EvidenceTally.RETRANSMITTED], "ops",
                AggregationPolicy.SUM));
        results.add(new ScalarResult("tcp.timeWait", TrialNetwork.timeWait(), "sockets", AggregationPolicy.AVG));
        results.add(new ScalarResult("netns.fresh", TrialNetwork.fresh() ? 1 : 0, "", AggregationPolicy.AVG));
        Map<String, Long> counters = new LinkedHashMap<>(delta.fastOpen());
        counters.putAll(delta.tail());
        for (Map.Entry<String, Long> counter : counters.entrySet()) {
            results.add(new ScalarResult("tcpext." + counter.getKey(), counter.getValue(), "#",
                    AggregationPolicy.SUM));
        }
        if (iterationParams.getType() == IterationType.MEASUREMENT
                && ++measurementsCounted == iterationParams.getCount()) {
            measurementsCounted = 0;
            appendTrialCounters(benchmarkParams);
        }
        return results;
    }

    /** The trial namespace's whole counters (it started at zero), one line in the run folder. */
    private static void appendTrialCounters(BenchmarkParams benchmarkParams) {
        Path dir = LatencyRecording.runDir();
        if (dir == null || !TrialNetwork.fresh()) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("benchmark", LatencyRecording.stem(benchmarkParams));
        line.put("counters", TrialNetwork.counters().asMap());
        try {
            String json = new GsonBuilder().disableHtmlEscaping().create().toJson(line);
            Files.writeString(dir.resolve(TRIAL_COUNTERS), json + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + TRIAL_COUNTERS + " in " + dir, e);
        }
    }

    /**
     * The sum of every trial's counters in a run folder's {@value #TRIAL_COUNTERS} (empty when none ran in a fresh
     * namespace): with fresh namespaces, the benchmarks' traffic is there and not in the launcher's namespace.
     */
    public static TcpExtCounters trialCounters(Path runDir) throws IOException {
        Path file = runDir.resolve(TRIAL_COUNTERS);
        TcpExtCounters sum = TcpExtCounters.empty();
        if (!Files.exists(file)) {
            return sum;
        }
        for (String json : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (json.isBlank()) {
                continue;
            }
            JsonObject counters = JsonParser.parseString(json).getAsJsonObject()
                    .getAsJsonObject("counters");
            Map<String, Long> values = new LinkedHashMap<>();
            counters.entrySet().forEach(e -> values.put(e.getKey(), e.getValue().getAsLong()));
            sum = sum.plus(TcpExtCounters.of(values));
        }
        return sum;
    }

    private static ScalarResult fraction(String label, long part, long whole) {
        return new ScalarResult(label, whole == 0 ? 0.0 : (double) part / whole, "ratio", AggregationPolicy.AVG);
    }

    private void writeInterval(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                               LatencyRecording.Interval interval) {
        Path dir = LatencyRecording.runDir();
        if (dir == null || (files == null && interval.operations().getTotalCount() == 0)) {
            return; // no run folder, or a benchmark that records no exchanges (Baseline)
        }
        try {
            if (files == null) {
                files = LatencyRecording.ForkFiles.open(dir, benchmarkParams);
            }
            files.append(interval);
            if (++measurementsSeen == iterationParams.getCount()) {
                files.close();
                files = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write latency files in " + dir, e);
        }
    }

    private static TcpExtCounters readCounters() {
        return TrialNetwork.counters();
    }
}
