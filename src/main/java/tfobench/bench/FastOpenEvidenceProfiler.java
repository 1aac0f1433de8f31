package tfobench.bench;

import org.HdrHistogram.Histogram;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
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
 *   <li>{@code tcpext.TCPFastOpen*}: the kernel's counters over the iteration (the namespace's, so the
 *       benchmark's alone in a private namespace)</li>
 *   <li>{@code tcpext.TCPTimeouts}: retransmission timeouts over the iteration; reports label fast open results
 *       that have any (docs/FINDINGS-TFO-DATA-BEFORE-SYNACK.md)</li>
 * </ul>
 * It also cuts the latency recording into one interval per iteration (see {@link LatencyRecording}). The
 * launcher adds it to every run; add it by hand ({@code -prof tfobench.bench.FastOpenEvidenceProfiler}) only
 * when running JMH some other way.
 */
public final class FastOpenEvidenceProfiler implements InternalProfiler {
    private TcpExtCounters before;
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
        Histogram interval = LatencyRecording.takeInterval();
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
        for (Map.Entry<String, Long> counter : delta.fastOpen().entrySet()) {
            results.add(new ScalarResult("tcpext." + counter.getKey(), counter.getValue(), "#",
                    AggregationPolicy.SUM));
        }
        results.add(new ScalarResult("tcpext." + TcpExtCounters.TIMEOUTS, delta.get(TcpExtCounters.TIMEOUTS), "#",
                AggregationPolicy.SUM));
        return results;
    }

    private static ScalarResult fraction(String label, long part, long whole) {
        return new ScalarResult(label, whole == 0 ? 0.0 : (double) part / whole, "ratio", AggregationPolicy.AVG);
    }

    private void writeInterval(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                               Histogram interval) {
        Path dir = LatencyRecording.runDir();
        if (dir == null || (files == null && interval.getTotalCount() == 0)) {
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
        try {
            return TcpExtCounters.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
