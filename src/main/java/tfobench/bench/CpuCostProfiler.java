package tfobench.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import tfobench.linux.ThreadCpuClock;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What an operation costs in CPU, as secondary metrics in microseconds of CPU time per operation, beside (never
 * inside) the latency:
 * <ul>
 *   <li>{@code cpu.client}: the benchmark thread, and for Netty the client's event loop;</li>
 *   <li>{@code cpu.server}: the in-process server's threads (absent with {@code -p host=}: the server's threads run
 *       on its own host);</li>
 *   <li>{@code cpu.otherThreads}: the rest of the forked JVM (JIT compilers, GC, JMH's own threads).</li>
 * </ul>
 * The thread CPU clocks ({@link ThreadCpuClock}) are read once before and once after each iteration and divided by
 * the iteration's operations as JMH counted them: a read costs about a microsecond, which per operation would add a
 * few percent to the latency it sits beside ({@code Baseline.cpuClockRead}); per iteration it is lost in millions
 * of microseconds. Threads count from the end of the trial's setup and stop at the start of its teardown
 * ({@link CpuTally}). On loopback the kernel runs each segment's receive path on the sender's thread, so the sides
 * split the kernel's work by who sent, not by who received; the sum is what the operation costs the machine's
 * CPUs, less softirq work deferred to {@code ksoftirqd} on a busy machine.
 *
 * <p>The launcher adds it to every run, beside {@link FastOpenEvidenceProfiler}; by hand:
 * {@code -prof tfobench.bench.CpuCostProfiler}.
 */
public final class CpuCostProfiler implements InternalProfiler {
    private long processBefore;

    @Override
    public String getDescription() {
        return "CPU time per operation of the client's and the in-process server's threads (thread CPU clocks)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        String whyNot = ThreadCpuClock.whyNot();
        if (whyNot != null) {
            throw new IllegalStateException("cannot measure CPU per operation: " + whyNot);
        }
        CpuTally.take();
        processBefore = ThreadCpuClock.processNanos();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams, IterationResult result) {
        Map<CpuTally.Side, Long> sides = CpuTally.take();
        long process = ThreadCpuClock.processNanos() - processBefore;
        long ops = result.getMetadata().getAllOps();
        List<Result> results = new ArrayList<>();
        if (ops <= 0 || sides.isEmpty()) {
            return results; // nothing measured (Baseline registers no threads)
        }
        long measured = 0;
        for (Map.Entry<CpuTally.Side, Long> side : sides.entrySet()) {
            measured += side.getValue();
            results.add(perOperation(side.getKey() == CpuTally.Side.CLIENT ? "cpu.client" : "cpu.server",
                    side.getValue(), ops));
        }
        if (processBefore >= 0 && process >= measured) {
            results.add(perOperation("cpu.otherThreads", process - measured, ops));
        }
        return results;
    }

    private static ScalarResult perOperation(String label, long nanos, long ops) {
        return new ScalarResult(label, nanos / 1000.0 / ops, "us/op", AggregationPolicy.AVG);
    }
}
